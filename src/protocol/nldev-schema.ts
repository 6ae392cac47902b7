// The RDMA_NL_NLDEV schema (include/uapi/rdma/rdma_netlink.h), declared once
// as data. The codec, the recorder's decoder and the --dry-run printer all
// read these tables; nothing else hard-codes attribute numbers and types.
import type { AttrType, RecordField } from './codec.js';

export const RDMA_NL_NLDEV = 5;
export const nldevType = (cmd: number): number => (RDMA_NL_NLDEV << 10) + cmd;
export const RDMA_NL_GROUP_NOTIFY = 4;

/** The commands, by number. */
const COMMANDS: Array<[number, string]> = [
  [1, 'GET'], [2, 'SET'], [3, 'NEWLINK'], [4, 'DELLINK'],
  [5, 'PORT_GET'], [6, 'SYS_GET'], [7, 'SYS_SET'], [9, 'RES_GET'],
  [10, 'RES_QP_GET'], [11, 'RES_CM_ID_GET'], [12, 'RES_CQ_GET'],
  [13, 'RES_MR_GET'], [14, 'RES_PD_GET'], [15, 'GET_CHARDEV'],
  [16, 'STAT_SET'], [17, 'STAT_GET'], [18, 'STAT_DEL'],
  [19, 'RES_QP_GET_RAW'], [20, 'RES_CQ_GET_RAW'], [21, 'RES_MR_GET_RAW'],
  [22, 'RES_CTX_GET'], [23, 'RES_SRQ_GET'], [24, 'STAT_GET_STATUS'],
  [25, 'RES_SRQ_GET_RAW'], [26, 'NEWDEV'], [27, 'DELDEV'], [28, 'MONITOR'],
  [29, 'FRMR_POOLS_GET'], [30, 'FRMR_POOLS_SET'],
];

/**
 * The Linux release that added each late command: an older kernel answers it
 * with EINVAL (rdma_nl_rcv_msg: op beyond RDMA_NLDEV_NUM_OPS), which the
 * client turns into "needs Linux X".
 */
const SINCE: Record<string, [number, number]> = {
  STAT_GET_STATUS: [5, 16], NEWDEV: [6, 11], DELDEV: [6, 11], MONITOR: [6, 13], FRMR_POOLS_GET: [7, 0], FRMR_POOLS_SET: [7, 0],
};

export const CMD: Record<string, number> = {};
export const CMD_NAME: string[] = [];
export const CMD_SINCE: Array<[number, number] | undefined> = [];
for (const [n, name] of COMMANDS) {
  CMD[name] = n;
  CMD_NAME[n] = `RDMA_NLDEV_CMD_${name}`;
  CMD_SINCE[n] = SINCE[name];
}

export interface AttrSpec {
  id: number;
  name: string;
  type: AttrType;
  /** For 'list' and 'records': the attribute every child carries (children are decoded by their own spec). */
  child?: number;
  /** For 'records': decoded object key -> member attribute. */
  fields?: Record<string, RecordField>;
}

