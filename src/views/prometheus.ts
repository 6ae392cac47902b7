// Metric families in the Prometheus text exposition format, written by
// prom-client (its escaping and value formatting), one registry per scrape
// so that a port or a process that went away leaves no series behind.
// Each series' labels go in as prom-client's sharedLabels, which it formats
// once per label-set object: with LabelSets (model/metrics.ts) keeping those
// objects from scrape to scrape, the ~27k series of a large host cost a
// string concatenation each, not nine escapes.
import promClient from 'prom-client';
import type { MetricFamily } from '../model/metrics.js';

export const CONTENT_TYPE = promClient.Registry.PROMETHEUS_CONTENT_TYPE;

export async function exposition(families: MetricFamily[]): Promise<string> {
  const reg = new promClient.Registry();
  for (const f of families) {
    const values = f.samples.map((s) => ({ value: s.value, sharedLabels: s.labels }));
    // A metric object whose get() returns the values read for this scrape (prom-client's collect hook).
    const metric = { name: f.name, help: f.help, type: f.type, aggregator: 'sum', get: async () => ({ name: f.name,
      help: f.help, type: f.type, aggregator: 'sum', values }) };
    reg.registerMetric(metric as unknown as promClient.Metric);
  }
  return reg.metrics();
}
