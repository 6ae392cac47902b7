// rdma link: show/list per port.
import { RunContext, parseDevPort } from './context.js';
import { CommandTable, dispatch } from './grammar.js';
import { CliError } from './errors.js';
import { getPort } from '../model/port.js';
import { printPort } from '../views/link.js';

function show(ctx: RunContext, args: string[]): void {
  ctx.out.begin(); // rdmatool opens the JSON array before resolving the device
  // `link show DEV` and `DEV/` are refused by rdmatool: it wants DEV/PORT (checked against 6.1 in the lab).
  if (args.length && !/\/\d/.test(args[0])) throw new CliError('Wrong device name');
  const targets = args.length
    ? [parseDevPort(ctx, args[0], true)]
    : ctx.devices.map((device) => ({ device, ports: Array.from({ length: device.portCount }, (_, i) => i + 1) }));
  for (const t of targets) for (const p of t.ports) printPort(ctx.out, getPort(ctx.rd, t.device.index, p), ctx.details);
}

function help(ctx: RunContext): void {
  ctx.out.raw('Usage: rdma-ts link show [DEV/PORT_INDEX]\n');
}

const TABLE: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['help', help]];

export const linkCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, TABLE, 'command');
