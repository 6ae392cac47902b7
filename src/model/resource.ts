// Restrack resources (RDMA_NLDEV_CMD_RES_*). One table describes every
// object kind; one dump/doit path serves them all.
import type { Attrs, Tuple } from '../protocol/codec.js';
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';
import {
  ResourceFields, QP_FIELDS, CM_ID_FIELDS, CQ_FIELDS, MR_FIELDS, PD_FIELDS, CTX_FIELDS, SRQ_FIELDS, FRMR_POOL_FIELDS,
} from './resource-fields.js';

export interface ResourceKind {
  name: 'qp' | 'cm_id' | 'cq' | 'mr' | 'pd' | 'ctx' | 'srq' | 'frmr_pools';
  cmd: number;
  rawCmd?: number;
  /** The output layout flag that must be on for -r to use rawCmd (iproute2 6.1 ignores -r for SRQs). */
  rawLayoutFlag?: string;
  /** The nest holding the entries, e.g. RES_QP. */
  table: number;
  /** The id a single-object doit request is keyed by (none: dump only). */
  idAttr?: number;
  /** QP and CM_ID dumps are per port (`link DEV/PORT`); the rest per device (`dev DEV`). */
  perPort: boolean;
  /** Its fields: how each is read, shown and filtered. */
  fields: ResourceFields;
}

export const RESOURCE_KINDS: Record<ResourceKind['name'], ResourceKind> = {
  qp: { name: 'qp', cmd: CMD.RES_QP_GET, rawCmd: CMD.RES_QP_GET_RAW, table: A.RES_QP, idAttr: A.RES_LQPN, perPort: true,
    fields: QP_FIELDS },
  cm_id: { name: 'cm_id', cmd: CMD.RES_CM_ID_GET, table: A.RES_CM_ID, idAttr: A.RES_CM_IDN, perPort: true, fields: CM_ID_FIELDS },
  cq: { name: 'cq', cmd: CMD.RES_CQ_GET, rawCmd: CMD.RES_CQ_GET_RAW, table: A.RES_CQ, idAttr: A.RES_CQN, perPort: false,
    fields: CQ_FIELDS },
  mr: { name: 'mr', cmd: CMD.RES_MR_GET, rawCmd: CMD.RES_MR_GET_RAW, table: A.RES_MR, idAttr: A.RES_MRN, perPort: false,
    fields: MR_FIELDS },
  pd: { name: 'pd', cmd: CMD.RES_PD_GET, table: A.RES_PD, idAttr: A.RES_PDN, perPort: false, fields: PD_FIELDS },
  ctx: { name: 'ctx', cmd: CMD.RES_CTX_GET, table: A.RES_CTX, idAttr: A.RES_CTXN, perPort: false, fields: CTX_FIELDS },
  srq: { name: 'srq', cmd: CMD.RES_SRQ_GET, rawCmd: CMD.RES_SRQ_GET_RAW, rawLayoutFlag: 'srqRaw', table: A.RES_SRQ,
    idAttr: A.RES_SRQN, perPort: false, fields: SRQ_FIELDS },
  // Fast-registration MR pools (kernel 7.0, iproute2 7.1).
  frmr_pools: { name: 'frmr_pools', cmd: CMD.FRMR_POOLS_GET, table: A.FRMR_POOLS, perPort: false, fields: FRMR_POOL_FIELDS },
};

/** One resource: its device and port, and the entry the kernel sent (read through its kind's fields). */
export interface Resource {
  devIndex: number;
  devName: string;
  /** The port of a per-port object; undefined for one without a port (e.g. an unbound QP). */
  port?: number;
  entry: Attrs;
  /** -r: the driver's raw object. */
  raw?: Buffer;
  /** -dd: the driver's own key/value table. */
  driver?: DriverEntry[];
}

/** One `drv_KEY VALUE` of a -dd driver table. */
export interface DriverEntry {
  key: string;
  value: string | bigint;
  /** The driver asked for hex (RDMA_NLDEV_PRINT_TYPE_HEX). */
  hex: boolean;
  /** 32 or 64 for numbers: hex shows the value at that width. */
  bits: 32 | 64;
}

const DRIVER_PRINT_TYPE_HEX = 1;

/**
 * RDMA_NLDEV_ATTR_DRIVER: flat {DRIVER_STRING key, [DRIVER_PRINT_TYPE], value}
 * tuples. A table that does not start with a key string ends there (as in rdmatool).
 */
export function driverTable(tuples: Tuple[] | undefined): DriverEntry[] | undefined {
  if (!tuples) return undefined;
  const out: DriverEntry[] = [];
  let key: string | undefined;
  let hex = false;
  for (const [type, value] of tuples) {
    if (key === undefined) {
      if (type !== A.DRIVER_STRING) break;
      key = `drv_${value}`;
      continue;
    }
    if (type === A.DRIVER_PRINT_TYPE) {
      hex = Number(value) === DRIVER_PRINT_TYPE_HEX;
      continue;
    }
    const isString = type === A.DRIVER_STRING;
    out.push({ key, value: isString ? String(value) : BigInt(value), hex, bits: type === A.DRIVER_S32 || type === A.DRIVER_U32 ? 32 : 64 });
    key = undefined;
    hex = false;
  }
  return out;
}

function toResource(devIndex: number, devName: string, entry: Attrs): Resource {
  return { devIndex, devName, port: entry[A.PORT_INDEX], entry, raw: entry[A.RES_RAW], driver: driverTable(entry[A.DRIVER]) };
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
  for (const entry of entries) each(toResource(devIndex, devName, entry));
}

/**
 * Streams every resource of a dump to `each`, one entry at a time. The Resource's entry is a
 * reused table (RdmaClient.dumpEntries): valid only during the call; `each` keeps what it needs.
 */
export function eachResource(rd: RdmaClient, kind: ResourceKind, q: ResourceQuery, each: (r: Resource) => void): void {
  rd.dumpEntries(q.raw && kind.rawCmd ? kind.rawCmd : kind.cmd, requestAttrs(q), kind.table, (tb, entry) =>
    each(toResource(tb[A.DEV_INDEX], tb[A.DEV_NAME], entry)));
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
    else out.push(toResource(tb[A.DEV_INDEX], tb[A.DEV_NAME], tb));
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
  const tb = rd.doitOne(CMD.RES_GET, attrs);
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

/** Who owns a resource: a user process (pid) or a kernel consumer (its name). */
export function ownerOf(r: Resource): { pid?: number; kernel?: string } {
  return { pid: r.entry[A.RES_PID], kernel: r.entry[A.RES_PID] === undefined ? r.entry[A.RES_KERN_NAME] : undefined };
}
