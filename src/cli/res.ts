// rdma resource: the per-device summary and every restrack object, with
// rdmatool's filters, `dev`/`link` selection and doit-by-id.
import { RunContext, parseDevPort, findDevArg } from './context.js';
import { CommandTable, dispatch } from './grammar.js';
import { FilterKey, buildFilters, accepts, filterValue } from './filters.js';
import { A } from '../protocol/nldev-schema.js';
import type { Attrs } from '../protocol/codec.js';
import { NetlinkError } from '../transport/errors.js';
import {
  RESOURCE_KINDS, ResourceKind, Resource, eachResource, getResource, getResourceSummary,
} from '../model/resource.js';
import { printResource, printSummary } from '../views/res.js';
import { resSet } from './res-set.js';
import {
  qpTypeName, qpStateName, pathMigName, cmIdStateName, portSpaceName, pollCtxName, srqTypeName,
} from '../views/names.js';

type Getter = (e: Attrs) => number | bigint | string | number[] | undefined;
interface KeySpec extends FilterKey {
  get?: Getter;
}

const num = (name: string, attr: number): KeySpec => ({ name, numeric: true, get: (e) => e[attr] });
const named = (name: string, attr: number, fn: (v: number) => string): KeySpec => ({
  name, numeric: false, get: (e) => (e[attr] === undefined ? undefined : fn(e[attr])),
});
const inert = (name: string, numeric = false): KeySpec => ({ name, numeric, inert: true });
const addr = (name: string, attr: number, part: 'address' | 'port'): KeySpec => ({
  name, numeric: part === 'port', get: (e) => e[attr]?.[part],
});

/** Filter keys per object, in rdmatool's table order (prefixes match the first). */
const FILTERS: Record<ResourceKind['name'], KeySpec[]> = {
  qp: [inert('link'), num('lqpn', A.RES_LQPN), num('rqpn', A.RES_RQPN), num('pid', A.RES_PID),
    num('sq-psn', A.RES_SQ_PSN), num('rq-psn', A.RES_RQ_PSN), named('type', A.RES_TYPE, qpTypeName),
    { ...named('path-mig-state', A.RES_PATH_MIG_STATE, pathMigName), whenPresent: true }, named('state', A.RES_STATE, qpStateName),
    num('pdn', A.RES_PDN)],
  cm_id: [inert('link'), num('lqpn', A.RES_LQPN), named('qp-type', A.RES_TYPE, qpTypeName),
    named('state', A.RES_STATE, cmIdStateName), named('ps', A.RES_PS, portSpaceName), inert('dev-type'),
    inert('transport-type'), num('pid', A.RES_PID), addr('src-addr', A.RES_SRC_ADDR, 'address'),
    addr('src-port', A.RES_SRC_ADDR, 'port'), addr('dst-addr', A.RES_DST_ADDR, 'address'),
    addr('dst-port', A.RES_DST_ADDR, 'port'), num('cm-idn', A.RES_CM_IDN)],
  cq: [inert('dev'), num('users', A.RES_USECNT), named('poll-ctx', A.RES_POLL_CTX, pollCtxName),
    num('pid', A.RES_PID), num('cqn', A.RES_CQN), num('ctxn', A.RES_CTXN)],
  mr: [inert('dev'), inert('rkey', true), inert('lkey', true), num('mrlen', A.RES_MRLEN), num('pid', A.RES_PID),
    num('mrn', A.RES_MRN), num('pdn', A.RES_PDN)],
  pd: [inert('dev'), num('users', A.RES_USECNT), num('pid', A.RES_PID), num('ctxn', A.RES_CTXN), num('pdn', A.RES_PDN)],
  ctx: [inert('dev'), num('pid', A.RES_PID), num('ctxn', A.RES_CTXN)],
  srq: [inert('dev'), num('pid', A.RES_PID), num('srqn', A.RES_SRQN), named('type', A.RES_TYPE, srqTypeName),
    num('pdn', A.RES_PDN), num('cqn', A.RES_CQN),
    { name: 'lqpn', numeric: true, get: (e) => srqLqpns(e) }],
  frmr_pools: [inert('dev'), poolKey('ats', A.FRMR_POOL_KEY_ATS), poolKey('access_flags', A.FRMR_POOL_KEY_ACCESS_FLAGS),
    poolKey('vendor_key', A.FRMR_POOL_KEY_VENDOR_KEY), poolKey('num_dma_blocks', A.FRMR_POOL_KEY_NUM_DMA_BLOCKS),
    num('queue', A.FRMR_POOL_QUEUE_HANDLES), num('in_use', A.FRMR_POOL_IN_USE),
    num('max_in_use', A.FRMR_POOL_MAX_IN_USE), num('pinned', A.FRMR_POOL_PINNED_HANDLES)],
};

