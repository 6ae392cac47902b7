// One typed field table per restrack object kind. Each field says once how
// its value comes out of the kernel's entry, how rdmatool shows it and how
// rdmatool filters on it; the filters (cli/res.ts), the printers
// (views/res.ts) and top's per-process counts all read these tables.
import type { Attrs, SockAddr } from '../protocol/codec.js';
import { A } from '../protocol/nldev-schema.js';
import { QpnRange, SrqQpList, srqQpList } from './srq-qps.js';
import {
  qpTypeName, qpStateName, pathMigName, cmIdStateName, portSpaceName, pollCtxName, srqTypeName, QP_TYPE_DRIVER,
} from '../protocol/enums.js';

/**
 * What a field's value needs besides the entry: the owner's comm (/proc, recorded with the session),
 * and the lqpn filter, which trims an SRQ's QP list.
 */
export interface FieldEnv {
  comm(pid: number): string | undefined;
  lqpnShown?: (qpn: number) => boolean;
}

/** A process or kernel owner: rdmatool prints kernel owners as `[name]`. */
export interface Owner {
  comm: string;
  kernel: boolean;
}

export type FieldValue = number | bigint | string | boolean | SrqQpList | Owner;

/**
 * How rdmatool shows a value: `num`/`str` as `key value `, `hex` through
 * print_hex, `onoff` as on/off (JSON true/false), `comm` and `ranges` their
 * own way, `none` never (a filter-only field).
 */
export type FieldShow = 'num' | 'str' | 'hex' | 'onoff' | 'comm' | 'ranges' | 'none';

export interface ResourceField {
  key: string;
  show: FieldShow;
  get(e: Attrs, env: FieldEnv): FieldValue | undefined;
  /** Printed only with -d. */
  details?: boolean;
  /** Printed only by iproute2 layouts that know it (a Layout flag name, e.g. qpSubtype). */
  layoutFlag?: string;
  /**
   * rdmatool filters on it: numeric (lists and ranges) or by name. `subject`
   * overrides what the filter compares (an SRQ's QPNs expanded); `whenPresent`
   * skips records without the attribute instead of dropping them.
   */
  filter?: { numeric: boolean; whenPresent?: boolean; subject?: (e: Attrs) => number | number[] | string | undefined };
}

/** A filter key rdmatool accepts but never applies (`link`, `dev`, `rkey`, ...). */
export interface InertKey {
  inert: string;
  numeric?: boolean;
}

export interface ResourceFields {
  /** Shown in this order, after the `link DEV/PORT` or `dev DEV` prefix. */
  fields: ResourceField[];
  /** rdmatool's filter table order (keys match by prefix, first wins): field keys and inert keys. */
  filterOrder: Array<string | InertKey>;
  /** The key a single-object doit is addressed by (`res show qp lqpn 5`). */
  idKey?: string;
}

const num = (key: string, attr: number, filter = true): ResourceField => ({
  key, show: 'num', get: (e) => e[attr], ...(filter ? { filter: { numeric: true } } : {}),
});
const named = (key: string, attr: number, name: (v: number) => string, filter = true): ResourceField => ({
  key, show: 'str', get: (e) => (e[attr] === undefined ? undefined : name(e[attr])), ...(filter ? { filter: { numeric: false } } : {}),
});
const hex = (key: string, attr: number): ResourceField => ({ key, show: 'hex', get: (e) => e[attr] });
/** A sockaddr, shown as `addr:port`; its filter compares the address alone. */
const addr = (key: string, attr: number): ResourceField => ({
  key, show: 'str', get: (e) => (e[attr] ? `${(e[attr] as SockAddr).address}:${(e[attr] as SockAddr).port}` : undefined),
  filter: { numeric: false, subject: (e) => e[attr]?.address },
});
/** A sockaddr's port, for filters only. */
const port = (key: string, attr: number): ResourceField => ({ key, show: 'none', get: (e) => e[attr]?.port, filter: { numeric: true } });
/** Shown even when the kernel leaves it out (as UNKNOWN); filters drop records without it. */
const alwaysNamed = (key: string, attr: number, name: (v?: number) => string): ResourceField => ({
  key, show: 'str', get: (e) => name(e[attr]), filter: { numeric: false,
    subject: (e) => (e[attr] === undefined ? undefined : name(e[attr])) },
});
const inert = (key: string, numeric = false): InertKey => ({ inert: key, numeric });

