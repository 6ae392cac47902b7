// top's four views as tables: the rows each view shows, their cells, sort
// keys, the counters behind them (detail pane, JSON) and what each row is in
// the NDJSON schema. Plain frames, NDJSON and the ink UI all render these.
//
// Port figures come from port counters only; bound QP counters are never
// added in (the kernel already counts them in the port's totals).
import type { Observation, RatedReading, RatedPort, RatedCounter } from '../../model/observation.js';
import type { ProcessCensus, SampleWants } from '../../model/sampler.js';
import type { NetnsRef } from '../../model/netns-scope.js';
import { containerLabel, podLabel, ownerLabel } from '../../model/attribution.js';
import { STAT_MODE, AUTO_MASK, QpCounterMode } from '../../model/stat.js';
import { Column } from './table.js';
import { si, rateCell } from './format.js';

export type ViewName = 'ports' | 'counters' | 'processes' | 'namespaces';
export const VIEWS: ViewName[] = ['ports', 'counters', 'processes', 'namespaces'];

/** What a reading must hold for these views (the sampler reads nothing else). */
export function wantsOf(views: ViewName[]): SampleWants {
  return {
    counters: views.includes('counters') || views.includes('processes'),
    owners: views.includes('processes') || views.includes('namespaces'),
  };
}
export const VIEW_TITLES: Record<ViewName, string> = { ports: 'Ports', counters: 'Counters', processes: 'Processes', namespaces: 'Namespaces' };

export interface Row {
  /** Stable from sample to sample (the selection follows it). */
  id: string;
  cells: Record<string, string>;
  /** Sort keys by column id (numbers sort numerically). */
  sort: Record<string, number | string>;
  /** The counters behind the row (detail pane, JSON `counters`). */
  readings: RatedReading[];
  /** The row's own keys in the NDJSON schema. */
  json: Record<string, unknown>;
  /** Shown above the counters in the detail pane. */
  about: string[];
}

export interface ViewTable {
  view: ViewName;
  columns: Column[];
  rows: Row[];
  totals?: Row;
  /** Lines shown above the table (a port not in auto mode, and the command that fixes it). */
  notices: string[];
}

export interface ViewOptions {
  /** Processes grouped by container instead of by PID. */
  byContainer?: boolean;
}

/** How to run rdma-ts in a namespace, for the commands notices give (`rdma-ts -n pod-a`). */
export function commandIn(ns: NetnsRef): string {
  if (ns.path === undefined) return 'rdma-ts';
  if (ns.kind === 'named') return `rdma-ts -n ${ns.label}`;
  return `rdma-ts -n ${ns.holder?.pid ?? ns.path}`;
}

const col = (id: string, title: string, align: 'left' | 'right', priority: number, max?: number): Column => ({ id, title, align, priority, ...(max ? { max } : {}) });

