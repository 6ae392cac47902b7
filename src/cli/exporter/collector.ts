// The exporter's reading, in a worker thread: netlink and sysfs reads are
// synchronous, so a slow kernel must not stall the HTTP server. Each
// 'collect' message answers with the metric families or the error. The
// session refuses every change (it is read-only by construction: a write
// request would go to the dry-run hook, which throws).
import { parentPort, workerData } from 'node:worker_threads';
import { Session } from '../../transport/session.js';
import { Sampler } from '../../model/sampler.js';
import { readMetrics, Collected } from './reading.js';

export interface CollectorOptions {
  netns?: string;
  allNetns: boolean;
  replay?: string;
  record?: string;
}
export type { Collected } from './reading.js';

const o = workerData as CollectorOptions;
const session = new Session({ netns: o.netns, replay: o.replay, record: o.record, argv: ['exporter'] });
session.dryRun = (req) => {
  throw new Error(`the exporter is read-only; refused to ${req}`);
};
const sampler = new Sampler(session, { netns: o.netns, allNetns: o.allNetns, censusEvery: 1 });

parentPort!.on('message', (m) => {
  if (m === 'close') {
    session.close();
    process.exit(0);
  }
  let r: Collected;
  try {
    r = readMetrics(session, sampler);
  } catch (e) {
    r = { error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(r);
});
