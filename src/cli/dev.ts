// rdma dev: show/list, set (name, netns, adaptive-moderation), add, delete.
import { RunContext } from './context.js';
import { CommandTable, dispatch, parsePairs } from './grammar.js';
import { CliError, withHints } from './errors.js';
import { printDevice } from '../views/dev.js';
import { printMoveSteps } from '../views/move.js';
import { renameDevice, setDeviceNetns, setAdaptiveModeration, addDevice, deleteDevice, Device } from '../model/device.js';
import { DEV_TYPE_NUMBERS } from '../protocol/enums.js';
import { moveWithNetdevs, netdevsOf, MoveError } from '../model/netns-move.js';
import { getSystem } from '../model/system.js';
import { openNetnsFdAt, resolveTargetNetns } from '../transport/netns.js';
import { libc } from '../transport/libc.js';

const USAGE = 'Usage: rdma-ts dev show [DEV]\n'
  + '       rdma-ts dev set [DEV] name DEVNAME\n'
  + '       rdma-ts dev set [DEV] netns NSNAME|PID|PATH|host [--with-netdev]\n'
  + '       rdma-ts dev set [DEV] adaptive-moderation [on|off]\n'
  + '       rdma-ts dev add NAME type smi parent DEV\n'
  + '       rdma-ts dev delete NAME\n';

function show(ctx: RunContext, args: string[]): void {
  ctx.out.begin(); // rdmatool opens the JSON array before resolving the device
  const devs = args.length ? [ctx.requireDevice(args[0])] : ctx.devices;
  for (const d of devs) printDevice(ctx.out, d, ctx.details);
}

function help(ctx: RunContext): void {
  ctx.out.raw(USAGE);
}

const incomplete = (ctx: RunContext) => ctx.incomplete(USAGE, 'dev set: what to set is missing (name, netns or adaptive-moderation)');

function setName(ctx: RunContext, args: string[], dev: Device): void {
  const name = RunContext.need(args, 0, 'Please provide device new name.');
  withHints(() => renameDevice(ctx.rd, dev.index, name), { 17: `an RDMA device named ${name} already exists` });
}

function setNetns(ctx: RunContext, args: string[], dev: Device): void {
  const spec = RunContext.need(args, 0, 'Please provide device name.'); // sic: rdmatool's message
  const path = resolveTargetNetns(spec);
  if (ctx.opts.withNetdev) return moveTogether(ctx, dev, spec, path);
  let fd: number;
  try {
    fd = openNetnsFdAt(path);
  } catch (e) {
    const errno = (e as { errno?: number }).errno ?? 0;
    throw new CliError(`Cannot open network namespace "${spec}": ${errno ? libc().strerror(errno) : (e as Error).message} (${path})`);
  }
  try {
    withHints(() => setDeviceNetns(ctx.rd, dev.index, fd, path), { 95: () => moveRefusedHint(ctx, dev, spec) });
  } finally {
    libc().close(fd);
  }
}

/** EOPNOTSUPP on a move has two causes; SYS_GET tells which. */
function moveRefusedHint(ctx: RunContext, dev: Device, spec: string): string {
  let shared = false;
  try {
    shared = getSystem(ctx.rd).netnsMode === 1;
  } catch {
    // keep the driver explanation
  }
  if (shared) return 'the RDMA subsystem is in shared mode, where devices cannot change namespace; switch first: rdma-ts system ' +
    'set netns exclusive';
  return `${dev.name}'s driver cannot move between network namespaces (it has no disassociate_ucontext; rxe and siw are such drivers). `
    + `Create the link inside the namespace instead: ip netns exec ${spec} rdma link add NAME type rxe netdev IFNAME`;
}

function moveTogether(ctx: RunContext, dev: Device, spec: string, path: string): void {
  const netdevs = netdevsOf(ctx.rd, ctx.session, dev);
  try {
    const steps = withHints(() => moveWithNetdevs(ctx.rd, ctx.session.netns, dev, netdevs, { spec, path }),
      { 95: () => moveRefusedHint(ctx, dev, spec) });
    if (!ctx.opts.dryRun) printMoveSteps(ctx.out, steps);
  } catch (e) {
    if (!(e instanceof MoveError)) throw e;
    printMoveSteps(ctx.out, e.steps);
    throw new CliError(`rdma-ts: ${e.message}`);
  }
}

function setDim(ctx: RunContext, args: string[], dev: Device): void {
  dispatch(ctx, args, [
    [null, incomplete],
    ['on', () => setAdaptiveModeration(ctx.rd, dev.index, true)],
    ['off', () => setAdaptiveModeration(ctx.rd, dev.index, false)],
  ], 'parameter');
}

function set(ctx: RunContext, args: string[]): void {
  const dev = ctx.requireDevice(RunContext.need(args, 0, 'Please provide device name.'));
  const rest = args.slice(1);
  const table: CommandTable<RunContext> = [
    [null, incomplete],
    ['name', (c, a) => setName(c, a, dev)],
    ['netns', (c, a) => setNetns(c, a, dev)],
    ['adaptive-moderation', (c, a) => setDim(c, a, dev)],
  ];
  dispatch(ctx, rest, table, 'parameter');
}

/** dev add NAME type smi parent DEV (NEWDEV, Linux 6.11). */
function add(ctx: RunContext, args: string[]): void {
  const name = RunContext.need(args, 0, 'Please provide a device name to add.');
  const words = parsePairs(args.slice(1), ['type', 'parent']);
  // Like rdmatool 7.1: a missing type or parent prints the usage (it exits 0 there; an incomplete change exits 1 here).
  if (words.type === undefined) ctx.incomplete(USAGE, 'dev add: type smi and parent DEV are missing');
  const type = words.type;
  if (!Object.hasOwn(DEV_TYPE_NUMBERS, type)) {
    throw new CliError(`Invalid device type ${type}\nrdma-ts: the device types are: ${Object.keys(DEV_TYPE_NUMBERS).join(', ')}`);
  }
  if (!words.parent) ctx.incomplete(USAGE, 'dev add: parent DEV is missing');
  const parent = ctx.requireDevice(words.parent);
  const unsupported = `the kernel (needs 6.11+) or ${parent.name} (needs an InfiniBand port with an SMI) does not support ` +
    `${type} sub-devices`;
  const taken = `an RDMA device named ${name} already exists`;
  withHints(() => addDevice(ctx.rd, name, DEV_TYPE_NUMBERS[type], parent.index), { 95: unsupported, 22: unsupported, 17: taken,
    23: taken });
}

function del(ctx: RunContext, args: string[]): void {
  const dev = ctx.requireDevice(RunContext.need(args, 0, 'Please provide device name.'));
  const notSub = `${dev.name} is not a sub-device: dev delete removes what dev add created (type smi); an rxe or siw link goes ` +
    `with rdma-ts link delete ${dev.name}`;
  withHints(() => deleteDevice(ctx.rd, dev.index), { 95: notSub, 22: notSub });
}

export const DEV_COMMANDS: CommandTable<RunContext> = [
  [null, show], ['show', show], ['list', show], ['set', set], ['add', add], ['delete', del], ['help', help],
];

export const devCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, DEV_COMMANDS, 'dev command');
