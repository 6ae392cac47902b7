// rdma statistic writes: QP counter auto mode, manual bind/unbind, and the
// set of enabled optional counters. Grammar and messages follow rdmatool
// (stat.c); where rdmatool fails silently, rdma-ts says why.
import { RunContext, parseDevPort, everyLink } from './context.js';
import { CommandTable, dispatch, matches, u32Arg, parseOnOff, exactOnOff } from './grammar.js';
import { CliError, withHints } from './errors.js';
import { buildFilters, FilterKey } from './filters.js';
import {
  AUTO_MASK, PortRef, setQpAutoMode, bindQp, unbindQp, counterQps, unbindAll, getCounterStatus, getQpCounterMode,
  setOptionalCounters,
} from '../model/stat.js';
import { printQpMode } from '../views/stat.js';
import { olderThan } from '../model/client.js';

export const STAT_WRITE_USAGE =
  '       rdma-ts statistic qp set link DEV/PORT auto {type|pid|type,pid} on [optional-counters on|off]\n' +
  '       rdma-ts statistic qp set link DEV/PORT auto off\n' +
  '       rdma-ts statistic qp bind link DEV/PORT lqpn LQPN [cntn CNTN]\n' +
  '       rdma-ts statistic qp unbind link DEV/PORT cntn CNTN [lqpn LQPN]\n' +
  '       rdma-ts statistic set link DEV/PORT optional-counters NAME[,NAME...]\n' +
  '       rdma-ts statistic unset link DEV/PORT optional-counters\n';

/** rdmatool validates bind/unbind words with the `stat qp show` filter table before reading them. */
const BIND_WORDS: FilterKey[] = [
  { name: 'cntn', numeric: true }, { name: 'lqpn', numeric: true }, { name: 'pid', numeric: true }, { name: 'qp-type', numeric: false },
];

/** A port a counter write addresses, with its `DEV/PORT` name for messages. */
interface Target extends PortRef {
  label: string;
}

interface Selected {
  targets: Target[];
  rest: string[];
}

/** `DEV[/PORT] ...` -> the ports it names and the words after it; no words: every port of every device. */
function selectPorts(ctx: RunContext, args: string[], strict: boolean): Selected {
  const sels = args.length ? [parseDevPort(ctx, args[0], strict)] : everyLink(ctx);
  const targets = sels.flatMap((s) => s.ports.map((port) => ({ devIndex: s.device.index, port, label: `${s.device.name}/${port}` })));
  return { targets, rest: args.slice(1) };
}

const usage = (ctx: RunContext, missing: string) => ctx.incomplete(`Usage:\n${STAT_WRITE_USAGE}`, `statistic: ${missing}`);

/** The criteria word: `type`, `pid` or both, comma separated, exact as in rdmatool. */
const NO_CRITERIA = 'Please provide the auto mode criteria: type, pid, type,pid, or off.';

function autoMask(word: string): number {
  let mask = 0;
  for (const w of word.split(',').filter(Boolean)) {
    if (w === 'type') mask |= AUTO_MASK.QP_TYPE;
    else if (w === 'pid') mask |= AUTO_MASK.PID;
    else throw new CliError(`Unknown auto mode '${w}'.`);
  }
  return mask;
}

/** `auto off` | `auto CRITERIA on [optional-counters on|off]` -> [mask, opcounters]. */
function parseAuto(words: string[]): [number, boolean | undefined] {
  if (!words.length) throw new CliError(NO_CRITERIA);
  if (matches(words[0], 'off')) {
    if (words.length > 1) throw new CliError(`Unknown parameter '${words[1]}'.`);
    return [0, undefined];
  }
  const mask = autoMask(words[0]);
  if (!mask) throw new CliError(NO_CRITERIA);
  parseOnOff(words[1], `auto ${words[0]}`);
  if (words.length <= 2) return [mask, undefined];
  if (!matches(words[2], 'optional-counters')) throw new CliError(`Unknown parameter '${words[2]}'.`);
  const opcounters = words[3] === undefined ? parseOnOff(undefined, 'optional-counters') : exactOnOff(words[3], 'optional-counters');
  if (words.length > 4) throw new CliError(`Unknown parameter '${words[4]}'.`);
  return [mask, opcounters];
}

function qpSetLink(ctx: RunContext, args: string[]): void {
  const { targets, rest } = selectPorts(ctx, args, false);
  if (!rest.length) {
    // rdmatool: `stat qp set link DEV/PORT` alone shows the mode.
    ctx.out.begin();
    for (const p of targets) printQpMode(ctx.out, getQpCounterMode(ctx.rd, p.devIndex, p.port));
    return;
  }
  if (!matches(rest[0], 'auto')) throw new CliError(`Unknown parameter '${rest[0]}'.`);
  const [mask, opcounters] = parseAuto(rest.slice(1));
  for (const p of targets) {
    withHints(() => setQpAutoMode(ctx.rd, p, mask, opcounters), {
      22: opcounters === undefined ? undefined
        : `${olderThan(ctx.session.kernel, [6, 15]) ? 'optional counters in auto mode need Linux 6.15 or newer'
          : 'the kernel refused optional counters in auto mode'}; this kernel is ${ctx.session.kernel}; ` +
          `drop "optional-counters ${opcounters ? 'on' : 'off'}"`,
      95: "this device's driver has no QP counters",
    });
  }
}

/** `NAME N` at args[i], rdmatool's stat_get_arg(): the keyword by prefix, one number (no list or range). */
function numberAfter(args: string[], i: number, name: string): number {
  const word = args[i];
  if (word === undefined || !matches(word, name)) throw new CliError(`Expected "${name} N"${word === undefined ? '' : `, got '${word}'`}.`);
  const v = args[i + 1];
  if (/[-,]/.test(v)) throw new CliError(`The parameter ${name} shouldn't include range`);
  return u32Arg(v, name);
}

