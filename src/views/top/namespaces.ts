// The Namespaces view: one row per network namespace with its devices, QPs,
// processes and bytes per second.
import type { Observation } from '../../model/observation.js';
import { ViewTable, Row, col, round } from './rows.js';
import { portTotals } from './figures.js';
import { si } from './format.js';

export function namespacesView(o: Observation): ViewTable {
  const columns = [
    col('netns', 'NETNS', 'left', 1, 24), col('kind', 'KIND', 'left', 4), col('devices', 'DEVICES', 'left', 2, 30), col('qps',
      'QPS', 'right', 2),
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
      cells: { netns: s.label, kind: s.kind, devices: devices.join(',') || (shared ? '(shared)' : '-'), qps: String(qps),
        procs: String(procs.length), rx: si(rx), tx: si(tx) },
      sort: { netns: s.label, kind: s.kind, devices: devices.join(','), qps, procs: procs.length, rx, tx },
      readings: ports.flatMap((p) => p.counters.map((r) => ({ ...r, name: `${p.dev}/${p.port} ${r.name}` }))),
      json: {
        netns: s.label, kind: s.kind, inode: s.inode ?? null, holder_pid: s.holder?.pid ?? null, holder_comm: s.holder?.comm ?? null,
        devices, qps, processes: procs.length, rx_bytes_per_s: round(rx), tx_bytes_per_s: round(tx),
      },
      about: [`netns ${s.label} (${s.kind}${s.inode ? `, inode ${s.inode}` : ''})` +
        `${s.holder ? `, held by pid ${s.holder.pid} (${s.holder.comm ?? '?'})` : ''}`,
        ...(shared ? ['shared mode: every device is visible here; QPs count by the owning process\'s namespace'] : [])],
    };
  });
  return { view: 'namespaces', columns, rows, notices: o.sample.netnsMode ? [`RDMA netns mode: ${o.sample.netnsMode}`] : [] };
}
