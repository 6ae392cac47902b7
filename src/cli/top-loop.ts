// top's sampling loop: a reading every interval on a drift-free schedule,
// paired with the one before into an Observation, handed to whoever renders
// it (plain frames, NDJSON, the ink UI). Pause and interval changes come from
// the UI; the loop ends after --count samples, at the end of a replayed
// session, on an error, or when stopped.
import { Sampler, Sample, SampleWants, WANT_ALL } from '../model/sampler.js';
import { Observation, observe } from '../model/observation.js';
import { nextInterval } from '../views/top/tui/keys.js';
import type { TopFeed } from '../views/top/tui/app.js';

export interface LoopOptions {
  interval: number;
  count?: number;
}

export class TopLoop implements TopFeed {
  latest?: Observation;
  paused = false;
  interval: number;
  status?: string;
  /** Set when the loop ended with an error. */
  failure?: unknown;
  /** What each reading must hold (what the shown views need). */
  wants: SampleWants = WANT_ALL;
  /** Called with every observation as it is made (plain and JSON output print here). */
  onObservation?: (o: Observation) => void;
  /** Why the loop ended: --count reached, a replay's end, an error, or stop(). */
  reason?: 'count' | 'end' | 'error' | 'stopped';
  private prev?: Sample;
  /** Samples taken so far. */
  taken = 0;
  private timer?: NodeJS.Timeout;
  private due = 0;
  private stopped = false;
  private listeners = new Set<() => void>();
  private finish!: () => void;
  /** Resolves when the loop has ended, whatever the reason. */
  readonly done = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(private readonly sampler: Sampler, private readonly opts: LoopOptions) {
    this.interval = opts.interval;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  start(): void {
    this.due = performance.now();
    this.tick();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped) return;
    let s: Sample | undefined;
    try {
      s = this.sampler.sample(this.wants);
    } catch (e) {
      this.failure = e;
      this.end('error', `stopped: ${(e as Error).message}`);
      return;
    }
    if (!s) {
      this.end('end', 'end of recording');
      return;
    }
    this.latest = observe(this.prev, s);
    this.prev = s;
    this.taken++;
    this.onObservation?.(this.latest);
    if (this.stopped) return; // the renderer stopped us (a closed pipe)
    if (this.opts.count !== undefined && this.taken >= this.opts.count) {
      this.end('count', `${this.taken} sample${this.taken > 1 ? 's' : ''} taken`);
      return;
    }
    this.notify();
    this.schedule();
  }

  /** The next tick on the grid start + k * interval, skipping slots a slow sample overran. */
  private schedule(): void {
    if (this.paused || this.stopped) return;
    const now = performance.now();
    const step = this.interval * 1000;
    this.due += step;
    if (this.due < now) this.due = now + step - ((now - this.due) % step);
    this.timer = setTimeout(() => this.tick(), this.due - now);
  }

  /** A view that needs more than the last reading held gets a reading now (then the grid resumes from now). */
  want(wants: SampleWants): void {
    const more = (wants.counters && !this.wants.counters) || (wants.owners && !this.wants.owners);
    this.wants = wants;
    if (!more || this.stopped || this.paused || !this.taken) return;
    clearTimeout(this.timer);
    this.due = performance.now();
    this.tick();
  }

  act(action: 'pause' | 'slower' | 'faster'): void {
    if (this.stopped) return;
    if (action === 'pause') {
      this.paused = !this.paused;
      if (this.paused) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    } else {
      this.interval = nextInterval(this.interval, action === 'slower');
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.paused && !this.timer) {
      this.due = performance.now();
      this.schedule();
    }
    this.notify();
  }

  /** Ends the loop (idempotent); `why` is shown as the status. */
  end(reason: NonNullable<TopLoop['reason']> = 'stopped', why?: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.reason = reason;
    clearTimeout(this.timer);
    if (why) this.status = why;
    this.notify();
    this.finish();
  }
}
