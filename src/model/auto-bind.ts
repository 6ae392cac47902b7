// top --bind-auto: QP counter auto mode on every port for the length of a
// session, and each port's previous mode put back afterwards.
//
// Ports whose driver has no QP counters (EOPNOTSUPP, e.g. siw) are left alone.
// The kernel's rules (drivers/infiniband/core/counters.c): auto mode cannot
// be switched on or changed while counters are bound (EBUSY); switching it
// off always works, and leaves the port in manual mode while counters that
// auto mode bound stay with their QPs (they go when the QPs do).
import { Session } from '../transport/session.js';
import { RdmaClient } from './client.js';
import { dumpDevices } from './device.js';
import { getQpCounterMode, setQpAutoMode, QpCounterMode, STAT_MODE } from './stat.js';
import type { NetnsRef } from './netns-scope.js';
import { NetlinkError } from '../transport/errors.js';

const EOPNOTSUPP = 95;

export interface AutoBinding {
  session: Session;
  netns: string;
  devIndex: number;
  dev: string;
  port: number;
  before: QpCounterMode;
}

const label = (b: { dev: string; port: number; netns: string }) => `${b.dev}/${b.port}${b.netns === 'init' ? '' : ` (netns ${b.netns})`}`;
const maskOf = (m: QpCounterMode) => (m.mode === STAT_MODE.AUTO ? m.autoMask : 0);

/**
 * Turns auto mode with `mask` on for every port in `scopes` that does not
 * already have it. All or nothing: if one port refuses, those already
 * switched are put back and the error is thrown.
 */
export function bindAuto(session: Session, scopes: Array<Pick<NetnsRef, 'path' | 'label'>>, mask: number,
  say: (line: string) => void): AutoBinding[] {
  const done: AutoBinding[] = [];
  try {
    for (const scope of scopes) {
      const s = scope.path === session.netns ? session : session.inNetns(scope.path);
      const rd = new RdmaClient(s);
      for (const dev of dumpDevices(rd)) {
        for (let port = 1; port <= dev.portCount; port++) {
          const before = getQpCounterMode(rd, dev.index, port);
          if (maskOf(before) === mask) continue;
          try {
            setQpAutoMode(rd, { devIndex: dev.index, port }, mask);
          } catch (e) {
            // A driver without QP counters (siw) refuses auto mode: nothing to bind there.
            if (!(e instanceof NetlinkError) || e.errno !== EOPNOTSUPP) throw e;
            say(`${label({ dev: dev.name, port, netns: scope.label })}: no QP counters in this driver (auto mode: EOPNOTSUPP); ` +
              `left as it is`);
            continue;
          }
          const b = { session: s, netns: scope.label, devIndex: dev.index, dev: dev.name, port, before };
          done.push(b);
          say(`${label(b)}: QP counter auto mode ${maskText(mask)} on for this session (was ${modeWords(before)})`);
        }
      }
    }
  } catch (e) {
    restoreAuto(done, say);
    throw e;
  }
  return done;
}

export function maskText(mask: number): string {
  return [mask & 1 ? 'type' : '', mask & 2 ? 'pid' : ''].filter(Boolean).join(',');
}

function modeWords(m: QpCounterMode): string {
  return m.mode === STAT_MODE.AUTO ? `auto ${maskText(m.autoMask)}` : m.mode === STAT_MODE.MANUAL ? 'manual' : 'off';
}

/** Puts each port's previous mode back (best effort: every port is tried, each outcome said). */
export function restoreAuto(bindings: AutoBinding[], say: (line: string) => void): void {
  for (const b of bindings.splice(0).reverse()) {
    const rd = new RdmaClient(b.session);
    try {
      setQpAutoMode(rd, { devIndex: b.devIndex, port: b.port }, maskOf(b.before));
      const now = getQpCounterMode(rd, b.devIndex, b.port);
      const kept = now.mode === STAT_MODE.MANUAL && b.before.mode !== STAT_MODE.MANUAL
        ? ' (the counters auto mode bound stay with their QPs until those end, so the kernel shows manual mode)' : '';
      say(`${label(b)}: QP counter mode put back to ${modeWords(b.before)}${kept}`);
    } catch (e) {
      say(`${label(b)}: could not put QP counter mode back to ${modeWords(b.before)}: ${(e as Error).message}` +
        ` (counters are still bound; run \`rdma-ts statistic qp set link ${b.dev}/${b.port} auto ` +
        `${b.before.mode === STAT_MODE.AUTO ? `${maskText(b.before.autoMask)} on` : 'off'}\` when their QPs are gone)`);
    }
  }
}