function poolKey(name: string, attr: number): KeySpec {
  return { name, numeric: true, get: (e) => e[A.FRMR_POOL_KEY]?.[attr] };
}

/** Every QPN an SRQ serves, ranges expanded, so `lqpn` filters match any of them. */
function srqLqpns(e: Attrs): number[] | undefined {
  const qps = e[A.RES_QP] as Attrs[] | undefined;
  if (!qps) return undefined;
  const out: number[] = [];
  for (const q of qps) {
    if (q[A.RES_LQPN] !== undefined) out.push(q[A.RES_LQPN]);
    else for (let n = q[A.MIN_RANGE]; n <= q[A.MAX_RANGE]; n++) out.push(n);
  }
  return out;
}

const ID_KEY: Record<ResourceKind['name'], string | undefined> = {
  qp: 'lqpn', cm_id: 'cm-idn', cq: 'cqn', mr: 'mrn', pd: 'pdn', ctx: 'ctxn', srq: 'srqn', frmr_pools: undefined,
};

function showObject(kind: ResourceKind) {
  return (ctx: RunContext, args: string[]): void => {
    const keys = FILTERS[kind.name];
    const filters = buildFilters(args, keys);
    ctx.out.begin(); // rdmatool opens the JSON array before resolving the device
    const devArg = findDevArg(args);
    const targets: Array<{ devIndex: number; port?: number; only?: number }> = [];
    if (devArg !== undefined) {
      if (kind.perPort) {
        const sel = parseDevPort(ctx, devArg, false);
        targets.push({ devIndex: sel.device.index, port: sel.port || undefined, only: sel.port });
      } else targets.push({ devIndex: ctx.requireDevice(devArg).index });
    } else for (const d of ctx.devices) targets.push({ devIndex: d.index });

    const raw = ctx.opts.raw;
    const q = { raw, driverDetails: ctx.driverDetails };
    const idKey = ID_KEY[kind.name];
    const idValue = idKey === undefined ? undefined : filterValue(filters, idKey);
    const getters = new Map(keys.map((k) => [k.name, k.get]));
    // An explicit port keeps only that port's objects; `DEV/-` (port 0) keeps only port-less ones.
    const portOf = (r: Resource) => r.entry[A.PORT_INDEX] ?? 0;
    const keep = (r: Resource, port?: number) =>
      (port === undefined || portOf(r) === port) && accepts(filters, keys, (name) => getters.get(name)?.(r.entry));
    const opts = { raw, details: ctx.details, driverDetails: ctx.driverDetails, comm: (pid: number) => ctx.comm(pid) };
    for (const t of targets) {
      let rows: Resource[] | undefined;
      if (idValue !== undefined && /^\d+$/.test(idValue)) {
        try {
          rows = getResource(ctx.rd, kind, { ...q, devIndex: t.devIndex, port: t.port }, Number(idValue));
        } catch (e) {
          // Old kernels have no doit for this object: fall back to the dump, as rdmatool does (not with -r).
          if (!(e instanceof NetlinkError) || raw) throw e;
        }
      }
      const print = (r: Resource) => {
        if (raw || keep(r, t.only)) printResource(ctx.out, kind, r, opts);
      };
      if (rows) rows.forEach(print);
      else eachResource(ctx.rd, kind, { ...q, devIndex: t.devIndex, port: t.port }, print);
    }
  };
}

function summary(ctx: RunContext, args: string[]): void {
  ctx.out.begin();
  const devs = args.length ? [ctx.requireDevice(args[0])] : ctx.devices;
  for (const d of devs) printSummary(ctx.out, getResourceSummary(ctx.rd, d.index, ctx.driverDetails));
}

const OBJECTS: CommandTable<RunContext> = [
  [null, summary],
  ...(Object.values(RESOURCE_KINDS).map((k) => [k.name, showObject(k)]) as CommandTable<RunContext>),
];

function show(ctx: RunContext, args: string[]): void {
  // `rdma res show DEV`: one word that names a device.
  if (args.length === 1 && ctx.deviceByName(args[0])) return summary(ctx, args);
  dispatch(ctx, args, OBJECTS, 'parameter');
}

function help(ctx: RunContext): void {
  ctx.out.raw(
    'Usage: rdma-ts resource\n          resource show [DEV]\n' +
      '          resource show [qp|cm_id|pd|mr|cq|ctx|srq]\n' +
      '          resource show qp link [DEV/PORT] [FILTER-NAME FILTER-VALUE]\n' +
      '          resource show cq|mr|pd|ctx|srq dev [DEV] [FILTER-NAME FILTER-VALUE]\n' +
      '          resource set frmr_pools dev DEV aging AGING_PERIOD\n' +
      '          resource set frmr_pools dev DEV pinned POOL_KEY PINNED_VALUE\n',
  );
}

const TABLE: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['set', resSet], ['help', help]];

export const resCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, TABLE, 'resource command');
