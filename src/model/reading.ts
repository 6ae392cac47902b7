// One counter value as read, with the facts needed to turn two reads into a rate.
import type { CounterSource, CounterSpec } from './counter-spec.js';
import type { RateMark } from './rates.js';

export interface Reading {
  name: string;
  source: CounterSource;
  /** As the kernel reports it. */
  raw: bigint;
  spec: CounterSpec;
  /** Monotonic ns of the sample that read it (a slow counter is carried between its reads). */
  at: bigint;
  /** Per second since the previous read of it, filled in by observe(); null until then or without one. */
  rate: number | null;
  mark?: RateMark;
}

/** A reading as the kernel gave it, before rates. */
export const reading = (name: string, source: CounterSource, raw: bigint, spec: CounterSpec, at: bigint): Reading => ({ name,
  source, raw, spec, at, rate: null, mark: undefined });
