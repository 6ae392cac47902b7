// rdma resource: the per-device summary and every restrack object, with
// rdmatool's filters, `dev`/`link` selection and doit-by-id.
import { RunContext, parseDevPort, findDevArg } from './context.js';
import { CommandTable, dispatch, u32Arg } from './grammar.js';
import { FilterKey, FilterSubject, buildFilters, accepts, filterValue } from './filters.js';
import type { Attrs } from '../protocol/codec.js';
import { NetlinkError } from '../transport/errors.js';
import {
  RESOURCE_KINDS, ResourceKind, Resource, eachResource, getResource, getResourceSummary,
} from '../model/resource.js';
import { resourcePrinter, printSummary } from '../views/res.js';
import { layoutFlag } from '../views/layout.js';
import { resSet } from './res-set.js';

type Getter = (e: Attrs) => FilterSubject;
interface KeySpec extends FilterKey {
  get?: Getter;
}

/** rdmatool's filter keys for an object kind, in its table order, from the kind's field table. */
function filterKeys(kind: ResourceKind): KeySpec[] {
  const env = { comm: () => undefined };
  return kind.fields.filterOrder.map((k): KeySpec => {
    if (typeof k !== 'string') return { name: k.inert, numeric: !!k.numeric, inert: true };
    const f = kind.fields.fields.find((x) => x.key === k);
    if (!f?.filter) throw new Error(`internal: ${kind.name} filter ${k} has no filterable field`);
    const subject = f.filter.subject;
    return { name: k, numeric: f.filter.numeric, whenPresent: f.filter.whenPresent, get: subject ?? ((e) => f.get(e,
      env) as FilterSubject) };
  });
}

function showObject(kind: ResourceKind) {
  return (ctx: RunContext, args: string[]): void => {
    const keys = filterKeys(kind);
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

    const raw = ctx.opts.raw && (!kind.rawLayoutFlag || layoutFlag(ctx.out.opts.layout, kind.rawLayoutFlag));
    const q = { raw, driverDetails: ctx.driverDetails };
    const idKey = kind.fields.idKey;
    const idValue = idKey === undefined ? undefined : filterValue(filters, idKey);
    const getters = new Map(keys.map((k) => [k.name, k.get]));
    // An explicit port keeps only that port's objects; `DEV/-` (port 0) keeps only port-less ones.
    const portOf = (r: Resource) => r.port ?? 0;
    const keep = (r: Resource, port?: number) =>
      (port === undefined || portOf(r) === port) && (!filters.length || accepts(filters, keys, (name) => getters.get(name)?.(r.entry)));
    // An SRQ lists only the QPNs the lqpn filter keeps (rdmatool's get_srq_qps).
    const lqpnCheck = keys.filter((k) => k.name === 'lqpn');
    const lqpnShown = (qpn: number) => accepts(filters, lqpnCheck, () => qpn);
    const opts = { raw, details: ctx.details, driverDetails: ctx.driverDetails, comm: (pid: number) => ctx.comm(pid), lqpnShown };
    const printRecord = resourcePrinter(ctx.out, kind, opts);
    for (const t of targets) {
      let rows: Resource[] | undefined;
      if (idValue !== undefined && /^\d+$/.test(idValue)) {
        u32Arg(idValue, idKey ?? 'id'); // a doit id past u32 is refused, not wrapped
        try {
          rows = getResource(ctx.rd, kind, { ...q, devIndex: t.devIndex, port: t.port }, Number(idValue));
        } catch (e) {
          // Old kernels have no doit for this object: fall back to the dump, as rdmatool does (not with -r).
          if (!(e instanceof NetlinkError) || raw) throw e;
        }
      }
      const print = (r: Resource) => {
        if (raw || keep(r, t.only)) printRecord(r);
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

export const RES_KINDS: CommandTable<RunContext> = [
  [null, summary],
  ...(Object.values(RESOURCE_KINDS).map((k) => [k.name, showObject(k)]) as CommandTable<RunContext>),
];

function show(ctx: RunContext, args: string[]): void {
  // `rdma res show DEV`: one word that names a device.
  if (args.length === 1 && ctx.deviceByName(args[0])) return summary(ctx, args);
  dispatch(ctx, args, RES_KINDS, 'parameter');
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

export const RES_COMMANDS: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['set', resSet], ['help', help]];

export const resCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, RES_COMMANDS, 'resource command');
