// Restrack resources (RDMA_NLDEV_CMD_RES_*). One table describes every
// object kind; one dump/doit path serves them all.
import { Attrs } from '../protocol/codec.js';
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';

export interface ResourceKind {
  name: 'qp' | 'cm_id' | 'cq' | 'mr' | 'pd' | 'ctx' | 'srq' | 'frmr_pools';
  cmd: number;
  rawCmd?: number;
  /** The nest holding the entries, e.g. RES_QP. */
  table: number;
  /** The id a single-object doit request is keyed by (none: dump only). */
  idAttr?: number;
  /** QP and CM_ID dumps are per port (`link DEV/PORT`); the rest per device (`dev DEV`). */
  perPort: boolean;
}

export const RESOURCE_KINDS: Record<ResourceKind['name'], ResourceKind> = {
  qp: { name: 'qp', cmd: CMD.RES_QP_GET, rawCmd: CMD.RES_QP_GET_RAW, table: A.RES_QP, idAttr: A.RES_LQPN, perPort: true },
  cm_id: { name: 'cm_id', cmd: CMD.RES_CM_ID_GET, table: A.RES_CM_ID, idAttr: A.RES_CM_IDN, perPort: true },
  cq: { name: 'cq', cmd: CMD.RES_CQ_GET, rawCmd: CMD.RES_CQ_GET_RAW, table: A.RES_CQ, idAttr: A.RES_CQN, perPort: false },
  mr: { name: 'mr', cmd: CMD.RES_MR_GET, rawCmd: CMD.RES_MR_GET_RAW, table: A.RES_MR, idAttr: A.RES_MRN, perPort: false },
  pd: { name: 'pd', cmd: CMD.RES_PD_GET, table: A.RES_PD, idAttr: A.RES_PDN, perPort: false },
  ctx: { name: 'ctx', cmd: CMD.RES_CTX_GET, table: A.RES_CTX, idAttr: A.RES_CTXN, perPort: false },
  srq: { name: 'srq', cmd: CMD.RES_SRQ_GET, rawCmd: CMD.RES_SRQ_GET_RAW, table: A.RES_SRQ, idAttr: A.RES_SRQN, perPort: false },
  // Fast-registration MR pools (kernel 7.0, iproute2 7.1).
  frmr_pools: { name: 'frmr_pools', cmd: CMD.FRMR_POOLS_GET, table: A.FRMR_POOLS, perPort: false },
};

/** One resource: its device, and the entry's attributes as the kernel sent them. */
export interface Resource {
  devIndex: number;
  devName: string;
  entry: Attrs;
}

export interface ResourceQuery {
  devIndex: number;
  port?: number;
  raw?: boolean;
  driverDetails?: boolean;
}

function requestAttrs(q: ResourceQuery) {
  const attrs: [number, number][] = [[A.DEV_INDEX, q.devIndex]];
  if (q.port) attrs.push([A.PORT_INDEX, q.port]);
  if (q.driverDetails) attrs.push([A.DRIVER_DETAILS, 1]);
  return attrs;
}

function forEntries(tb: Attrs, kind: ResourceKind, each: (r: Resource) => void): void {
  const entries = tb[kind.table] as Attrs[] | undefined;
  if (!entries) return;
  const devIndex = tb[A.DEV_INDEX];
  const devName = tb[A.DEV_NAME];
  for (const entry of entries) each({ devIndex, devName, entry });
}

/** Streams every resource of a dump to `each`, one kernel message at a time. */
export function eachResource(rd: RdmaClient, kind: ResourceKind, q: ResourceQuery, each: (r: Resource) => void): void {
  rd.dumpEach(q.raw && kind.rawCmd ? kind.rawCmd : kind.cmd, requestAttrs(q), (tb) => forEntries(tb, kind, each));
}

/** A single object by id (doit). Callers fall back to a filtered dump when the kernel refuses. */
export function getResource(rd: RdmaClient, kind: ResourceKind, q: ResourceQuery, id: number): Resource[] {
  const out: Resource[] = [];
  if (kind.idAttr === undefined) throw new Error(`${kind.name} has no single-object request`);
  const attrs = requestAttrs(kind.perPort ? q : { ...q, port: undefined });
  attrs.push([kind.idAttr, id]);
  for (const tb of rd.doit(q.raw && kind.rawCmd ? kind.rawCmd : kind.cmd, attrs)) {
    // A doit reply carries the entry's attributes at the top level.
    if (tb[kind.table]) forEntries(tb, kind, (r) => out.push(r));
    else out.push({ devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], entry: tb });
  }
  return out;
}

export interface ResourceSummary {
  devIndex: number;
  devName: string;
  counts: Array<[name: string, curr: bigint]>;
  driver?: unknown;
}

export function getResourceSummary(rd: RdmaClient, devIndex: number, driverDetails = false): ResourceSummary {
  const attrs: [number, number][] = [[A.DEV_INDEX, devIndex]];
  if (driverDetails) attrs.push([A.DRIVER_DETAILS, 1]);
  const [tb] = rd.doit(CMD.RES_GET, attrs);
  const counts: Array<[string, bigint]> = [];
  for (const e of (tb[A.RES_SUMMARY] ?? []) as Attrs[]) {
    counts.push([e[A.RES_SUMMARY_ENTRY_NAME], e[A.RES_SUMMARY_ENTRY_CURR]]);
  }
  return { devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], counts, driver: tb[A.DRIVER] };
}

/** An FRMR pool's identity, as `res show frmr_pools` prints it (vendor_key:num_dma_blocks:access_flags:ats). */
export interface FrmrPoolKey {
  vendorKey: bigint;
  numDmaBlocks: bigint;
  accessFlags: number;
  ats: number;
}

/** Seconds an unused FRMR handle stays in its pool before it is freed (FRMR_POOLS_SET). */
export function setFrmrAgingPeriod(rd: RdmaClient, devIndex: number, seconds: number): void {
  rd.write(CMD.FRMR_POOLS_SET, [[A.DEV_INDEX, devIndex], [A.FRMR_POOLS_AGING_PERIOD, seconds]]);
}

/** Handles of one pool kept from aging; the kernel fills the pool up to this many. */
export function setFrmrPinned(rd: RdmaClient, devIndex: number, key: FrmrPoolKey, handles: number): void {
  rd.write(CMD.FRMR_POOLS_SET, [[A.DEV_INDEX, devIndex], [A.FRMR_POOL_PINNED_HANDLES, handles], [A.FRMR_POOL_KEY, [
    [A.FRMR_POOL_KEY_ATS, key.ats], [A.FRMR_POOL_KEY_ACCESS_FLAGS, key.accessFlags],
    [A.FRMR_POOL_KEY_VENDOR_KEY, key.vendorKey], [A.FRMR_POOL_KEY_NUM_DMA_BLOCKS, key.numDmaBlocks],
  ]]]);
}
