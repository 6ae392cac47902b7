// The exporter's reading, in a worker thread: netlink and sysfs reads are
// synchronous, so a slow kernel must not stall the HTTP server. Each
// 'collect' message answers with the exposition text or the error: the
// text is written here, where the label sets live from one reading to the
// next (LabelSets), and a string crosses to the server thread without a
// structured clone of ~27k sample objects. The
// session refuses every change (it is read-only by construction: a write
// request would go to the dry-run hook, which throws).
import { parentPort, workerData } from 'node:worker_threads';
import { Session } from '../../transport/session.js';
import { Sampler } from '../../model/sampler.js';
import { readMetrics, Collected } from './reading.js';
import { LabelSets } from '../../model/metrics.js';
import { exposition } from '../../views/prometheus.js';

export interface CollectorOptions {
  netns?: string;
  allNetns: boolean;
  replay?: string;
  record?: string;
}
export type Exposed = { text: string; problems: string[]; ms: number } | { error: string };

const o = workerData as CollectorOptions;
const session = new Session({ netns: o.netns, replay: o.replay, record: o.record, argv: ['exporter'] });
session.dryRun = (req) => {
  throw new Error(`the exporter is read-only; refused to ${req}`);
};
const sampler = new Sampler(session, { netns: o.netns, allNetns: o.allNetns, censusEvery: 1 });
const sets = new LabelSets();

parentPort!.on('message', (m) => {
  if (m === 'close') {
    session.close();
    process.exit(0);
  }
  const failed = (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) });
  let r: Collected;
  try {
    r = readMetrics(session, sampler, sets);
  } catch (e) {
    r = failed(e);
  }
  if ('error' in r) parentPort!.postMessage(r);
  else {
    const { families, problems, ms } = r;
    void exposition(families).then((text): Exposed => ({ text, problems, ms }), failed).then((m) => parentPort!.postMessage(m));
  }
});
