// rdma resource printers: one field list per object kind, in rdmatool's order.
import { Output } from './output.js';
import type { Attrs } from '../protocol/codec.js';
import { A } from '../protocol/nldev-schema.js';
import type { Resource, ResourceSummary, ResourceKind } from '../model/resource.js';
import {
  qpTypeName, qpStateName, pathMigName, cmIdStateName, portSpaceName, pollCtxName, srqTypeName, QP_TYPE_DRIVER,
} from './names.js';
import { printDev, printLink, printNum, printHexKey, printOnOff, printComm, printDriverTable, printRaw } from './fields.js';

export interface ResPrintOptions {
  raw: boolean;
  details: boolean;
  driverDetails: boolean;
  /** /proc/PID/comm lookup (recorded and replayed with the session). */
  comm: (pid: number) => string | undefined;
}

export function printSummary(out: Output, s: ResourceSummary): void {
  out.openRecord();
  out.kv('ifindex', `${s.devIndex}: `, s.devIndex);
  out.kv('ifname', `${s.devName}: `, s.devName);
  for (const [name, curr] of s.counts) out.kv(name, `${name} ${curr} `, curr);
  out.closeRecord();
}

function commOf(e: Attrs, o: ResPrintOptions): string | undefined {
  if (e[A.RES_KERN_NAME] !== undefined) return e[A.RES_KERN_NAME];
  if (e[A.RES_PID] !== undefined) return o.comm(e[A.RES_PID]);
  return undefined;
}

type Body = (out: Output, r: Resource, e: Attrs, o: ResPrintOptions) => void;

const str = (out: Output, key: string, v: string) => out.kv(key, `${key} ${v} `, v);

