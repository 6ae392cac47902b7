// A TopFeed for UI tests: the observations of a recorded top session
// (fixtures/lab/KERNEL/counters/top-json.json), replayed through the real
// transport, sampler and rate math, with the actions the UI asked for noted.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Session } from '../../src/transport/session.js';
import { Sampler } from '../../src/model/sampler.js';
import { Observation, observe } from '../../src/model/observation.js';
import type { TopFeed } from '../../src/views/top/tui/app.js';
import { ROOT } from './cli.js';

/** The recorded live top sessions of the counters scenario, one per lab kernel. */
export function topRecordings(name = 'top-json'): string[] {
  const lab = resolve(ROOT, 'fixtures/lab');
  if (!existsSync(lab)) return [];
  return readdirSync(lab).map((k) => join(lab, k, 'counters', `${name}.json`)).filter(existsSync);
}

/** Every observation of a recorded session, in order. */
export function replayObservations(file: string, opts: { allNetns?: boolean } = {}): Observation[] {
  const session = new Session({ replay: file });
  const sampler = new Sampler(session, { allNetns: !!opts.allNetns });
  const out: Observation[] = [];
  let prev;
  for (let s = sampler.sample(); s; s = sampler.sample()) {
    out.push(observe(prev, s));
    prev = s;
  }
  session.close();
  return out;
}

export interface TestFeed extends TopFeed {
  actions: string[];
  /** Shows the next observation (as a sample would). */
  show(o: Observation): void;
}

export function testFeed(first: Observation): TestFeed {
  const listeners = new Set<() => void>();
  const feed: TestFeed = {
    latest: first, paused: false, interval: 1, actions: [],
    want() {},
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    act(a) {
      feed.actions.push(a);
      if (a === 'pause') feed.paused = !feed.paused;
      listeners.forEach((fn) => fn());
    },
    show(o) {
      feed.latest = o;
      listeners.forEach((fn) => fn());
    },
  };
  return feed;
}
