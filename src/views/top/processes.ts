// The Processes view: one row per process (or per container, `c`) with its
// RDMA objects from the census and the sum of its bound counters.
import type { Observation, RatedReading, RatedCounter } from '../../model/observation.js';
import type { ProcessCensus } from '../../model/sampler.js';
import { ownerLabel } from '../../model/attribution.js';
import { ViewTable, ViewOptions, Row, col, busiest, totalRate, ownerJson } from './rows.js';

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

export function processesView(o: Observation, opts: ViewOptions): ViewTable {
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
    col('who', opts.byContainer ? 'CONTAINER' : 'PID', opts.byContainer ? 'left' : 'right', 1, 40), col('comm',
      opts.byContainer ? 'PROCS' : 'COMM', 'left', 1, 16),
    ...(opts.byContainer ? [] : [col('container', 'CONTAINER', 'left', 3, 40)]), col('netns', 'NETNS', 'left', 4, 20),
    col('qps', 'QPS', 'right', 2), col('mrs', 'MRS', 'right', 3), col('cqs', 'CQS', 'right', 3), col('cnt', 'CNTRS', 'right', 5),
    col('busy', 'BUSIEST COUNTERS/s', 'left', 2, 60),
  ];
  const rows = [...groups.values()].map((g): Row => {
    const first = g.members[0] ?? { pid: g.counters[0]?.pid, comm: g.counters[0]?.comm, kernel: false,
      owner: g.counters[0]?.owner, netns: g.counters[0]?.netns.label };
    const sum = (k: 'qps' | 'mrs' | 'cqs') => g.members.reduce((s, m) => s + m[k], 0);
    const readings = sumByName(g.counters);
    const owner = ownerLabel(first.owner);
    const who = opts.byContainer ? g.id.replace(/^ctr /, '') : first.pid !== undefined ? String(first.pid) : '-';
    const comm = opts.byContainer ? [...new Set(g.members.map((m) => m.comm
      ?? '?'))].join(',') : first.kernel ? `[${first.comm}]` : first.comm ?? '-';
    return {
      id: g.id,
      cells: {
        who, comm, container: owner ?? '-', netns: first.netns ?? '-',
        qps: String(sum('qps')), mrs: String(sum('mrs')), cqs: String(sum('cqs')), cnt: String(g.counters.length), busy: busiest(readings),
      },
      sort: {
        who: opts.byContainer ? who : first.pid ?? -1, comm, container: owner ?? '', netns: first.netns ?? '', qps: sum('qps'),
          mrs: sum('mrs'), cqs: sum('cqs'),
        cnt: g.counters.length, busy: totalRate(readings),
      },
      readings,
      json: {
        ...(opts.byContainer ? { group: who,
          pids: g.members.map((m) => m.pid).filter((p) => p !== undefined) } : { pid: first.pid ?? null,
            comm: first.comm ?? null, kernel: first.kernel }),
        netns: first.netns ?? null, qps: sum('qps'), mrs: sum('mrs'), cqs: sum('cqs'), counters_bound: g.counters.length,
          ...ownerJson(first),
        devices: [...new Set(g.members.flatMap((m) => m.devices))],
      },
      about: [`${opts.byContainer ? `container ${who}` : `pid ${who} (${comm})`}: ${sum('qps')} QPs, ${sum('mrs')} MRs, ` +
        `${sum('cqs')} CQs, ${g.counters.length} bound counter(s)`,
        ...(first.owner?.cgroup ? [`cgroup ${first.owner.cgroup}`] : []),
        ...(g.counters.length ? [] : ['no bound QP counters: counter figures need auto pid mode on the port (see the Counters view)'])],
    };
  });
  return { view: 'processes', columns, rows, notices: [] };
}