const BODIES: Record<ResourceKind['name'], Body> = {
  qp(out, r, e, o) {
    printLink(out, r.devIndex, r.devName, e[A.PORT_INDEX]);
    printNum(out, 'lqpn', e[A.RES_LQPN]);
    printNum(out, 'rqpn', e[A.RES_RQPN]);
    if (e[A.RES_TYPE] !== undefined) str(out, 'type', qpTypeName(e[A.RES_TYPE]));
    if (out.opts.layout.qpSubtype && e[A.RES_TYPE] === QP_TYPE_DRIVER && e[A.RES_SUBTYPE] !== undefined) {
      str(out, 'subtype', e[A.RES_SUBTYPE]);
    }
    if (e[A.RES_STATE] !== undefined) str(out, 'state', qpStateName(e[A.RES_STATE]));
    printNum(out, 'rq-psn', e[A.RES_RQ_PSN]);
    printNum(out, 'sq-psn', e[A.RES_SQ_PSN]);
    if (e[A.RES_PATH_MIG_STATE] !== undefined) str(out, 'path-mig-state', pathMigName(e[A.RES_PATH_MIG_STATE]));
    printNum(out, 'pdn', e[A.RES_PDN]);
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
  },
  cm_id(out, r, e, o) {
    printLink(out, r.devIndex, r.devName, e[A.PORT_INDEX]);
    printNum(out, 'cm-idn', e[A.RES_CM_IDN]);
    printNum(out, 'lqpn', e[A.RES_LQPN]);
    if (e[A.RES_TYPE] !== undefined) str(out, 'qp-type', qpTypeName(e[A.RES_TYPE]));
    str(out, 'state', cmIdStateName(e[A.RES_STATE]));
    str(out, 'ps', portSpaceName(e[A.RES_PS]));
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
    for (const [key, id] of [['src-addr', A.RES_SRC_ADDR], ['dst-addr', A.RES_DST_ADDR]] as const) {
      const sa = e[id];
      if (sa) str(out, key, `${sa.address}:${sa.port}`);
    }
  },
  cq(out, r, e, o) {
    printDev(out, r.devIndex, r.devName);
    printNum(out, 'cqn', e[A.RES_CQN]);
    printNum(out, 'cqe', e[A.RES_CQE]);
    printNum(out, 'users', e[A.RES_USECNT]);
    if (e[A.RES_POLL_CTX] !== undefined) str(out, 'poll-ctx', pollCtxName(e[A.RES_POLL_CTX]));
    printOnOff(out, 'adaptive-moderation', e[A.DEV_DIM]);
    printNum(out, 'ctxn', e[A.RES_CTXN]);
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
  },
  mr(out, r, e, o) {
    printDev(out, r.devIndex, r.devName);
    printNum(out, 'mrn', e[A.RES_MRN]);
    printHexKey(out, 'rkey', e[A.RES_RKEY]);
    printHexKey(out, 'lkey', e[A.RES_LKEY]);
    printHexKey(out, 'iova', e[A.RES_IOVA]);
    printNum(out, 'mrlen', e[A.RES_MRLEN]);
    printNum(out, 'pdn', e[A.RES_PDN]);
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
  },
  pd(out, r, e, o) {
    printDev(out, r.devIndex, r.devName);
    printNum(out, 'pdn', e[A.RES_PDN]);
    printHexKey(out, 'local_dma_lkey', e[A.RES_LOCAL_DMA_LKEY]);
    printNum(out, 'users', e[A.RES_USECNT]);
    printHexKey(out, 'unsafe_global_rkey', e[A.RES_UNSAFE_GLOBAL_RKEY]);
    printNum(out, 'ctxn', e[A.RES_CTXN]);
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
  },
  ctx(out, r, e, o) {
    printDev(out, r.devIndex, r.devName);
    printNum(out, 'ctxn', e[A.RES_CTXN]);
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
  },
  srq(out, r, e, o) {
    printDev(out, r.devIndex, r.devName);
    printNum(out, 'srqn', e[A.RES_SRQN]);
    if (e[A.RES_TYPE] !== undefined) str(out, 'type', srqTypeName(e[A.RES_TYPE]));
    const qps = e[A.RES_QP] as Attrs[] | undefined;
    if (qps && qps.length) {
      const ranges = qps.map((q) =>
        q[A.RES_LQPN] !== undefined ? String(q[A.RES_LQPN]) : `${q[A.MIN_RANGE]}-${q[A.MAX_RANGE]}`,
      );
      out.openArray('lqpn', 'lqpn ');
      ranges.forEach((s, i) => out.arrayItem(i < ranges.length - 1 ? `${s},` : s, s));
      out.closeArray(' ');
    }
    printNum(out, 'pdn', e[A.RES_PDN]);
    printNum(out, 'cqn', e[A.RES_CQN]);
    printNum(out, 'pid', e[A.RES_PID]);
    printComm(out, commOf(e, o), e[A.RES_PID] !== undefined);
  },
  frmr_pools(out, r, e, o) {
    printDev(out, r.devIndex, r.devName);
    const key = e[A.FRMR_POOL_KEY] as Attrs | undefined;
    if (key) {
      const hex = (v: number | bigint | undefined) => BigInt(v ?? 0).toString(16);
      const s = `${hex(key[A.FRMR_POOL_KEY_VENDOR_KEY])}:${hex(key[A.FRMR_POOL_KEY_NUM_DMA_BLOCKS])}:` +
        `${hex(key[A.FRMR_POOL_KEY_ACCESS_FLAGS])}:${key[A.FRMR_POOL_KEY_ATS] ? 1 : 0}`;
      str(out, 'key', s);
      if (o.details) {
        printNum(out, 'ats', key[A.FRMR_POOL_KEY_ATS]);
        printNum(out, 'access_flags', key[A.FRMR_POOL_KEY_ACCESS_FLAGS]);
        printNum(out, 'vendor_key', key[A.FRMR_POOL_KEY_VENDOR_KEY]);
        printNum(out, 'num_dma_blocks', key[A.FRMR_POOL_KEY_NUM_DMA_BLOCKS]);
        printNum(out, 'kernel_vendor_key', key[A.FRMR_POOL_KEY_KERNEL_VENDOR_KEY]);
      }
    }
    printNum(out, 'queue', e[A.FRMR_POOL_QUEUE_HANDLES]);
    printNum(out, 'in_use', e[A.FRMR_POOL_IN_USE]);
    printNum(out, 'max_in_use', e[A.FRMR_POOL_MAX_IN_USE]);
    printNum(out, 'pinned', e[A.FRMR_POOL_PINNED_HANDLES]);
  },
};

export function printResource(out: Output, kind: ResourceKind, r: Resource, o: ResPrintOptions): void {
  out.openRecord();
  const e = r.entry;
  if (o.raw) {
    if (kind.perPort) printLink(out, r.devIndex, r.devName, e[A.PORT_INDEX]);
    else printDev(out, r.devIndex, r.devName);
    printRaw(out, e[A.RES_RAW]);
  } else {
    BODIES[kind.name](out, r, e, o);
    if (o.driverDetails) printDriverTable(out, e[A.DRIVER]);
  }
  out.closeRecord();
}
