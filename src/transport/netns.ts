// Entering a network namespace for the lifetime of socket creation.
// A netlink socket keeps the namespace it was created in, so we switch the
// calling thread with setns(), create the socket, and always switch back,
// on success and on error alike.
import { existsSync } from 'node:fs';
import { libc, O_RDONLY, O_CLOEXEC, O_DIRECTORY, CLONE_NEWNET, CLONE_NEWNS, MS_REC, MS_SLAVE, errnoName } from './libc.js';
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

/**
 * Runs fn with this thread seeing the sysfs of the network namespace at PATH
 * at /sys, as `ip netns exec` does. sysfs shows the network-namespaced
 * classes (net, and infiniband in exclusive mode) of the namespace it was
 * mounted in, so a device that lives in another namespace is invisible in
 * our own /sys. The thread gets a private mount namespace (unshare affects
 * this thread only: Node's other threads keep theirs), made a slave so the
 * mount propagates nowhere, mounts sysfs from inside PATH, and afterwards
 * returns to its own mount namespace (which resets the working directory,
 * so it is restored too). The private namespace is freed with its last user.
 */
export function withSysfsOf<T>(path: string, fn: () => T): T {
  const c = libc();
  const fail = (what: string): never => {
    const e = c.errno();
    const hint = e === 1 ? ' (needs CAP_SYS_ADMIN; run as root)' : '';
    throw new NetnsError(`cannot read the sysfs of network namespace ${path}: ${what}: ${c.strerror(e)}${hint}`, path, e);
  };
  const cwd = c.open('.', O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const ownMnt = openNs('/proc/thread-self/ns/mnt');
  try {
    if (c.unshare(CLONE_NEWNS) < 0) fail('unshare(CLONE_NEWNS)');
    try {
      if (c.mount(null, '/', null, MS_REC | MS_SLAVE, null) < 0) fail('making / a slave mount');
      withNetns(path, () => {
        if (c.mount('sysfs', '/sys', 'sysfs', 0, null) < 0) fail('mount -t sysfs');
      });
      return fn();
    } finally {
      if (c.setns(ownMnt, CLONE_NEWNS) < 0) {
        process.stderr.write(`fatal: cannot return to the original mount namespace: ${errnoName(c.errno())}\n`);
        process.exit(70);
      }
      if (cwd >= 0) c.fchdir(cwd);
    }
  } finally {
    c.close(ownMnt);
    if (cwd >= 0) c.close(cwd);
  }
}
