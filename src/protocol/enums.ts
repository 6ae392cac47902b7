// UAPI enumerations by the names rdmatool prints (ib_qp_type, ib_port_state, ...).
// Tables, not switch statements, so each reads as the UAPI/iproute2 list it mirrors.

const pick = (table: readonly string[], i: number | undefined, dflt = 'UNKNOWN'): string =>
  i !== undefined && i < table.length && table[i] ? table[i] : dflt;

export const NODE_TYPES = ['unknown', 'ca', 'switch', 'router', 'rnic', 'usnic', 'usnic_udp', 'unspecified'];
export const nodeTypeName = (t?: number) => pick(NODE_TYPES, t, 'unknown');

const DEV_CAPS: Record<number, string> = {
  0: 'RESIZE_MAX_WR', 1: 'BAD_PKEY_CNTR', 2: 'BAD_QKEY_CNTR', 3: 'RAW_MULTI', 4: 'AUTO_PATH_MIG',
  5: 'CHANGE_PHY_PORT', 6: 'UD_AV_PORT_ENFORCE_PORT_ENFORCE', 7: 'CURR_QP_STATE_MOD', 8: 'SHUTDOWN_PORT',
  9: 'INIT_TYPE', 10: 'PORT_ACTIVE_EVENT', 11: 'SYS_IMAGE_GUID', 12: 'RC_RNR_NAK_GEN', 13: 'SRQ_RESIZE',
  14: 'N_NOTIFY_CQ', 15: 'LOCAL_DMA_LKEY', 17: 'MEM_WINDOW', 18: 'UD_IP_CSUM', 19: 'UD_TSO', 20: 'XRC',
  21: 'MEM_MGT_EXTENSIONS', 22: 'BLOCK_MULTICAST_LOOPBACK', 23: 'MEM_WINDOW_TYPE_2A', 24: 'MEM_WINDOW_TYPE_2B',
  25: 'RC_IP_CSUM', 26: 'RAW_IP_CSUM', 27: 'CROSS_CHANNEL', 29: 'MANAGED_FLOW_STEERING', 30: 'SIGNATURE_HANDOVER',
  31: 'ON_DEMAND_PAGING', 32: 'SG_GAPS_REG', 33: 'VIRTUAL_FUNCTION', 34: 'RAW_SCATTER_FCS',
  35: 'RDMA_NETDEV_OPA_VNIC', 36: 'PCI_WRITE_END_PADDING',
};

// Port capability names keep iproute2's spellings, typos included.
const PORT_CAPS: Record<number, string> = {
  1: 'SM', 2: 'NOTICE', 3: 'TRAP', 4: 'OPT_IPD', 5: 'AUTO_MIGR', 6: 'SL_MAP', 7: 'MKEY_NVRAM', 8: 'PKEY_NVRAM',
  9: 'LED_INFO', 10: 'SM_DISABLED', 11: 'SYS_IMAGE_GUID', 12: 'PKEY_SW_EXT_PORT_TRAP', 13: 'CABLE_INFO',
  14: 'EXTENDED_SPEEDS', 15: 'CAP_MASK2', 16: 'CM', 17: 'SNMP_TUNNEL', 18: 'REINIT', 19: 'DEVICE_MGMT',
  20: 'VENDOR_CLASS', 21: 'DR_NOTICE', 22: 'CAP_MASK_NOTICE', 23: 'BOOT_MGMT', 24: 'LINK_LATENCY',
  25: 'CLIENT_REG', 26: 'OTHER_LOCAL_CHANGES', 27: 'LINK_SPPED_WIDTH', 28: 'VENDOR_SPECIFIC_MADS',
  29: 'MULT_PKER_TRAP', 30: 'MULT_FDB', 31: 'HIERARCHY_INFO', 32: 'SET_NODE_DESC', 33: 'EXT_INFO', 34: 'VIRT',
  35: 'SWITCH_POR_STATE_TABLE', 36: 'LINK_WIDTH_2X', 37: 'LINK_SPEED_HDR',
};

