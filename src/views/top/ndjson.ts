// top --json: NDJSON, one object per row per sample (schema in docs/top.md).
// Built as text directly: a sample of 1,000 bound counters is ~25,000
// counters, and u64 values must be written exactly (never through a double).
// The constant parts of each counter (its key, source, unit and width) are
// made once per counter kind, not once per sample.
import type { RatedReading } from '../../model/observation.js';
import type { Observation } from '../../model/observation.js';
import type { CounterSpec } from '../../model/counter-spec.js';
import { ViewName, ViewOptions, round } from './rows.js';
import { buildView } from './tables.js';

/** `,"source":..,"unit":..,"width":..` by spec (specs are shared per source, driver and name). */
const tails = new WeakMap<CounterSpec, Map<string, string>>();
function tail(r: RatedReading): string {
  let bySource = tails.get(r.spec);
  if (!bySource) tails.set(r.spec, (bySource = new Map()));
  let t = bySource.get(r.source);
  if (t === undefined) bySource.set(r.source, (t = `,"source":"${r.source}","unit":"${r.spec.unit}","width":${r.spec.width}`));
  return t;
}

const keys = new Map<string, string>();
const keyText = (k: string) => {
  let t = keys.get(k);
  if (t === undefined) keys.set(k, (t = `${JSON.stringify(k)}:{"raw":`));
  return t;
};

/** `counters`: by the kernel's own name (`name:source` if two sources share a name). */
export function countersText(readings: RatedReading[]): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const r of readings) {
    const key = seen.has(r.name) ? `${r.name}:${r.source}` : r.name;
    seen.add(r.name);
    const rate = r.rate === null ? 'null' : round(r.rate);
    parts.push(`${keyText(key)}${r.raw},"rate":${rate}${tail(r)}${r.mark ? `,"mark":"${r.mark}"` : ''}}`);
  }
  return `{${parts.join(',')}}`;
}

export function ndjsonLines(o: Observation, views: ViewName[], opts: ViewOptions): string {
  const elapsed = o.elapsed === undefined ? null : Math.round(o.elapsed * 1e6) / 1e6;
  const head = `"sample":${o.sample.seq},"time":"${new Date(o.sample.wall).toISOString()}","elapsed":${elapsed}`;
  const lines: string[] = [];
  for (const view of views) {
    for (const row of buildView(view, o, opts).rows) {
      const rowKeys = JSON.stringify(row.json).slice(1, -1);
      lines.push(`{"view":"${view}",${head}${rowKeys ? `,${rowKeys}` : ''},"counters":${countersText(row.readings)}}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
