// One exporter reading: the sampler's ports and QP counters, the GID tables
// and the RDMA cgroups, as metric families. Shared by the collector worker
// and the scrape benchmark.
import type { Session } from '../../transport/session.js';
import { Sampler } from '../../model/sampler.js';
import { surveyGids } from '../../model/gid-survey.js';
import { findRdmaHierarchy } from '../../model/rdma-cgroup.js';
import { surveyCgroups } from '../../model/cgroup-survey.js';
import { toMetrics, MetricFamily, LabelSets } from '../../model/metrics.js';

export type Collected = { families: MetricFamily[]; problems: string[]; ms: number } | { error: string };

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A slow kernel, for the tests of the stale path (RDMA_TS_EXPORTER_DELAY_MS): the reading blocks this thread, as a stuck
 * netlink dump would.
 */
const DELAY_MS = Number(process.env.RDMA_TS_EXPORTER_DELAY_MS ?? 0);

/** sets: the label sets of the previous readings (keep one per reader: see LabelSets). */
export function readMetrics(session: Session, sampler: Sampler, sets: LabelSets): Collected {
  const t0 = performance.now();
  if (DELAY_MS > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, DELAY_MS);
  // Owners (full resource dumps) are top's Processes view; QP counters carry their pid themselves.
  const sample = sampler.sample({ counters: true, owners: false });
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
  return { families: toMetrics({ sample, gids, cgroups }, sets), problems, ms: performance.now() - t0 };
}
