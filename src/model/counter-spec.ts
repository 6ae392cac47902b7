// What each counter is: where it comes from, how wide it is, whether it
// saturates or wraps, and its unit. Rates are only as right as these facts.
//
// Sources:
//   pma     sysfs ports/P/counters/ (PMA PortCounters MADs; IB and some RoCE HCAs)
//   hw      sysfs ports/P/hw_counters/ (driver counters; used when STAT_GET is refused)
//   netlink RDMA_NLDEV_CMD_STAT_GET (the same driver counters, one request per port,
//           and the only way to read a device in another network namespace;
//           also every per-QP counter)
//   netdev  rtnetlink IFLA_STATS64 of the port's netdev, in the netdev's namespace

export type CounterSource = 'pma' | 'hw' | 'netlink' | 'netdev';

export type CounterUnit = 'bytes' | '4-octet words' | 'packets' | 'events';

export interface CounterSpec {
  /** Bits the value has before it saturates or wraps. */
  width: 4 | 8 | 16 | 32 | 64;
  /** PMA counters stop at all ones; everything else wraps (or, at 64 bits, never does). */
  saturates: boolean;
  unit: CounterUnit;
  /** Bytes per unit, for data counters (port_xmit_data counts 4-octet words). */
  bytesPerUnit?: number;
  /** All ones at `width` bits. */
  max: bigint;
}

/** PortCounters field widths (IBTA; drivers/infiniband/core/sysfs.c PORT_PMA_ATTR). */
const PMA_WIDTH: Record<string, CounterSpec['width']> = {
  symbol_error: 16, link_error_recovery: 8, link_downed: 8, port_rcv_errors: 16, port_rcv_remote_physical_errors: 16,
  port_rcv_switch_relay_errors: 16, port_xmit_discards: 16, port_xmit_constraint_errors: 8, port_rcv_constraint_errors: 8,
  local_link_integrity_errors: 4, excessive_buffer_overrun_errors: 4, VL15_dropped: 16, port_xmit_wait: 32,
  port_xmit_data: 32, port_rcv_data: 32, port_xmit_packets: 32, port_rcv_packets: 32,
  unicast_xmit_packets: 64, unicast_rcv_packets: 64, multicast_xmit_packets: 64, multicast_rcv_packets: 64,
};

/** Data and packet counters that PortCountersExtended widens to 64 bits. */
const PMA_EXTENDED = new Set(['port_xmit_data', 'port_rcv_data', 'port_xmit_packets', 'port_rcv_packets']);

/**
 * mlx5 q-counters are 32-bit hardware fields the driver passes on as they are
 * (drivers/infiniband/hw/mlx5/counters.c, be32_to_cpu), so they wrap at 2^32;
 * mlx5's congestion, extended PPCNT and optional counters are 64-bit.
 */
const MLX5_Q_COUNTERS = new Set([
  'rx_write_requests', 'rx_read_requests', 'rx_atomic_requests', 'rx_dct_connect', 'out_of_buffer', 'out_of_sequence',
  'duplicate_request', 'rnr_nak_retry_err', 'packet_seq_err', 'implied_nak_seq_err', 'local_ack_timeout_err',
  'resp_local_length_error', 'resp_cqe_error', 'req_cqe_error', 'req_remote_invalid_request', 'req_remote_access_errors',
  'resp_remote_access_errors', 'resp_cqe_flush_error', 'req_cqe_flush_error', 'req_transport_retries_exceeded',
  'req_rnr_retries_exceeded', 'roce_adp_retrans', 'roce_adp_retrans_to', 'roce_slow_restart', 'roce_slow_restart_cnps',
  'roce_slow_restart_trans',
]);

function unitOf(name: string): CounterUnit {
  if (/bytes|octets/.test(name)) return 'bytes';
  if (/pkts|packets/.test(name)) return 'packets';
  return 'events';
}

export interface SpecContext {
  /** The kernel driver of the device (`mlx5_core`, `rdma_rxe`), when known. */
  driver?: string;
  /** The port's counters/ holds PortCountersExtended (unicast_* files exist). */
  pmaExtended?: boolean;
  /** The value read: a "32-bit" PMA data counter above 2^32 proves the port uses 64-bit ones. */
  value?: bigint;
}

/** source -> driver (or PMA width class) -> name -> spec. */
const specs: Partial<Record<CounterSource, Map<string, Map<string, CounterSpec>>>> = {};

/**
 * The facts of one counter. Shared objects (a sample reads ~25,000 counters
 * at scale): one per source, driver or width class, and name.
 */
export function counterSpec(name: string, source: CounterSource, ctx: SpecContext = {}): CounterSpec {
  const wide = source === 'pma' && PMA_EXTENDED.has(name) && (ctx.pmaExtended || (ctx.value !== undefined && ctx.value > 0xffffffffn));
  const group = source === 'pma' ? (wide ? 'wide' : '') : ctx.driver ?? '';
  const bySource = (specs[source] ??= new Map());
  let byName = bySource.get(group);
  if (!byName) bySource.set(group, (byName = new Map()));
  let spec = byName.get(name);
  if (!spec) byName.set(name, (spec = makeSpec(name, source, ctx.driver, wide)));
  return spec;
}

function makeSpec(name: string, source: CounterSource, driver: string | undefined, wide: boolean): CounterSpec {
  const s = specOf(name, source, driver, wide);
  return { ...s, max: maxOf(s.width) };
}

function specOf(name: string, source: CounterSource, driver: string | undefined, wide: boolean): Omit<CounterSpec, 'max'> {
  if (source === 'pma') {
    // PortCountersExtended without the IETF (unicast/multicast) part exposes the
    // same file names, so a value beyond 32 bits is the only sign of it (`wide`).
    const width = wide ? 64 : PMA_WIDTH[name] ?? 64;
    const data = name === 'port_xmit_data' || name === 'port_rcv_data';
    return { width, saturates: true, unit: data ? '4-octet words' : unitOf(name), ...(data ? { bytesPerUnit: 4 } : {}) };
  }
  if (source === 'netdev') {
    const unit = unitOf(name);
    return { width: 64, saturates: false, unit, ...(unit === 'bytes' ? { bytesPerUnit: 1 } : {}) };
  }
  const unit = unitOf(name);
  const width = driver === 'mlx5_core' && MLX5_Q_COUNTERS.has(name) ? 32 : 64;
  return { width, saturates: false, unit, ...(unit === 'bytes' ? { bytesPerUnit: 1 } : {}) };
}

/** All ones at `width` bits. */
export const maxOf = (width: number): bigint => (1n << BigInt(width)) - 1n;
