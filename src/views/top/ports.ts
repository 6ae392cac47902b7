// The Ports view: one row per DEV/PORT with its figures, and a total line.
import type { Observation, RatedPort } from '../../model/observation.js';
import { ViewTable, Row, col, round } from './rows.js';
import { Figure, portFigures, portTotals, modeText } from './figures.js';
import { si, rateCell } from './format.js';

const cell = (f: Figure | undefined) => (f ? rateCell(f.rate, f.mark) : '-');
const num = (f: Figure | undefined) => (f?.rate ?? -1);
const jsonRate = (f: Figure | undefined) => (f && f.rate !== null ? round(f.rate) : null);

/** Where a port's bytes come from, said plainly for the detail pane. */
function bytesAbout(p: RatedPort): string | undefined {
  const src = portFigures(p).rxBytes?.sources[0];
  if (src === 'pma') return 'bytes: PMA port_rcv_data/port_xmit_data x 4 (they count 4-octet words)';
  if (src !== 'netdev') return undefined;
  if (p.soft) return `bytes: netdev ${p.netdev} (IFLA_STATS64); this software device's RDMA traffic goes through it, with any ` +
    `other traffic on it`;
  return `bytes: netdev ${p.netdev} (IFLA_STATS64); a hardware RoCE port offloads RDMA, so these figures exclude the RDMA traffic`;
}

export function portsView(o: Observation): ViewTable {
  const columns = [
    col('port', 'DEV/PORT', 'left', 1), col('netns', 'NETNS', 'left', 3, 20), col('state', 'STATE', 'left', 2), col('rate',
      'RATE', 'left', 6, 22),
    col('netdev', 'NETDEV', 'left', 5), col('rx', 'RX B/s', 'right', 1), col('tx', 'TX B/s', 'right', 1), col('rxp', 'RX pkt/s',
      'right', 2),
    col('txp', 'TX pkt/s', 'right', 2), col('err', 'ERR/s', 'right', 3), col('disc', 'DISC/s', 'right', 4), col('src', 'SRC', 'left', 7),
  ];
  const rows = o.ports.map((p): Row => {
    const f = portFigures(p);
    const src = f.rxBytes?.sources[0];
    return {
      id: `port ${p.key}`,
      cells: {
        port: `${p.dev}/${p.port}`, netns: p.netns.label, state: p.state ?? '?', rate: p.linkRate ?? '-', netdev: p.netdev ?? '-',
        rx: cell(f.rxBytes), tx: cell(f.txBytes), rxp: cell(f.rxPkts), txp: cell(f.txPkts), err: cell(f.errors), disc: cell(f.discards),
        src: src ?? '-',
      },
      sort: {
        port: `${p.dev}/${String(p.port).padStart(3, '0')}`, netns: p.netns.label, state: p.state ?? '', rate: p.linkRate ?? '',
          netdev: p.netdev ?? '',
        rx: num(f.rxBytes), tx: num(f.txBytes), rxp: num(f.rxPkts), txp: num(f.txPkts), err: num(f.errors),
          disc: num(f.discards), src: src ?? '',
      },
      readings: p.counters,
      json: {
        dev: p.dev, port: p.port, netns: p.netns.label, state: p.state ?? null, phys_state: p.physState ?? null,
          link_rate: p.linkRate ?? null,
        link_layer: p.linkLayer ?? null, netdev: p.netdev ?? null, qp_counters: p.qpMode ? modeText(p.qpMode) : null,
        rx_bytes_per_s: jsonRate(f.rxBytes), tx_bytes_per_s: jsonRate(f.txBytes), rx_packets_per_s: jsonRate(f.rxPkts),
        tx_packets_per_s: jsonRate(f.txPkts), errors_per_s: jsonRate(f.errors), discards_per_s: jsonRate(f.discards),
          bytes_source: src ?? null,
        ...(p.notes.length ? { notes: p.notes } : {}),
      },
      about: [
        `${p.dev}/${p.port} in netns ${p.netns.label}: ${p.state ?? '?'} ${p.physState ?? ''}` +
          `${p.linkRate ? `, ${p.linkRate}` : ''}${p.netdev ? `, netdev ${p.netdev}` : ''}`,
        ...(bytesAbout(p) ? [bytesAbout(p)!] : []), ...p.notes,
      ],
    };
  });
  const sum = portTotals(o.ports);
  const totals: Row | undefined = rows.length > 1 ? {
    id: 'total', cells: { port: 'total', rx: si(sum.rx), tx: si(sum.tx), rxp: si(sum.rxp), txp: si(sum.txp), err: si(sum.err),
      disc: si(sum.disc) },
    sort: {}, readings: [], about: [], json: {},
  } : undefined;
  return { view: 'ports', columns, rows, totals, notices: [] };
}
