// rdma resource set frmr_pools dev DEV { aging SECONDS | pinned POOL_KEY HANDLES }
// (iproute2 7.1, kernel 7.0). Messages follow rdmatool's res-frmr-pools.c.
import { RunContext, devArgIndex } from './context.js';
import { CommandTable, dispatch } from './grammar.js';
import { CliError, withHints } from './errors.js';
import { FrmrPoolKey, setFrmrAgingPeriod, setFrmrPinned } from '../model/resource.js';

const USAGE = 'Usage: rdma-ts resource set frmr_pools dev DEV aging AGING_PERIOD\n'
  + 'Usage: rdma-ts resource set frmr_pools dev DEV pinned POOL_KEY PINNED_VALUE\n';

const U32 = /^\d+$/;
const u32 = (s: string) => U32.test(s) && Number(s) <= 0xffffffff;

/** decode_pool_key(): four hex fields, `vendor_key:num_dma_blocks:access_flags:ats`; extra fields must be 0. */
export function parsePoolKey(text: string): FrmrPoolKey {
  const fields = text.split(':');
  if (fields.some((f) => !/^(0x)?[0-9a-f]+$/i.test(f)
    || BigInt(`0x${f.replace(/^0x/i, '')}`) >= 1n << 64n)) throw new CliError(`Invalid pool key: ${text}`);
  const v = fields.map((f) => BigInt(`0x${f.replace(/^0x/i, '')}`));
  if (v.length < 4) throw new CliError(`Invalid pool key: ${text}, expected 4 fields`);
  if (v[2] > 0xffffffffn) throw new CliError('Pool key field at index 2 value out of range');
  if (v[3] > 1n) throw new CliError('Pool key field at index 3 value out of range');
  if (v.slice(4).some((x) => x !== 0n)) throw new CliError('Unsupported pool attributes passed in pool key');
  return { vendorKey: v[0], numDmaBlocks: v[1], accessFlags: Number(v[2]), ats: Number(v[3]) };
}

function aging(ctx: RunContext, args: string[], devIndex: number): void {
  const value = RunContext.need(args, 0, 'Please provide aging period value.');
  if (!u32(value)) throw new CliError(`Invalid aging period value: ${value}`);
  if (Number(value) === 0) throw new CliError('Setting the aging period to zero is not supported.');
  setFrmrAgingPeriod(ctx.rd, devIndex, Number(value));
}

function pinned(ctx: RunContext, args: string[], devIndex: number): void {
  const text = RunContext.need(args, 0, 'Please provide pool key and pinned value.');
  const key = parsePoolKey(text);
  const value = RunContext.need(args, 1, 'Please provide pinned value.');
  if (!u32(value)) throw new CliError(`Invalid pinned value: ${value}`);
  withHints(() => setFrmrPinned(ctx.rd, devIndex, key, Number(value)), {
    2: `no FRMR pool with key ${text} on this device (the keys: rdma-ts res show frmr_pools)`,
  });
}

function frmrPools(ctx: RunContext, args: string[]): void {
  // rd_set_arg_to_devname(): the words after `dev`/`link` name the device, then the command follows.
  const at = devArgIndex(args);
  const rest = at >= 0 ? args.slice(at) : [];
  const dev = ctx.requireDevice(RunContext.need(rest, 0, 'Please provide device name.'));
  const table: CommandTable<RunContext> = [
    [null, (c) => c.incomplete(USAGE, 'resource set frmr_pools: what to set is missing (aging or pinned)')],
    ['help', (c) => c.out.raw(USAGE)],
    ['aging', (c, a) => aging(c, a, dev.index)],
    ['pinned', (c, a) => pinned(c, a, dev.index)],
  ];
  dispatch(ctx, rest.slice(1), table, 'resource set frmr_pools command');
}

export const resSet = (ctx: RunContext, args: string[]) =>
  dispatch(ctx, args, [[null, (c) => c.incomplete(USAGE, 'resource set: the object is missing (frmr_pools)')], ['frmr_pools',
    frmrPools], ['help', (c) => c.out.raw(USAGE)]], 'resource set command');
