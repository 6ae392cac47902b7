// Metric families in the Prometheus text exposition format, written by
// prom-client (its escaping and value formatting), one registry per scrape
// so that a port or a process that went away leaves no series behind.
import promClient from 'prom-client';
import type { MetricFamily } from '../model/metrics.js';

export const CONTENT_TYPE = promClient.Registry.PROMETHEUS_CONTENT_TYPE;

export async function exposition(families: MetricFamily[]): Promise<string> {
  const reg = new promClient.Registry();
  for (const f of families) {
    // A metric object whose get() returns the values read for this scrape (prom-client's collect hook).
    const metric = { name: f.name, help: f.help, type: f.type, aggregator: 'sum', get: async () => ({ name: f.name, help: f.help, type: f.type, aggregator: 'sum', values: f.samples }) };
    reg.registerMetric(metric as unknown as promClient.Metric);
  }
  return reg.metrics();
}