/** A per-second figure made of readings: their rates (scaled to bytes where asked) summed, with the worst mark. */
interface Figure {
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
  const rxPkts = figure(prefer(by('pma', ['port_rcv_packets']), driver.filter((c) => c.name === 'rcvd_pkts'), by('netdev', ['rx_packets'])));
  const txPkts = figure(prefer(by('pma', ['port_xmit_packets']), driver.filter((c) => c.name === 'sent_pkts'), by('netdev', ['tx_packets'])));
  const errors = figure(prefer([...p.counters.filter((c) => c.source === 'pma' && PMA_ERRORS.has(c.name)), ...driver.filter((c) => /err/.test(c.name))],
    by('netdev', ['rx_errors', 'tx_errors'])));
  const discards = figure(prefer([...p.counters.filter((c) => c.source === 'pma' && PMA_DISCARDS.has(c.name)), ...driver.filter((c) => /out_of_buffer|discard|drop/.test(c.name))],
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
    const parts: Array<[keyof Totals, Figure | undefined]> = [['rx', f.rxBytes], ['tx', f.txBytes], ['rxp', f.rxPkts], ['txp', f.txPkts], ['err', f.errors], ['disc', f.discards]];
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

const cell = (f: Figure | undefined) => (f ? rateCell(f.rate, f.mark) : '-');
const num = (f: Figure | undefined) => (f?.rate ?? -1);
const jsonRate = (f: Figure | undefined) => (f && f.rate !== null ? round(f.rate) : null);
export const round = (v: number) => Math.round(v * 1000) / 1000;

/** Where a port's bytes come from, said plainly for the detail pane. */
function bytesAbout(p: RatedPort): string | undefined {
  const src = portFigures(p).rxBytes?.sources[0];
  if (src === 'pma') return 'bytes: PMA port_rcv_data/port_xmit_data x 4 (they count 4-octet words)';
  if (src !== 'netdev') return undefined;
  if (p.soft) return `bytes: netdev ${p.netdev} (IFLA_STATS64); this software device's RDMA traffic goes through it, with any other traffic on it`;
  return `bytes: netdev ${p.netdev} (IFLA_STATS64); a hardware RoCE port offloads RDMA, so these figures exclude the RDMA traffic`;
}

function portsView(o: Observation): ViewTable {
  const columns = [
    col('port', 'DEV/PORT', 'left', 1), col('netns', 'NETNS', 'left', 3, 20), col('state', 'STATE', 'left', 2), col('rate', 'RATE', 'left', 6, 22),
    col('netdev', 'NETDEV', 'left', 5), col('rx', 'RX B/s', 'right', 1), col('tx', 'TX B/s', 'right', 1), col('rxp', 'RX pkt/s', 'right', 2),
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
        port: `${p.dev}/${String(p.port).padStart(3, '0')}`, netns: p.netns.label, state: p.state ?? '', rate: p.linkRate ?? '', netdev: p.netdev ?? '',
        rx: num(f.rxBytes), tx: num(f.txBytes), rxp: num(f.rxPkts), txp: num(f.txPkts), err: num(f.errors), disc: num(f.discards), src: src ?? '',
      },
      readings: p.counters,
      json: {
        dev: p.dev, port: p.port, netns: p.netns.label, state: p.state ?? null, phys_state: p.physState ?? null, link_rate: p.linkRate ?? null,
        link_layer: p.linkLayer ?? null, netdev: p.netdev ?? null, qp_counters: p.qpMode ? modeText(p.qpMode) : null,
        rx_bytes_per_s: jsonRate(f.rxBytes), tx_bytes_per_s: jsonRate(f.txBytes), rx_packets_per_s: jsonRate(f.rxPkts),
        tx_packets_per_s: jsonRate(f.txPkts), errors_per_s: jsonRate(f.errors), discards_per_s: jsonRate(f.discards), bytes_source: src ?? null,
        ...(p.notes.length ? { notes: p.notes } : {}),
      },
      about: [
        `${p.dev}/${p.port} in netns ${p.netns.label}: ${p.state ?? '?'} ${p.physState ?? ''}${p.linkRate ? `, ${p.linkRate}` : ''}${p.netdev ? `, netdev ${p.netdev}` : ''}`,
        ...(bytesAbout(p) ? [bytesAbout(p)!] : []), ...p.notes,
      ],
    };
  });
  const sum = portTotals(o.ports);
  const totals: Row | undefined = rows.length > 1 ? {
    id: 'total', cells: { port: 'total', rx: si(sum.rx), tx: si(sum.tx), rxp: si(sum.rxp), txp: si(sum.txp), err: si(sum.err), disc: si(sum.disc) },
    sort: {}, readings: [], about: [], json: {},
  } : undefined;
  return { view: 'ports', columns, rows, totals, notices: [] };
}

/** The busiest counters of a row, by rate: "sent_pkts 1.2k rcvd_pkts 1.1k". */
function busiest(readings: RatedReading[], n = 3): string {
  return [...readings].filter((r) => r.rate).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0)).slice(0, n)
    .map((r) => `${r.name} ${si(r.rate!)}`).join(' ') || '-';
}
const totalRate = (readings: RatedReading[]) => readings.reduce((s, r) => s + (r.rate ?? 0), 0);

function ownerJson(c: { owner?: RatedCounter['owner'] }) {
  return {
    container: containerLabel(c.owner?.container) ?? null, container_id: c.owner?.container?.id ?? null,
    runtime: c.owner?.container?.runtime ?? null, pod_namespace: c.owner?.pod?.namespace ?? null,
    pod_name: c.owner?.pod?.name ?? null, pod_uid: c.owner?.pod?.uid ?? null, cgroup: c.owner?.cgroup ?? null,
  };
}