/** bind, unbind, set, unset: `DEV/PORT` and at least one word after it, else the usage. */
function strictWords(ctx: RunContext, args: string[]): Selected {
  if (!args.length) usage(ctx, 'link DEV/PORT is missing');
  const sel = selectPorts(ctx, args, true);
  if (!sel.rest.length) usage(ctx, `nothing after link ${args.join(' ')}`);
  return sel;
}

/** bind/unbind words: validated like rdmatool (as filters), then read in their fixed order. */
function bindWords(ctx: RunContext, args: string[]): Selected {
  const sel = strictWords(ctx, args);
  buildFilters(sel.rest, BIND_WORDS);
  return sel;
}

/** set/unset: `DEV/PORT optional-counters ...` -> the ports and the words after the keyword. */
function optionalCountersWords(ctx: RunContext, args: string[]): Selected {
  const { targets, rest } = strictWords(ctx, args);
  if (!matches(rest[0], 'optional-counters')) throw new CliError(`Unknown parameter '${rest[0]}'.`);
  return { targets, rest: rest.slice(1) };
}

function qpBindLink(ctx: RunContext, args: string[]): void {
  const { targets, rest } = bindWords(ctx, args);
  const lqpn = numberAfter(rest, 0, 'lqpn');
  const cntn = rest.length > 2 ? numberAfter(rest, 2, 'cntn') : undefined;
  for (const p of targets) {
    withHints(() => bindQp(ctx.rd, p, lqpn, cntn), {
      2: `no QP ${lqpn} on ${p.label} that can be bound${cntn !== undefined ? `, or no counter ${cntn}` : ''} ` +
        `(rdma-ts res show qp link ${p.label})`,
      22: `QP ${lqpn} cannot join counter ${cntn ?? '(new)'} on ${p.label}: in auto mode the kernel binds QPs itself (rdma-ts ` +
        `statistic qp set link ${p.label} auto off), and a counter only takes QPs of its own type and process`,
      95: "this device's driver has no QP counters",
      12: `${p.label}'s driver cannot allocate per-QP counters (it has no counter_alloc_stats; rxe and siw are such drivers)`,
      16: `QP ${lqpn} is already bound to a counter (rdma-ts statistic qp show link ${p.label} lqpn ${lqpn})`,
    });
  }
}

function qpUnbindLink(ctx: RunContext, args: string[]): void {
  const { targets, rest } = bindWords(ctx, args);
  const cntn = numberAfter(rest, 0, 'cntn');
  const lqpn = rest.length > 2 ? numberAfter(rest, 2, 'lqpn') : undefined;
  const missing = (p: Target) =>
    `no counter ${cntn}${lqpn !== undefined ? ` holding QP ${lqpn}` : ''} on ${p.label} (rdma-ts statistic qp show link ${p.label})`;
  for (const p of targets) {
    withHints(() => {
      if (lqpn !== undefined) unbindQp(ctx.rd, p, cntn, lqpn);
      else unbindAll(ctx.rd, p, cntn, counterQps(ctx.rd, p, cntn));
    }, { 2: () => missing(p), 22: () => missing(p) });
  }
}

function setLink(ctx: RunContext, args: string[]): void {
  const { targets, rest } = optionalCountersWords(ctx, args);
  if (rest.length !== 1) usage(ctx,
    rest.length ? `optional-counters takes one NAME[,NAME...], not '${rest.join(' ')}'` : 'optional-counters needs NAME[,NAME...]');
  const wanted = rest[0].split(',').filter(Boolean);
  for (const p of targets) {
    const optional = getCounterStatus(ctx.rd, p.devIndex, p.port).counters.filter((c) => c.dynamic !== undefined);
    const indexes = wanted.map((name) => {
      const c = optional.find((x) => x.name === name);
      if (!c || c.index === undefined) {
        const known = optional.map((x) => x.name).join(', ') || 'none';
        throw new CliError(`rdma-ts: ${p.label} has no optional counter named '${name}' (optional counters there: ${known})`);
      }
      return c.index;
    });
    setOptionalCounters(ctx.rd, p, indexes);
  }
}

function unsetLink(ctx: RunContext, args: string[]): void {
  const { targets, rest } = optionalCountersWords(ctx, args);
  if (rest.length) usage(ctx, `unset optional-counters takes nothing more, not '${rest.join(' ')}'`);
  for (const p of targets) setOptionalCounters(ctx.rd, p, []);
}

/** `KEYWORD link ...` tables: no word prints the usage (incomplete), `link` runs the command, `help` prints the usage. */
const linkOnly = (run: (ctx: RunContext, args: string[]) => void): CommandTable<RunContext> =>
  [[null, (c) => usage(c, 'link DEV/PORT is missing')], ['link', run], ['help', (c) => c.out.raw(`Usage:\n${STAT_WRITE_USAGE}`)]];

export const qpSet = (ctx: RunContext, args: string[]) => dispatch(ctx, args, linkOnly(qpSetLink), 'parameter');
export const qpBind = (ctx: RunContext, args: string[]) => dispatch(ctx, args, linkOnly(qpBindLink), 'parameter');
export const qpUnbind = (ctx: RunContext, args: string[]) => dispatch(ctx, args, linkOnly(qpUnbindLink), 'parameter');
export const statSet = (ctx: RunContext, args: string[]) => dispatch(ctx, args, linkOnly(setLink), 'parameter');
export const statUnset = (ctx: RunContext, args: string[]) => dispatch(ctx, args, linkOnly(unsetLink), 'parameter');
