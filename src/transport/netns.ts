// Entering a network namespace for the lifetime of socket creation.
// A netlink socket keeps the namespace it was created in, so we switch the
// calling thread with setns(), create the socket, and always switch back,
// on success and on error alike.
import { existsSync } from 'node:fs';
import { libc, O_RDONLY, O_CLOEXEC, CLONE_NEWNET, errnoName } from './libc.js';
import { NetnsError } from './errors.js';

export const NETNS_RUN_DIR = process.env.RDMA_TS_NETNS_DIR ?? '/var/run/netns';

/** Resolves NAME | PATH | PID the way `ip netns`/rdmatool do. */
export function resolveNetnsPath(spec: string): string {
  if (spec === '') throw new NetnsError('empty network namespace name', spec);
  if (spec.includes('/')) return spec;
  if (/^[0-9]+$/.test(spec) && !existsSync(`${NETNS_RUN_DIR}/${spec}`)) return `/proc/${spec}/ns/net`;
  return `${NETNS_RUN_DIR}/${spec}`;
}

function openNs(path: string): number {
  const c = libc();
  const fd = c.open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const e = c.errno();
    const why = e === 2 ? 'does not exist' : c.strerror(e);
    throw new NetnsError(`cannot open network namespace ${path}: ${why}`, path, e);
  }
  return fd;
}

/** Opens a namespace file and returns an fd (for NET_NS_FD / IFLA_NET_NS_FD). Caller closes. */
export function openNetnsFdAt(path: string): number {
  return openNs(path);
}

/**
 * A move target: NAME | PATH | PID like -n, plus `host` / `init` for PID 1's
 * namespace (a named namespace called host or init wins, as a name does over a PID).
 */
export function resolveTargetNetns(spec: string): string {
  if ((spec === 'host' || spec === 'init') && !existsSync(`${NETNS_RUN_DIR}/${spec}`)) return '/proc/1/ns/net';
  return resolveNetnsPath(spec);
}

/** Runs fn inside the namespace at PATH; restores the original namespace on every path. */
export function withNetns<T>(path: string | undefined, fn: () => T): T {
  if (path === undefined) return fn();
  const c = libc();
  const target = openNs(path);
  let self: number;
  try {
    self = openNs('/proc/thread-self/ns/net');
  } catch (e) {
    c.close(target);
    throw e;
  }
  try {
    if (c.setns(target, CLONE_NEWNET) < 0) {
      const e = c.errno();
      const hint = e === 1 ? ' (entering a network namespace needs CAP_SYS_ADMIN; run as root)' : '';
      const what = e === 22 ? 'not a network namespace' : c.strerror(e);
      throw new NetnsError(`cannot enter network namespace ${path}: ${what}${hint}`, path, e);
    }
    try {
      return fn();
    } finally {
      if (c.setns(self, CLONE_NEWNET) < 0) {
        // Staying in the wrong namespace would silently misdirect every later socket.
        process.stderr.write(`fatal: cannot return to the original network namespace: ${errnoName(c.errno())}\n`);
        process.exit(70);
      }
    }
  } finally {
    c.close(self);
    c.close(target);
  }
}