function countersView(o: Observation): ViewTable {
  const columns = [
    col('port', 'DEV/PORT', 'left', 1), col('cntn', 'CNTN', 'right', 1), col('pid', 'PID', 'right', 2), col('comm', 'COMM', 'left', 2, 16),
    col('container', 'CONTAINER', 'left', 3, 40), col('netns', 'NETNS', 'left', 5, 20), col('type', 'QP-TYPE', 'left', 4), col('qps', 'QPS', 'right', 4),
    col('busy', 'BUSIEST COUNTERS/s', 'left', 2, 60),
  ];
  const rows = o.counters.map((c): Row => ({
    id: `counter ${c.key}`,
    cells: {
      port: `${c.dev}/${c.port}`, cntn: String(c.cntn), pid: c.pid === undefined ? '-' : String(c.pid), comm: c.comm ?? '-',
      container: ownerLabel(c.owner) ?? '-', netns: c.netns.label, type: c.qpType ?? '-',
      qps: String(c.lqpns.length), busy: busiest(c.counters),
    },
    sort: {
      port: `${c.dev}/${String(c.port).padStart(3, '0')}`, cntn: c.cntn, pid: c.pid ?? -1, comm: c.comm ?? '', container: ownerLabel(c.owner) ?? '',
      netns: c.netns.label, type: c.qpType ?? '', qps: c.lqpns.length, busy: totalRate(c.counters),
    },
    readings: c.counters,
    json: {
      dev: c.dev, port: c.port, cntn: c.cntn, netns: c.netns.label, pid: c.pid ?? null, comm: c.comm ?? null, qp_type: c.qpType ?? null,
      lqpns: c.lqpns, ...ownerJson(c),
    },
    about: [`counter ${c.cntn} on ${c.dev}/${c.port}: ${c.lqpns.length} QP(s) ${c.lqpns.join(',')}${c.pid !== undefined ? `, pid ${c.pid} (${c.comm ?? '?'})` : ''}`,
      ...(c.owner?.cgroup ? [`cgroup ${c.owner.cgroup}`] : [])],
  }));
  const notices: string[] = [];
  for (const p of o.ports) {
    const m = p.qpMode;
    if (!m || m.mode === STAT_MODE.AUTO || !p.driverCounters) continue; // no counters in the driver: nothing to enable
    const cmd = `${commandIn(p.netns)} statistic qp set link ${p.dev}/${p.port} auto type,pid on`;
    notices.push(`${p.dev}/${p.port} (netns ${p.netns.label}) is not in QP counter auto mode (${m.mode === STAT_MODE.MANUAL ? 'manual' : 'off'}): ` +
      `per-process counters need \`${cmd}\` (QPs created after it are counted), or \`rdma-ts top --bind-auto pid\` for this session`);
  }
  return { view: 'counters', columns, rows, notices };
}

/** Per-process counter figures: the sum of its bound counters by counter name. */
function sumByName(counters: RatedCounter[]): RatedReading[] {
  const out = new Map<string, RatedReading>();
  for (const c of counters) {
    for (const r of c.counters) {
      const have = out.get(r.name);
      if (!have) {
        out.set(r.name, { ...r });
        continue;
      }
      have.raw += r.raw;
      have.rate = have.rate === null || r.rate === null ? null : have.rate + r.rate;
      have.mark ??= r.mark;
    }
  }
  return [...out.values()];
}

function processesView(o: Observation, opts: ViewOptions): ViewTable {
  const groupKey = (p: { pid?: number; comm?: string; kernel?: boolean; owner?: ProcessCensus['owner'] }) =>
    opts.byContainer ? `ctr ${ownerLabel(p.owner) ?? (p.kernel ? `kernel ${p.comm}` : 'host')}`
      : p.pid !== undefined ? `pid ${p.pid}` : `kernel ${p.comm}`;
  interface Group { id: string; members: ProcessCensus[]; counters: RatedCounter[] }
  const groups = new Map<string, Group>();
  const group = (id: string) => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, members: [], counters: [] }));
    return g;
  };
  for (const p of o.sample.processes) group(groupKey(p)).members.push(p);
  for (const c of o.counters) group(groupKey({ pid: c.pid, comm: c.comm, kernel: c.pid === undefined, owner: c.owner })).counters.push(c);
  const columns = [
    col('who', opts.byContainer ? 'CONTAINER' : 'PID', opts.byContainer ? 'left' : 'right', 1, 40), col('comm', opts.byContainer ? 'PROCS' : 'COMM', 'left', 1, 16),
    ...(opts.byContainer ? [] : [col('container', 'CONTAINER', 'left', 3, 40)]), col('netns', 'NETNS', 'left', 4, 20),
    col('qps', 'QPS', 'right', 2), col('mrs', 'MRS', 'right', 3), col('cqs', 'CQS', 'right', 3), col('cnt', 'CNTRS', 'right', 5),
    col('busy', 'BUSIEST COUNTERS/s', 'left', 2, 60),
  ];
  const rows = [...groups.values()].map((g): Row => {
    const first = g.members[0] ?? { pid: g.counters[0]?.pid, comm: g.counters[0]?.comm, kernel: false, owner: g.counters[0]?.owner, netns: g.counters[0]?.netns.label };
    const sum = (k: 'qps' | 'mrs' | 'cqs') => g.members.reduce((s, m) => s + m[k], 0);
    const readings = sumByName(g.counters);
    const owner = ownerLabel(first.owner);
    const who = opts.byContainer ? g.id.replace(/^ctr /, '') : first.pid !== undefined ? String(first.pid) : '-';
    const comm = opts.byContainer ? [...new Set(g.members.map((m) => m.comm ?? '?'))].join(',') : first.kernel ? `[${first.comm}]` : first.comm ?? '-';
    return {
      id: g.id,
      cells: {
        who, comm, container: owner ?? '-', netns: first.netns ?? '-',
        qps: String(sum('qps')), mrs: String(sum('mrs')), cqs: String(sum('cqs')), cnt: String(g.counters.length), busy: busiest(readings),
      },
      sort: {
        who: opts.byContainer ? who : first.pid ?? -1, comm, container: owner ?? '', netns: first.netns ?? '', qps: sum('qps'), mrs: sum('mrs'), cqs: sum('cqs'),
        cnt: g.counters.length, busy: totalRate(readings),
      },
      readings,
      json: {
        ...(opts.byContainer ? { group: who, pids: g.members.map((m) => m.pid).filter((p) => p !== undefined) } : { pid: first.pid ?? null, comm: first.comm ?? null, kernel: first.kernel }),
        netns: first.netns ?? null, qps: sum('qps'), mrs: sum('mrs'), cqs: sum('cqs'), counters_bound: g.counters.length, ...ownerJson(first),
        devices: [...new Set(g.members.flatMap((m) => m.devices))],
      },
      about: [`${opts.byContainer ? `container ${who}` : `pid ${who} (${comm})`}: ${sum('qps')} QPs, ${sum('mrs')} MRs, ${sum('cqs')} CQs, ${g.counters.length} bound counter(s)`,
        ...(first.owner?.cgroup ? [`cgroup ${first.owner.cgroup}`] : []),
        ...(g.counters.length ? [] : ['no bound QP counters: counter figures need auto pid mode on the port (see the Counters view)'])],
    };
  });
  return { view: 'processes', columns, rows, notices: [] };
}

