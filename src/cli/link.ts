// rdma link: show/list per port, add (rxe/siw on a netdev), delete.
import { RunContext, parseDevPort, everyLink } from './context.js';
import { CommandTable, dispatch, parsePairs } from './grammar.js';
import { CliError, withHints } from './errors.js';
import { getPort } from '../model/port.js';
import { addLink, deleteLink } from '../model/link.js';
import { netdevsOf } from '../model/netns-move.js';
import { printPort } from '../views/link.js';

const USAGE = 'Usage: rdma-ts link show [DEV/PORT_INDEX]\n'
  + 'Usage: rdma-ts link add NAME type TYPE netdev NETDEV\n'
  + 'Usage: rdma-ts link delete NAME\n';

function show(ctx: RunContext, args: string[]): void {
  ctx.out.begin(); // rdmatool opens the JSON array before resolving the device
  const targets = args.length ? [parseDevPort(ctx, args[0], true)] : everyLink(ctx);
  for (const t of targets) for (const p of t.ports) printPort(ctx.out, getPort(ctx.rd, t.device.index, p), ctx.details);
}

function help(ctx: RunContext): void {
  ctx.out.raw(USAGE);
}

/** The RDMA link already using `netdev`, for the EEXIST hint. */
function linkOnNetdev(ctx: RunContext, netdev: string): string | undefined {
  return ctx.devices.find((d) => netdevsOf(ctx.rd, ctx.session, d).includes(netdev))?.name;
}

function add(ctx: RunContext, args: string[]): void {
  const name = RunContext.need(args, 0, 'Please provide a link name to add.');
  const rest = args.slice(1);
  if (rest.length % 2 === 1 && 'netdev'.startsWith(rest[rest.length - 1])) throw new CliError('Please provide a net device name.');
  const w = parsePairs(rest, ['type', 'netdev']);
  if (w.type === undefined || w.netdev === undefined) ctx.incomplete(USAGE);
  withHints(() => addLink(ctx.rd, name, w.type!, w.netdev!), {
    23: `an RDMA device named ${name} already exists`,
    17: () => {
      const owner = linkOnNetdev(ctx, w.netdev!);
      return `netdev ${w.netdev} already has an RDMA link${owner ? ` (${owner})` : ''}; delete it first or use another netdev`;
    },
    19: `no netdev named ${w.netdev} in this network namespace`,
    22: `the kernel has no link type '${w.type}' (load its module: modprobe rdma_rxe for rxe, modprobe siw for siw)`,
  });
}

function del(ctx: RunContext, args: string[]): void {
  const dev = ctx.requireDevice(RunContext.need(args, 0, 'Please provide device name.'));
  deleteLink(ctx.rd, dev.index);
}

const TABLE: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['add', add], ['delete', del], ['help', help]];

export const linkCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, TABLE, 'command');