/** One Owner per comm, not one per entry (a dump of 100k QPs has a few dozen owners). */
const USER_OWNERS = new Map<string, Owner>();
function userOwner(comm: string): Owner {
  let o = USER_OWNERS.get(comm);
  if (!o) USER_OWNERS.set(comm, (o = { comm, kernel: false }));
  return o;
}

/** The owner: a kernel object's name, or the user process's comm. */
const owner: ResourceField = {
  key: 'comm', show: 'comm',
  get(e, env) {
    if (e[A.RES_KERN_NAME] !== undefined) return { comm: e[A.RES_KERN_NAME], kernel: e[A.RES_PID] === undefined };
    if (e[A.RES_PID] === undefined) return undefined;
    const comm = env.comm(e[A.RES_PID]);
    return comm === undefined ? undefined : userOwner(comm);
  },
};
const pid = num('pid', A.RES_PID);

/** An SRQ's QP list as the kernel sends it: numbers and MIN/MAX ranges. */
function srqRanges(e: Attrs): QpnRange[] | undefined {
  const qps = e[A.RES_QP] as Attrs[] | undefined;
  if (!qps || !qps.length) return undefined;
  return qps.map((q): QpnRange => (q[A.RES_LQPN] !== undefined ? [q[A.RES_LQPN]] : [q[A.MIN_RANGE], q[A.MAX_RANGE]]));
}

const poolKey = (key: string, attr: number, filter = true): ResourceField => ({
  key, show: 'num', details: true, get: (e) => e[A.FRMR_POOL_KEY]?.[attr], ...(filter ? { filter: { numeric: true } } : {}),
});
const hexOf = (v: number | bigint | undefined) => BigInt(v ?? 0).toString(16);

export const QP_FIELDS: ResourceFields = {
  idKey: 'lqpn',
  fields: [
    num('lqpn', A.RES_LQPN), num('rqpn', A.RES_RQPN), named('type', A.RES_TYPE, qpTypeName),
    { key: 'subtype', show: 'str', layoutFlag: 'qpSubtype', get: (e) => (e[A.RES_TYPE] === QP_TYPE_DRIVER ? e[A.RES_SUBTYPE] : undefined) },
    named('state', A.RES_STATE, qpStateName), num('rq-psn', A.RES_RQ_PSN), num('sq-psn', A.RES_SQ_PSN),
    { ...named('path-mig-state', A.RES_PATH_MIG_STATE, pathMigName), filter: { numeric: false, whenPresent: true } },
    num('pdn', A.RES_PDN), pid, owner,
  ],
  filterOrder: [inert('link'), 'lqpn', 'rqpn', 'pid', 'sq-psn', 'rq-psn', 'type', 'path-mig-state', 'state', 'pdn'],
};

export const CM_ID_FIELDS: ResourceFields = {
  idKey: 'cm-idn',
  fields: [
    num('cm-idn', A.RES_CM_IDN), num('lqpn', A.RES_LQPN), named('qp-type', A.RES_TYPE, qpTypeName),
    alwaysNamed('state', A.RES_STATE, cmIdStateName), alwaysNamed('ps', A.RES_PS, portSpaceName),
    pid, owner, addr('src-addr', A.RES_SRC_ADDR), addr('dst-addr', A.RES_DST_ADDR),
    port('src-port', A.RES_SRC_ADDR), port('dst-port', A.RES_DST_ADDR),
  ],
  filterOrder: [inert('link'), 'lqpn', 'qp-type', 'state', 'ps', inert('dev-type'), inert('transport-type'), 'pid',
    'src-addr', 'src-port', 'dst-addr', 'dst-port', 'cm-idn'],
};

