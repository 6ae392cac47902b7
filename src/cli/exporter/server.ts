// The exporter's HTTP side: GET /metrics asks the collector worker for a
// reading and waits at most `timeoutMs`. Concurrent scrapes share one
// reading. A reading that fails or is late is answered with the last good
// values and rdma_exporter_stale 1 (never a hang); the next scrape takes the
// late reading when it has arrived.
import { createServer, Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import type { MetricFamily } from '../../model/metrics.js';
import { exposition, CONTENT_TYPE } from '../../views/prometheus.js';
import type { Exposed, CollectorOptions } from './collector.js';

export interface ExporterOptions extends CollectorOptions {
  host: string;
  port: number;
  timeoutMs: number;
}

export interface Exporter {
  server: Server;
  close(): Promise<void>;
}

const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', samples: [{ labels: {},
  value }] });

export function startExporter(o: ExporterOptions, log: (m: string) => void): Promise<Exporter> {
  const worker = new Worker(new URL('./collector.js', import.meta.url), { workerData: { netns: o.netns, allNetns: o.allNetns,
    replay: o.replay, record: o.record } satisfies CollectorOptions });
  let pending: Promise<Exposed> | undefined;
  let last: { text: string; at: number; ms: number } | undefined;
  const collect = () => (pending ??= new Promise<Exposed>((resolve) => {
    worker.once('message', (m: Exposed) => {
      pending = undefined;
      if ('text' in m) last = { text: m.text, at: Date.now(), ms: m.ms };
      if ('problems' in m && m.problems.length) log(`reading: ${m.problems.join('; ')}`);
      resolve(m);
    });
    worker.postMessage('collect');
  }));
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(path === '/' ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(path === '/' ? 'rdma-ts exporter: metrics at /metrics\n' : 'not found: metrics at /metrics\n');
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), o.timeoutMs); });
    void Promise.race([collect(), late]).then(async (m) => {
      clearTimeout(timer);
      const fresh = !!m && 'text' in m;
      if (!fresh) log(m ? `reading failed: ${m.error}` : `reading took longer than ${o.timeoutMs} ms: answering with the last values`);
      const self = [
        gauge('rdma_exporter_stale', 'Whether these values are from an earlier reading (the last one failed or was late)', fresh ? 0 : 1),
        gauge('rdma_exporter_last_success_timestamp_seconds', 'When the values shown were read (Unix time)', last ? last.at / 1000 : 0),
        gauge('rdma_exporter_read_seconds', 'How long the reading of the values shown took', last ? last.ms / 1000 : 0),
      ];
      // Two expositions joined as prom-client joins families: by a blank line.
      const own = await exposition(self);
      const body = last ? `${last.text}\n${own}` : own;
      res.writeHead(200, { 'Content-Type': CONTENT_TYPE });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      resolve({
        server,
        // Done when the worker has gone too: its session writes a --record file as it closes.
        close: () => {
          const served = new Promise<void>((done) => server.close(() => done()));
          const gone = new Promise<void>((done) => worker.once('exit', () => done()));
          server.closeAllConnections();
          worker.postMessage('close');
          return Promise.all([served, gone]).then(() => undefined);
        },
      });
    });
  });
}
