// The Counters view: one row per bound QP counter, with its owner and its
// busiest counters; a notice (with the command) for each port not in auto mode.
import type { Observation } from '../../model/observation.js';
import { ownerLabel } from '../../model/attribution.js';
import { STAT_MODE } from '../../model/stat.js';
import { ViewTable, Row, col, busiest, totalRate, ownerJson, commandIn } from './rows.js';

export function countersView(o: Observation): ViewTable {
  const columns = [
    col('port', 'DEV/PORT', 'left', 1), col('cntn', 'CNTN', 'right', 1), col('pid', 'PID', 'right', 2), col('comm', 'COMM', 'left', 2, 16),
    col('container', 'CONTAINER', 'left', 3, 40), col('netns', 'NETNS', 'left', 5, 20), col('type', 'QP-TYPE', 'left', 4),
      col('qps', 'QPS', 'right', 4),
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
      port: `${c.dev}/${String(c.port).padStart(3, '0')}`, cntn: c.cntn, pid: c.pid ?? -1, comm: c.comm ?? '',
        container: ownerLabel(c.owner) ?? '',
      netns: c.netns.label, type: c.qpType ?? '', qps: c.lqpns.length, busy: totalRate(c.counters),
    },
    readings: c.counters,
    json: {
      dev: c.dev, port: c.port, cntn: c.cntn, netns: c.netns.label, pid: c.pid ?? null, comm: c.comm ?? null, qp_type: c.qpType ?? null,
      lqpns: c.lqpns, ...ownerJson(c),
    },
    about: [`counter ${c.cntn} on ${c.dev}/${c.port}: ${c.lqpns.length} QP(s) ${c.lqpns.join(',')}` +
      `${c.pid !== undefined ? `, pid ${c.pid} (${c.comm ?? '?'})` : ''}`,
      ...(c.owner?.cgroup ? [`cgroup ${c.owner.cgroup}`] : [])],
  }));
  const notices: string[] = [];
  for (const p of o.ports) {
    const m = p.qpMode;
    if (!m || m.mode === STAT_MODE.AUTO || !p.driverCounters) continue; // no counters in the driver: nothing to enable
    const cmd = `${commandIn(p.netns)} statistic qp set link ${p.dev}/${p.port} auto type,pid on`;
    notices.push(`${p.dev}/${p.port} (netns ${p.netns.label}) is not in QP counter auto mode ` +
      `(${m.mode === STAT_MODE.MANUAL ? 'manual' : 'off'}): ` +
      `per-process counters need \`${cmd}\` (QPs created after it are counted), or \`rdma-ts top --bind-auto pid\` for this session`);
  }
  return { view: 'counters', columns, rows, notices };
}
