// rdmatool's keyword matching: a word matches a keyword it is a prefix of,
// first match in table order (so `rdma s` is `system`), and the first table
// row is the default when no word is left.
import { CliError } from './errors.js';

/** strcmpx(): true when `word` is a prefix of `keyword`. */
export function matches(word: string, keyword: string): boolean {
  return word.length <= keyword.length && keyword.startsWith(word);
}

/** A command runs to completion, or returns a promise when it streams (monitor). */
export type Handler<C> = (ctx: C, args: string[]) => void | Promise<void>;
export type CommandTable<C> = Array<[keyword: string | null, handler: Handler<C>]>;

/** rd_exec_cmd(): runs the matching row; an unknown word is an error here (rdmatool exits 0). */
export function dispatch<C>(ctx: C, args: string[], table: CommandTable<C>, what: string): void | Promise<void> {
  if (args.length === 0) return table[0][1](ctx, args);
  const [word, ...rest] = args;
  for (const [kw, fn] of table.slice(1)) if (kw !== null && matches(word, kw)) return fn(ctx, rest);
  throw new CliError(`Unknown ${what} '${word}'.`);
}

/** A table's keywords in order (for completion and man pages). */
export const keywords = <C>(table: CommandTable<C>): string[] => table.map(([k]) => k).filter((k): k is string => k !== null);

/** KEY VALUE pairs with rdmatool prefix matching of the keys. */
export function parsePairs(args: string[], keys: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i += 2) {
    const key = keys.find((k) => k.startsWith(args[i]));
    if (!key) throw new CliError(`Unknown parameter '${args[i]}'.`);
    if (args[i + 1] === undefined) throw new CliError(`Please provide a value for ${key}.`);
    out[key] = args[i + 1];
  }
  return out;
}

/** A user's word for an error message: `'x'`, or `nothing` when it is missing. */
export const quoted = (word: string | undefined): string => (word === undefined ? 'nothing' : `'${word}'`);

/** A u32 argument (an id, a count): digits only and at most 4294967295, so that it never wraps on the wire. */
export function u32Arg(word: string | undefined, what: string): number {
  if (word === undefined || !/^\d+$/.test(word) || Number(word) > 0xffffffff) {
    throw new CliError(`${what} takes a number from 0 to 4294967295, not ${quoted(word)}`);
  }
  return Number(word);
}

/** iproute2's parse_on_off (lib/utils.c, for 7.x's newer words): exactly `on` or `off`, else its message. */
export function exactOnOff(word: string, what: string): boolean {
  if (word === 'on' || word === 'off') return word === 'on';
  throw new CliError(`Error: argument of "${what}" must be one of "off", "on", not "${word}"`);
}

/** An `on|off` word, by prefix (rdmatool's stat words); the printer of kernel flags is protocol/enums.ts's onOffName. */
export function parseOnOff(word: string | undefined, what: string): boolean {
  if (word !== undefined && matches(word, 'on')) return true;
  if (word !== undefined && matches(word, 'off')) return false;
  throw new CliError(word === undefined ? `Please provide on or off after ${what}.` : `Unknown parameter '${word}'.`);
}
