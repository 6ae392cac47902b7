// Counter deltas to rates. A rate is the delta divided by the measured time
// between the two readings, never negative and never huge:
//   - a PMA counter at all ones has saturated: no rate, marked;
//   - a value lower than before is a wrap when the counter wraps at its width
//     and the wrapped delta is under half its range, else a reset (perfquery -r,
//     a QP counter unbound and re-created): rate 0, marked;
//   - no previous value or no elapsed time: no rate yet.
import type { CounterSpec } from './counter-spec.js';

export type RateMark = 'saturated' | 'reset' | 'wrap';

export interface Rate {
  /** Per second, in the counter's own unit; null when there is no rate (first sample, saturated). */
  rate: number | null;
  mark?: RateMark;
}

export function rateOf(prev: bigint | undefined, cur: bigint, elapsedS: number | undefined, spec: CounterSpec): Rate {
  const max = spec.max;
  if (spec.saturates && cur >= max) return { rate: null, mark: 'saturated' };
  if (prev === undefined || elapsedS === undefined || !(elapsedS > 0)) return { rate: null };
  if (cur >= prev) return { rate: Number(cur - prev) / elapsedS };
  if (!spec.saturates && spec.width < 64) {
    const wrapped = (cur - prev) & max; // modulo 2^width
    if (wrapped <= max >> 1n) return { rate: Number(wrapped) / elapsedS, mark: 'wrap' };
  }
  return { rate: 0, mark: 'reset' };
}

/** Seconds between two monotonic readings in ns. */
export const secondsBetween = (earlier: bigint, later: bigint): number => Number(later - earlier) / 1e9;