// [id, name, type, child]. 'list' = a nest of repeated entries ('records': the same,
// decoded into plain objects, see RECORD_FIELDS); 'tuples' = a
// nest of flat {key, [print type], value} driver tuples kept in order.
const ATTRS: Array<[number, string, AttrType, number?]> = [
  [1, 'DEV_INDEX', 'u32'], [2, 'DEV_NAME', 'string'], [3, 'PORT_INDEX', 'u32'],
  [4, 'CAP_FLAGS', 'u64'], [5, 'FW_VERSION', 'string'], [6, 'NODE_GUID', 'u64'],
  [7, 'SYS_IMAGE_GUID', 'u64'], [8, 'SUBNET_PREFIX', 'u64'], [9, 'LID', 'u32'], [10, 'SM_LID', 'u32'],
  [11, 'LMC', 'u8'], [12, 'PORT_STATE', 'u8'], [13, 'PORT_PHYS_STATE', 'u8'], [14, 'DEV_NODE_TYPE', 'u8'],
  [15, 'RES_SUMMARY', 'list', 16], [16, 'RES_SUMMARY_ENTRY', 'nest'], [17, 'RES_SUMMARY_ENTRY_NAME', 'string'],
  [18, 'RES_SUMMARY_ENTRY_CURR', 'u64'], [19, 'RES_QP', 'list', 20], [20, 'RES_QP_ENTRY', 'nest'],
  [21, 'RES_LQPN', 'u32'], [22, 'RES_RQPN', 'u32'], [23, 'RES_RQ_PSN', 'u32'], [24, 'RES_SQ_PSN', 'u32'],
  [25, 'RES_PATH_MIG_STATE', 'u8'], [26, 'RES_TYPE', 'u8'], [27, 'RES_STATE', 'u8'], [28, 'RES_PID', 'u32'],
  [29, 'RES_KERN_NAME', 'string'], [30, 'RES_CM_ID', 'list', 31], [31, 'RES_CM_ID_ENTRY', 'nest'],
  [32, 'RES_PS', 'u32'], [33, 'RES_SRC_ADDR', 'sockaddr'], [34, 'RES_DST_ADDR', 'sockaddr'],
  [35, 'RES_CQ', 'list', 36], [36, 'RES_CQ_ENTRY', 'nest'], [37, 'RES_CQE', 'u32'], [38, 'RES_USECNT', 'u64'],
  [39, 'RES_POLL_CTX', 'u8'], [40, 'RES_MR', 'list', 41], [41, 'RES_MR_ENTRY', 'nest'], [42, 'RES_RKEY', 'u32'],
  [43, 'RES_LKEY', 'u32'], [44, 'RES_IOVA', 'u64'], [45, 'RES_MRLEN', 'u64'], [46, 'RES_PD', 'list', 47],
  [47, 'RES_PD_ENTRY', 'nest'], [48, 'RES_LOCAL_DMA_LKEY', 'u32'], [49, 'RES_UNSAFE_GLOBAL_RKEY', 'u32'],
  [50, 'NDEV_INDEX', 'u32'], [51, 'NDEV_NAME', 'string'], [52, 'DRIVER', 'tuples'], [53, 'DRIVER_ENTRY', 'nest'],
  [54, 'DRIVER_STRING', 'string'], [55, 'DRIVER_PRINT_TYPE', 'u8'], [56, 'DRIVER_S32', 's32'],
  [57, 'DRIVER_U32', 'u32'], [58, 'DRIVER_S64', 's64'], [59, 'DRIVER_U64', 'u64'], [60, 'RES_PDN', 'u32'],
  [61, 'RES_CQN', 'u32'], [62, 'RES_MRN', 'u32'], [63, 'RES_CM_IDN', 'u32'], [64, 'RES_CTXN', 'u32'],
  [65, 'LINK_TYPE', 'string'], [66, 'SYS_ATTR_NETNS_MODE', 'u8'], [67, 'DEV_PROTOCOL', 'string'],
  [68, 'NET_NS_FD', 'u32'], [69, 'CHARDEV_TYPE', 'string'], [70, 'CHARDEV_NAME', 'string'],
  [71, 'CHARDEV_ABI', 'u64'], [72, 'CHARDEV', 'u64'], [73, 'UVERBS_DRIVER_ID', 'u32'], [74, 'STAT_MODE', 'u32'],
  [75, 'STAT_RES', 'u32'], [76, 'STAT_AUTO_MODE_MASK', 'u32'], [77, 'STAT_COUNTER', 'records', 78],
  [78, 'STAT_COUNTER_ENTRY', 'nest'], [79, 'STAT_COUNTER_ID', 'u32'], [80, 'STAT_HWCOUNTERS', 'records', 81],
  [81, 'STAT_HWCOUNTER_ENTRY', 'nest'], [82, 'STAT_HWCOUNTER_ENTRY_NAME', 'string'],
  [83, 'STAT_HWCOUNTER_ENTRY_VALUE', 'u64'], [84, 'DEV_DIM', 'u8'], [85, 'RES_RAW', 'binary'],
  [86, 'RES_CTX', 'list', 87], [87, 'RES_CTX_ENTRY', 'nest'], [88, 'RES_SRQ', 'list', 89],
  [89, 'RES_SRQ_ENTRY', 'nest'], [90, 'RES_SRQN', 'u32'], [91, 'MIN_RANGE', 'u32'], [92, 'MAX_RANGE', 'u32'],
  [93, 'SYS_ATTR_COPY_ON_FORK', 'u8'], [94, 'STAT_HWCOUNTER_INDEX', 'u32'], [95, 'STAT_HWCOUNTER_DYNAMIC', 'u8'],
  [96, 'SYS_ATTR_PRIVILEGED_QKEY_MODE', 'u8'], [97, 'DRIVER_DETAILS', 'u8'], [98, 'RES_SUBTYPE', 'string'],
  [99, 'DEV_TYPE', 'u8'], [100, 'PARENT_NAME', 'string'], [101, 'NAME_ASSIGN_TYPE', 'u8'],
  [102, 'EVENT_TYPE', 'u8'], [103, 'SYS_ATTR_MONITOR_MODE', 'u8'], [104, 'STAT_OPCOUNTER_ENABLED', 'u8'],
  [105, 'FRMR_POOLS', 'list', 106], [106, 'FRMR_POOL_ENTRY', 'nest'], [107, 'FRMR_POOL_KEY', 'nest'],
  [108, 'FRMR_POOL_KEY_ATS', 'u8'], [109, 'FRMR_POOL_KEY_ACCESS_FLAGS', 'u32'],
  [110, 'FRMR_POOL_KEY_VENDOR_KEY', 'u64'], [111, 'FRMR_POOL_KEY_NUM_DMA_BLOCKS', 'u64'],
  [112, 'FRMR_POOL_QUEUE_HANDLES', 'u32'], [113, 'FRMR_POOL_MAX_IN_USE', 'u64'], [114, 'FRMR_POOL_IN_USE', 'u64'],
  [115, 'FRMR_POOLS_AGING_PERIOD', 'u32'], [116, 'FRMR_POOL_PINNED_HANDLES', 'u32'],
  [117, 'FRMR_POOL_KEY_KERNEL_VENDOR_KEY', 'u64'],
  // Proposed by rdma-ts (kernel/roce-gid-types): a RoCE port's enabled GID
  // types and the types it can have, as BIT(IB_UVERBS_GID_TYPE_ROCE_V1/_V2).
  // Numbered right after the newest upstream attribute, so they clash with
  // none on any kernel; no released kernel sends or accepts them.
  [118, 'ROCE_GID_TYPES', 'u32'], [119, 'ROCE_GID_TYPES_CAP', 'u32'],
];

/**
 * 'records' lists: member attribute per key of the decoded objects (the hot
 * lists of a counter dump; model/stat.ts reads them). A bound counter's QPs
 * are a nested list of RES_QP_ENTRY nests holding RES_LQPN.
 */
const RECORD_FIELDS: Record<string, Record<string, RecordField>> = {
  STAT_HWCOUNTERS: { name: 82, value: 83, index: 94, dynamic: 95 },
  STAT_COUNTER: { port: 3, id: 79, mode: 74, qpType: 26, pid: 28, comm: 29, counters: 80, qps: { id: 19, child: 20,
    fields: { lqpn: 21 } } },
};

export const NLDEV_ATTR_MAX = 120;
export const NLDEV_SCHEMA: AttrSpec[] = [];
/** Attribute numbers by short name: A.DEV_INDEX === 1. */
export const A = {} as Record<(typeof ATTRS)[number][1], number> & Record<string, number>;
for (const [id, name, type, child] of ATTRS) {
  NLDEV_SCHEMA[id] = { id, name: `RDMA_NLDEV_ATTR_${name}`, type, ...(child ? { child } : {}),
    ...(RECORD_FIELDS[name] ? { fields: RECORD_FIELDS[name] } : {}) };
  A[name] = id;
}