function namespacesView(o: Observation): ViewTable {
  const columns = [
    col('netns', 'NETNS', 'left', 1, 24), col('kind', 'KIND', 'left', 4), col('devices', 'DEVICES', 'left', 2, 30), col('qps', 'QPS', 'right', 2),
    col('procs', 'PROCS', 'right', 3), col('rx', 'RX B/s', 'right', 1), col('tx', 'TX B/s', 'right', 1),
  ];
  const rows = o.sample.scopes.map((s): Row => {
    const ports = o.ports.filter((p) => p.netns.label === s.label);
    const procs = o.sample.processes.filter((p) => p.netns === s.label);
    const qps = procs.reduce((n, p) => n + p.qps, 0);
    const { rx, tx } = portTotals(ports);
    const devices = [...new Set(ports.map((p) => p.dev))];
    const shared = o.sample.netnsMode === 'shared' && s !== o.sample.scopes[0];
    return {
      id: `netns ${s.inode ?? s.label}`,
      cells: { netns: s.label, kind: s.kind, devices: devices.join(',') || (shared ? '(shared)' : '-'), qps: String(qps), procs: String(procs.length), rx: si(rx), tx: si(tx) },
      sort: { netns: s.label, kind: s.kind, devices: devices.join(','), qps, procs: procs.length, rx, tx },
      readings: ports.flatMap((p) => p.counters.map((r) => ({ ...r, name: `${p.dev}/${p.port} ${r.name}` }))),
      json: {
        netns: s.label, kind: s.kind, inode: s.inode ?? null, holder_pid: s.holder?.pid ?? null, holder_comm: s.holder?.comm ?? null,
        devices, qps, processes: procs.length, rx_bytes_per_s: round(rx), tx_bytes_per_s: round(tx),
      },
      about: [`netns ${s.label} (${s.kind}${s.inode ? `, inode ${s.inode}` : ''})${s.holder ? `, held by pid ${s.holder.pid} (${s.holder.comm ?? '?'})` : ''}`,
        ...(shared ? ['shared mode: every device is visible here; QPs count by the owning process\'s namespace'] : [])],
    };
  });
  return { view: 'namespaces', columns, rows, notices: o.sample.netnsMode ? [`RDMA netns mode: ${o.sample.netnsMode}`] : [] };
}

export function buildView(view: ViewName, o: Observation, opts: ViewOptions = {}): ViewTable {
  switch (view) {
    case 'ports': return portsView(o);
    case 'counters': return countersView(o);
    case 'processes': return processesView(o, opts);
    case 'namespaces': return namespacesView(o);
  }
}

/** Rows whose visible cells contain `filter` (case-insensitive), sorted by `sortBy` (descending unless `ascending`). */
export function selectRows(t: ViewTable, filter: string, sortBy: string | undefined, ascending: boolean, visible = t.columns): Row[] {
  const f = filter.toLowerCase();
  let rows = f ? t.rows.filter((r) => visible.some((c) => (r.cells[c.id] ?? '').toLowerCase().includes(f))) : t.rows;
  if (sortBy) {
    rows = [...rows].sort((a, b) => {
      const x = a.sort[sortBy], y = b.sort[sortBy];
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
      return ascending ? d : -d;
    });
  }
  return rows;
}
