// The exporter's reading, in a worker thread: netlink and sysfs reads are
// synchronous, so a slow kernel must not stall the HTTP server. Each
// 'collect' message answers with the metric families or the error. The
// session refuses every change (it is read-only by construction: a write
// request would go to the dry-run hook, which throws).
import { parentPort, workerData } from 'node:worker_threads';
import { Session } from '../../transport/session.js';
import { Sampler, WANT_ALL } from '../../model/sampler.js';
import { surveyGids } from '../../model/gid-survey.js';
import { findRdmaHierarchy } from '../../model/rdma-cgroup.js';
import { surveyCgroups } from '../../model/cgroup-survey.js';
import { toMetrics, MetricFamily } from '../../model/metrics.js';

export interface CollectorOptions {
  netns?: string;
  allNetns: boolean;
  replay?: string;
  record?: string;
}
export type Collected = { families: MetricFamily[]; problems: string[]; ms: number } | { error: string };

const o = workerData as CollectorOptions;
const session = new Session({ netns: o.netns, replay: o.replay, record: o.record, argv: ['exporter'] });
session.dryRun = (req) => {
  throw new Error(`the exporter is read-only; refused to ${req}`);
};
const sampler = new Sampler(session, { netns: o.netns, allNetns: o.allNetns, censusEvery: 1 });
const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A slow kernel, for the tests of the stale path (RDMA_TS_EXPORTER_DELAY_MS): the reading blocks this thread, as a stuck netlink dump would. */
const DELAY_MS = Number(process.env.RDMA_TS_EXPORTER_DELAY_MS ?? 0);

function collect(): Collected {
  const t0 = performance.now();
  if (DELAY_MS > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, DELAY_MS);
  const sample = sampler.sample(WANT_ALL);
  if (!sample) return { error: 'the recording has no more readings' };
  const problems = [...sample.problems];
  let gids;
  try {
    gids = surveyGids(session, { scopes: sample.scopes });
  } catch (e) {
    problems.push(`GID tables: ${why(e)}`);
  }
  let cgroups;
  try {
    const h = findRdmaHierarchy(session);
    if (!('missing' in h)) cgroups = surveyCgroups(session, h, { all: true });
  } catch (e) {
    problems.push(`RDMA cgroups: ${why(e)}`);
  }
  return { families: toMetrics({ sample, gids, cgroups }), problems, ms: performance.now() - t0 };
}

parentPort!.on('message', (m) => {
  if (m === 'close') {
    session.close();
    process.exit(0);
  }
  let r: Collected;
  try {
    r = collect();
  } catch (e) {
    r = { error: why(e) };
  }
  parentPort!.postMessage(r);
});