function bitNames(bits: bigint, names: Record<number, string>): string[] {
  const out: string[] = [];
  for (let i = 0; bits; i++, bits >>= 1n) if (bits & 1n) out.push(names[i] ?? 'UNKNOWN');
  return out;
}
export const devCapNames = (caps: bigint) => bitNames(caps, DEV_CAPS);
export const portCapNames = (caps: bigint) => bitNames(caps, PORT_CAPS);

export const PORT_STATES = ['NOP', 'DOWN', 'INIT', 'ARMED', 'ACTIVE', 'ACTIVE_DEFER'];
export const PHYS_STATES = ['NOP', 'SLEEP', 'POLLING', 'DISABLED', 'ARMED', 'LINK_UP', 'LINK_ERROR_RECOVER',
  'PHY_TEST', 'UNKNOWN', 'OPA_OFFLINE', 'UNKNOWN', 'OPA_TEST'];
export const portStateName = (s?: number) => pick(PORT_STATES, s);
export const physStateName = (s?: number) => pick(PHYS_STATES, s);

export const QP_TYPES = ['SMI', 'GSI', 'RC', 'UC', 'UD', 'RAW_IPV6', 'RAW_ETHERTYPE', 'UNKNOWN', 'RAW_PACKET', 'XRC_INI', 'XRC_TGT'];
export const QP_TYPE_DRIVER = 0xff;
export const qpTypeName = (t?: number) => (t === QP_TYPE_DRIVER ? 'DRIVER' : pick(QP_TYPES, t));
export const QP_STATES = ['RESET', 'INIT', 'RTR', 'RTS', 'SQD', 'SQE', 'ERR'];
export const qpStateName = (s?: number) => pick(QP_STATES, s);
export const PATH_MIG_STATES = ['MIGRATED', 'REARM', 'ARMED'];
export const pathMigName = (s?: number) => pick(PATH_MIG_STATES, s);

export const CM_ID_STATES = ['IDLE', 'ADDR_QUERY', 'ADDR_RESOLVED', 'ROUTE_QUERY', 'ROUTE_RESOLVED', 'CONNECT',
  'DISCONNECT', 'ADDR_BOUND', 'LISTEN', 'DEVICE_REMOVAL', 'DESTROYING'];
export const cmIdStateName = (s?: number) => pick(CM_ID_STATES, s);
const PORT_SPACES: Record<number, string> = { 0x0002: 'IPoIB', 0x013f: 'IPoIB', 0x0106: 'TCP', 0x0111: 'UDP' };
export const portSpaceName = (ps?: number) => (ps !== undefined && PORT_SPACES[ps]) || '---';

export const POLL_CTX = ['DIRECT', 'SOFTIRQ', 'WORKQUEUE', 'UNBOUND_WORKQUEUE'];
export const pollCtxName = (p?: number) => pick(POLL_CTX, p);
export const SRQ_TYPES = ['BASIC', 'XRC', 'TM'];
export const srqTypeName = (t?: number) => pick(SRQ_TYPES, t);

/** RDMA_NLDEV_ATTR_DEV_TYPE values (enum rdma_nl_dev_type), by number; DEV_TYPE_NUMBERS by name. */
export const DEV_TYPES: Record<number, string> = { 1: 'smi' };
export const DEV_TYPE_NUMBERS: Record<string, number> = Object.fromEntries(Object.entries(DEV_TYPES).map(([n, name]) => [name, Number(n)]));

/** `%04x:%04x:%04x:%04x` of the u64's 16-bit words, high to low. */
export function formatGuid(v: bigint): string {
  const w = (s: bigint) => ((v >> s) & 0xffffn).toString(16).padStart(4, '0');
  return `${w(48n)}:${w(32n)}:${w(16n)}:${w(0n)}`;
}

/** A kernel flag as rdmatool prints it (the parser of `on|off` words is cli/grammar.ts's parseOnOff). */
export const onOffName = (v: number | undefined) => (v ? 'on' : 'off');