export const CQ_FIELDS: ResourceFields = {
  idKey: 'cqn',
  fields: [
    num('cqn', A.RES_CQN), num('cqe', A.RES_CQE, false), num('users', A.RES_USECNT), named('poll-ctx', A.RES_POLL_CTX, pollCtxName),
    { key: 'adaptive-moderation', show: 'onoff', get: (e) => e[A.DEV_DIM] }, num('ctxn', A.RES_CTXN), pid, owner,
  ],
  filterOrder: [inert('dev'), 'users', 'poll-ctx', 'pid', 'cqn', 'ctxn'],
};

export const MR_FIELDS: ResourceFields = {
  idKey: 'mrn',
  fields: [
    num('mrn', A.RES_MRN), hex('rkey', A.RES_RKEY), hex('lkey', A.RES_LKEY), hex('iova', A.RES_IOVA),
    num('mrlen', A.RES_MRLEN), num('pdn', A.RES_PDN), pid, owner,
  ],
  filterOrder: [inert('dev'), inert('rkey', true), inert('lkey', true), 'mrlen', 'pid', 'mrn', 'pdn'],
};

export const PD_FIELDS: ResourceFields = {
  idKey: 'pdn',
  fields: [
    num('pdn', A.RES_PDN), hex('local_dma_lkey', A.RES_LOCAL_DMA_LKEY), num('users', A.RES_USECNT),
    hex('unsafe_global_rkey', A.RES_UNSAFE_GLOBAL_RKEY), num('ctxn', A.RES_CTXN), pid, owner,
  ],
  filterOrder: [inert('dev'), 'users', 'pid', 'ctxn', 'pdn'],
};

export const CTX_FIELDS: ResourceFields = {
  idKey: 'ctxn',
  fields: [num('ctxn', A.RES_CTXN), pid, owner],
  filterOrder: [inert('dev'), 'pid', 'ctxn'],
};

export const SRQ_FIELDS: ResourceFields = {
  idKey: 'srqn',
  fields: [
    num('srqn', A.RES_SRQN), named('type', A.RES_TYPE, srqTypeName),
    {
      key: 'lqpn', show: 'ranges', get: (e, env) => {
        const ranges = srqRanges(e);
        return ranges && srqQpList(ranges, env.lqpnShown);
      },
      filter: { numeric: true, subject: (e) => srqRanges(e)?.flatMap(([lo, hi = lo]) => Array.from({ length: hi - lo + 1 }, (_,
        i) => lo + i)) },
    },
    num('pdn', A.RES_PDN), num('cqn', A.RES_CQN), pid, owner,
  ],
  filterOrder: [inert('dev'), 'pid', 'srqn', 'type', 'pdn', 'cqn', 'lqpn'],
};

export const FRMR_POOL_FIELDS: ResourceFields = {
  fields: [
    {
      key: 'key', show: 'str',
      get: (e) => {
        const k = e[A.FRMR_POOL_KEY] as Attrs | undefined;
        return k && `${hexOf(k[A.FRMR_POOL_KEY_VENDOR_KEY])}:${hexOf(k[A.FRMR_POOL_KEY_NUM_DMA_BLOCKS])}:` +
          `${hexOf(k[A.FRMR_POOL_KEY_ACCESS_FLAGS])}:${k[A.FRMR_POOL_KEY_ATS] ? 1 : 0}`;
      },
    },
    poolKey('ats', A.FRMR_POOL_KEY_ATS), poolKey('access_flags', A.FRMR_POOL_KEY_ACCESS_FLAGS),
    poolKey('vendor_key', A.FRMR_POOL_KEY_VENDOR_KEY), poolKey('num_dma_blocks', A.FRMR_POOL_KEY_NUM_DMA_BLOCKS),
    poolKey('kernel_vendor_key', A.FRMR_POOL_KEY_KERNEL_VENDOR_KEY, false),
    num('queue', A.FRMR_POOL_QUEUE_HANDLES), num('in_use', A.FRMR_POOL_IN_USE), num('max_in_use', A.FRMR_POOL_MAX_IN_USE),
    num('pinned', A.FRMR_POOL_PINNED_HANDLES),
  ],
  filterOrder: [inert('dev'), 'ats', 'access_flags', 'vendor_key', 'num_dma_blocks', 'queue', 'in_use', 'max_in_use', 'pinned'],
};
