// A sample with the rates since the previous one filled in: every reading of
// a port or of a bound QP counter paired with the same reading before it
// (same port or counter key, same source, same name), over the measured time
// between the two reads (a slow counter, read every few samples, spans them).
// The rates are written into the sample's own readings (a sample at scale
// holds ~25,000; copying them every second would be most of the cost).
import { Sample, Reading, PortReading, BoundCounter } from './sampler.js';
import { rateOf, secondsBetween } from './rates.js';

/** A reading with its rate (after observe()). */
export type RatedReading = Reading;
export type RatedPort = PortReading;
export type RatedCounter = BoundCounter;

export interface Observation {
  sample: Sample;
  /** Seconds since the previous sample (monotonic); undefined for the first. */
  elapsed?: number;
  ports: RatedPort[];
  counters: RatedCounter[];
}

/**
 * The previous reading of reading `i` of an owner: at the same position when
 * the kernel lists the counters in the same order (it does, sample after
 * sample), else looked up by source and name.
 */
function previous(before: Reading[] | undefined, r: Reading, i: number): Reading | undefined {
  if (!before) return undefined;
  const same = before[i];
  if (same && same.name === r.name && same.source === r.source) return same;
  return before.find((b) => b.name === r.name && b.source === r.source);
}

export function observe(prev: Sample | undefined, cur: Sample): Observation {
  const elapsed = prev ? secondsBetween(prev.mono, cur.mono) : undefined;
  const before = new Map<string, Reading[]>();
  if (prev) for (const o of [...prev.ports, ...prev.counters]) before.set(o.key, o.counters);
  for (const o of [...cur.ports, ...cur.counters]) {
    const was = before.get(o.key);
    o.counters.forEach((r, i) => {
      const b = previous(was, r, i);
      if (b === r) return; // carried since its last read (a slow counter): it keeps the rate it got then
      // Over the time between the two reads of this counter (a slow one's span covers several samples).
      const { rate, mark } = rateOf(b?.raw, r.raw, b ? secondsBetween(b.at, r.at) : undefined, r.spec);
      r.rate = rate;
      r.mark = mark;
    });
  }
  return { sample: cur, elapsed, ports: cur.ports, counters: cur.counters };
}
