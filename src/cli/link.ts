// rdma link: show/list per port, add (rxe/siw on a netdev), delete.
import { RunContext, parseDevPort, everyLink } from './context.js';
import { CommandTable, dispatch, parsePairs, quoted } from './grammar.js';
import { CliError, withHints } from './errors.js';
import { getPort, Port } from '../model/port.js';
import { IB_SYSFS } from '../model/sysfs.js';
import { GID_TYPE, versionsOf } from '../model/gid-table.js';
import { CmRoceModeError, readCmRoceMode, setCmRoceMode } from '../model/cm-roce-mode.js';
import { isRoce, maskForV1, noInterfaceMessage, refuseMask, setRoceGidTypes } from '../model/roce-gid-types.js';
import { addLink, deleteLink } from '../model/link.js';
import { netdevsOf } from '../model/netns-move.js';
import { printPort } from '../views/link.js';

const USAGE = 'Usage: rdma-ts link show [DEV/PORT_INDEX]\n'
  + 'Usage: rdma-ts link add NAME type TYPE netdev NETDEV\n'
  + 'Usage: rdma-ts link delete NAME\n'
  + 'Usage: rdma-ts link set DEV/PORT_INDEX cm-roce-mode { v2 | v1 }\n'
  + 'Usage: rdma-ts link set DEV/PORT_INDEX roce-v1 { off | on }\n';

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
  if (w.type === undefined || w.netdev === undefined) ctx.incomplete(USAGE,
    `link add: ${w.type === undefined ? 'type TYPE' : 'netdev NETDEV'} is missing`);
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

/** A RoCE port named DEV/PORT, or a clear error. */
function rocePort(ctx: RunContext, arg: string | undefined, what: string): Port {
  if (arg === undefined) throw new CliError(`link set: which port? ${USAGE.split('\n').filter((l) => l.includes(' set ')).join(' | ')}`);
  const sel = parseDevPort(ctx, arg, true);
  const port = getPort(ctx.rd, sel.device.index, sel.ports[0]);
  const linkLayer = ctx.session.readHostFile(`${IB_SYSFS}/${sel.device.name}/ports/${port.port}/link_layer`)?.trim();
  if (!isRoce(sel.device.protocol, linkLayer)) {
    throw new CliError(`link set ${arg} ${what}: ${arg} is not a RoCE port ` +
      `(${sel.device.protocol ?? linkLayer ?? 'unknown protocol'}): only RoCE ports have v1 and v2 GIDs`);
  }
  return port;
}

/** link set DEV/PORT cm-roce-mode v2|v1: rdma_cm's default GID type (configfs). */
function setCmMode(ctx: RunContext, target: string, value: string | undefined): void {
  const version = value === 'v2' || value === 'RoCE v2' ? 'v2' : value === 'v1' || value === 'IB/RoCE v1' ? 'v1' : undefined;
  if (!version) throw new CliError(`link set ${target} cm-roce-mode: the mode is v2 or v1, not ${quoted(value)}`);
  const port = rocePort(ctx, target, 'cm-roce-mode');
  try {
    setCmRoceMode(ctx.session, port.devName, port.port, version);
  } catch (e) {
    if (e instanceof CmRoceModeError) throw new CliError(`link set ${target} cm-roce-mode: ${e.message}`);
    throw e;
  }
  if (!ctx.opts.dryRun) {
    process.stderr.write(`note: rdma_cm now picks ${GID_TYPE[version]} GIDs on ${target} for new connections; this frees no GID ` +
      `table entries `
      + `(\`rdma-ts gid show ${target}\` shows them)\n`);
  }
}

/** link set DEV/PORT roce-v1 off|on: the proposed per-port GID types (kernel/roce-gid-types). */
function setRoceV1(ctx: RunContext, target: string, value: string | undefined): void {
  if (value !== 'off' && value !== 'on') throw new CliError(`link set ${target} roce-v1: off or on, not ${quoted(value)}`);
  const port = rocePort(ctx, target, 'roce-v1');
  const mask = maskForV1(port, value);
  const refused = refuseMask(port, mask);
  if (refused) throw new CliError(`link set ${target} roce-v1 ${value}: ${refused}`);
  if (port.roceGidTypes === undefined) {
    if (!ctx.opts.dryRun) throw new CliError(noInterfaceMessage(target));
    process.stderr.write(`note: this kernel does not report RDMA_NLDEV_ATTR_ROCE_GID_TYPES: sent, this request would fail ` +
      `(kernel/README.md)\n`);
  }
  // rdma_cm keeps its default mode when v1 goes: a port left on IB/RoCE v1 would find no GID to use.
  const cm = value === 'off' && port.roceGidTypes !== undefined ? readCmRoceMode(ctx.session, port.devName, port.port) : undefined;
  if (cm && 'mode' in cm && cm.mode === GID_TYPE.v1) {
    setCmRoceMode(ctx.session, port.devName, port.port, 'v2');
    if (!ctx.opts.dryRun) process.stderr.write(`note: ${target}: rdma_cm's cm-roce-mode was ${GID_TYPE.v1}; set to ` +
      `${GID_TYPE.v2} first, as no v1 GID will be left\n`);
  }
  withHints(() => setRoceGidTypes(ctx.rd, port, mask), {
    95: `${target}: the kernel has the interface but refuses this port (not RoCE)`,
    22: `${target}: the kernel refused GID types ${versionsOf(mask).join(',')} (supported: ` +
      `${versionsOf(port.roceGidTypesCap ?? 0).join(',') || 'unknown'})`,
  });
}

const SETTINGS: Record<string, (ctx: RunContext, target: string,
  value: string | undefined) => void> = { 'cm-roce-mode': setCmMode, 'roce-v1': setRoceV1 };

function set(ctx: RunContext, args: string[]): void {
  const [target, key, value, ...rest] = args;
  const handler = key === undefined ? undefined : SETTINGS[key];
  if (target === undefined || key === undefined) ctx.incomplete(USAGE,
    `link set: ${target === undefined ? 'DEV/PORT' : 'the setting'} is missing (settings: ${Object.keys(SETTINGS).join(', ')})`);
  if (!handler) throw new CliError(`link set: unknown setting '${key}' (settings: ${Object.keys(SETTINGS).join(', ')})`);
  if (rest.length) throw new CliError(`link set: unexpected '${rest[0]}' after ${key} ${value}`);
  handler(ctx, target, value);
}

export const LINK_COMMANDS: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['add', add], ['delete', del], ['set',
  set], ['help', help]];

export const linkCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, LINK_COMMANDS, 'link command');
