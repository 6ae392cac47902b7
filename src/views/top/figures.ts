// What a port's row is made of: figures per second (bytes, packets, errors,
// discards) from the port's own counters (PMA first, the netdev's where the
// port has none), and their sums. Bound QP counters are never added in: the
// kernel already counts them in the port's totals.
import type { RatedReading, RatedPort } from '../../model/observation.js';
import { STAT_MODE, AUTO_MASK, QpCounterMode } from '../../model/stat.js';

/** A per-second figure made of readings: their rates (scaled to bytes where asked) summed, with the worst mark. */
export interface Figure {
  rate: number | null;
  mark?: RatedReading['mark'];
  sources: string[];
}

function figure(readings: RatedReading[], bytes = false): Figure | undefined {
  if (!readings.length) return undefined;
  let rate: number | null = 0;
  let mark: RatedReading['mark'];
  for (const r of readings) {
    if (r.mark === 'saturated' || (r.mark === 'reset' && mark !== 'saturated')) mark = r.mark;
    else if (r.mark === 'wrap' && !mark) mark = 'wrap';
    if (r.rate === null) rate = null;
    else if (rate !== null) rate += r.rate * (bytes ? r.spec.bytesPerUnit ?? 1 : 1);
  }
  return { rate: mark === 'saturated' ? null : rate, mark, sources: [...new Set(readings.map((r) => r.source))] };
}

const PMA_ERRORS = new Set(['symbol_error', 'link_error_recovery', 'link_downed', 'port_rcv_errors', 'port_rcv_remote_physical_errors',
  'port_rcv_switch_relay_errors', 'port_xmit_constraint_errors', 'port_rcv_constraint_errors', 'local_link_integrity_errors',
  'excessive_buffer_overrun_errors']);
const PMA_DISCARDS = new Set(['port_xmit_discards', 'VL15_dropped']);

/** The first group of readings that exists, in preference order. */
function prefer(...groups: RatedReading[][]): RatedReading[] {
  return groups.find((g) => g.length) ?? [];
}

export interface PortFigures {
  rxBytes?: Figure;
  txBytes?: Figure;
  rxPkts?: Figure;
  txPkts?: Figure;
  errors?: Figure;
  discards?: Figure;
}

/** Figures are asked for by several views and the totals: worked out once per observed port. */
const figuresOf = new WeakMap<RatedPort, PortFigures>();

/** What a port row is made of: RDMA counters first, the netdev's where the port has none. */
export function portFigures(p: RatedPort): PortFigures {
  let f = figuresOf.get(p);
  if (!f) figuresOf.set(p, (f = computeFigures(p)));
  return f;
}

function computeFigures(p: RatedPort): PortFigures {
  const by = (source: string, names: string[]) => p.counters.filter((c) => c.source === source && names.includes(c.name));
  const driver = p.counters.filter((c) => c.source === 'netlink' || c.source === 'hw');
  const rxBytes = figure(prefer(by('pma', ['port_rcv_data']), by('netdev', ['rx_bytes'])), true);
  const txBytes = figure(prefer(by('pma', ['port_xmit_data']), by('netdev', ['tx_bytes'])), true);
  const rxPkts = figure(prefer(by('pma', ['port_rcv_packets']), driver.filter((c) => c.name === 'rcvd_pkts'), by('netdev',
    ['rx_packets'])));
  const txPkts = figure(prefer(by('pma', ['port_xmit_packets']), driver.filter((c) => c.name === 'sent_pkts'), by('netdev',
    ['tx_packets'])));
  const errors = figure(prefer([...p.counters.filter((c) => c.source === 'pma' && PMA_ERRORS.has(c.name)),
    ...driver.filter((c) => /err/.test(c.name))],
    by('netdev', ['rx_errors', 'tx_errors'])));
  const discards = figure(prefer([...p.counters.filter((c) => c.source === 'pma' && PMA_DISCARDS.has(c.name)),
    ...driver.filter((c) => /out_of_buffer|discard|drop/.test(c.name))],
    by('netdev', ['rx_dropped', 'tx_dropped'])));
  return { rxBytes, txBytes, rxPkts, txPkts, errors, discards };
}

/** A port's QP counter mode: off, manual, or auto with its criteria. */
export function modeText(m: QpCounterMode): string {
  if (m.mode === STAT_MODE.MANUAL) return 'manual';
  if (m.mode !== STAT_MODE.AUTO) return 'off';
  const crit = [m.autoMask & AUTO_MASK.QP_TYPE ? 'type' : '', m.autoMask & AUTO_MASK.PID ? 'pid' : ''].filter(Boolean);
  return `auto ${crit.join(',')}`;
}

type Totals = Record<'rx' | 'tx' | 'rxp' | 'txp' | 'err' | 'disc', number>;

/**
 * Sums of the ports' figures. A figure taken from a netdev counts once per
 * netdev: two RDMA devices on one netdev (siw0 and an rxe on the same veth)
 * would otherwise count its bytes twice.
 */
export function portTotals(ports: RatedPort[]): Totals {
  const sum: Totals = { rx: 0, tx: 0, rxp: 0, txp: 0, err: 0, disc: 0 };
  const seen = new Set<string>();
  for (const p of ports) {
    const f = portFigures(p);
    const parts: Array<[keyof Totals, Figure | undefined]> = [['rx', f.rxBytes], ['tx', f.txBytes], ['rxp', f.rxPkts], ['txp',
      f.txPkts], ['err', f.errors], ['disc', f.discards]];
    for (const [k, x] of parts) {
      if (!x?.rate) continue;
      const key = x.sources.includes('netdev') ? `${k} netdev ${p.netns.label}/${p.netdev}` : `${k} port ${p.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sum[k] += x.rate;
    }
  }
  return sum;
}
