// rdma system: show, set netns shared|exclusive [--persist], set privileged-qkey on|off.
import { readSync } from 'node:fs';
import { RunContext } from './context.js';
import { CommandTable, dispatch, exactOnOff } from './grammar.js';
import { CliError } from './errors.js';
import { getSystem, setNetnsMode, setPrivilegedQkey, NETNS_MODES } from '../model/system.js';
import { bootNetnsMode, persistNetnsMode, MODPROBE_DIR, PERSIST_FILE } from '../model/boot-config.js';
import { listNamespaces } from '../model/namespaces.js';
import { printSystem } from '../views/sys.js';
import { describeBlockers } from '../views/namespaces.js';
import { NetlinkError } from '../transport/errors.js';

const USAGE = 'Usage: rdma-ts system show [ netns | privileged-qkey | monitor ]\n'
  + '       rdma-ts system set netns { shared | exclusive } [--persist [--yes]]\n'
  + '       rdma-ts system set privileged-qkey { on | off }\n';

/** `system show [netns|privileged-qkey|monitor]`: each word shows the whole line, as rdmatool's sys_show does. */
function show(ctx: RunContext, args: string[]): void | Promise<void> {
  const l = ctx.out.opts.layout;
  const table: CommandTable<RunContext> = [[null, showAll], ['netns', showAll]];
  if (l.sysPrivilegedQkey) table.push(['privileged-qkey', showAll]);
  if (l.sysMonitor) table.push(['monitor', showAll]);
  return dispatch(ctx, args, table, 'parameter');
}

function showAll(ctx: RunContext): void {
  const s = getSystem(ctx.rd);
  // Boot-time configuration is host state, not kernel state: not consulted on replay.
  const boot = ctx.session.options.replay ? undefined : bootNetnsMode();
  printSystem(ctx.out, s, boot && boot.mode !== s.netnsMode ? boot : undefined);
}

function help(ctx: RunContext): void {
  ctx.out.raw(USAGE);
}

function confirm(question: string, yes: boolean): void {
  if (yes) return;
  if (!process.stdin.isTTY) throw new CliError(`${question}: no terminal to ask on; add --yes to confirm`);
  process.stderr.write(`${question} [y/N] `);
  const buf = Buffer.alloc(64);
  const n = readSync(0, buf, 0, buf.length, null);
  if (!/^y(es)?$/i.test(buf.subarray(0, n).toString().trim())) throw new CliError('Cancelled; nothing changed.');
}

function setNetns(ctx: RunContext, args: string[]): void {
  const word = args[0];
  if (word === undefined || !(word in NETNS_MODES)) throw new CliError('valid options are: { shared | exclusive }');
  const mode = NETNS_MODES[word];
  const persist = ctx.opts.persist && !ctx.opts.dryRun;
  if (persist) confirm(`Also write "options ib_core netns_mode=${mode}" (${word}) to ${MODPROBE_DIR}/${PERSIST_FILE} for the ` +
    `next boot?`, ctx.opts.yes);
  const before = persist ? getSystem(ctx.rd).netnsMode : undefined;
  try {
    setNetnsMode(ctx.rd, mode);
  } catch (e) {
    if (e instanceof NetlinkError && e.errno === 16) e.hint = describeBlockers(listNamespaces(), word);
    throw e;
  }
  if (!persist) return;
  try {
    const file = persistNetnsMode(mode);
    process.stderr.write(`rdma-ts: ${word} mode is live and written to ${file} for the next boot\n`);
  } catch (e) {
    // Both or neither: put the live mode back.
    if (before !== undefined && before !== mode) setNetnsMode(ctx.rd, before);
    throw new CliError(`rdma-ts: cannot write ${MODPROBE_DIR}/${PERSIST_FILE}: ${(e as Error).message}; the live mode was put back`);
  }
}

function setQkey(ctx: RunContext, args: string[]): void {
  const word = args[0];
  if (word === undefined) throw new CliError('valid options are: { on | off }');
  exactOnOff(word, 'privileged-qkey');
  if (getSystem(ctx.rd).privilegedQkey === undefined) {
    throw new CliError(`rdma-ts: this kernel (${ctx.session.kernel}) has no privileged-qkey setting (added in Linux 6.7)`);
  }
  setPrivilegedQkey(ctx.rd, word === 'on');
}

function set(ctx: RunContext, args: string[]): void {
  dispatch(ctx, args, [
    [null, (c) => c.incomplete(USAGE, 'system set: what to set is missing (netns or privileged-qkey)')],
    ['netns', setNetns],
    ['privileged-qkey', setQkey],
  ], 'parameter');
}

export const SYS_COMMANDS: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['set', set], ['help', help]];

export const sysCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, SYS_COMMANDS, 'system command');
