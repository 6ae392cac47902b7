// The RDMA cgroup controller (kernel/cgroup/rdma.c), as files:
//   rdma.max      rw, not on the root: one line per registered RDMA device,
//                 `DEV hca_handle=N|max hca_object=N|max` (a device without a
//                 pool in this cgroup prints max)
//   rdma.current  ro, same form with counts (0 without a pool)
//   rdma.peak, rdma.events   newer kernels only: read when present
// Every cgroup lists every registered device, in any network namespace: the
// controller is not namespace-aware. A charge (ib_uverbs context: hca_handle;
// each verbs object: hca_object) fails with EAGAIN when the cgroup or any
// ancestor is at its limit. cgroup v2 first, else the v1 `rdma` hierarchy.
import { Session } from '../transport/session.js';

export const RDMA_RESOURCES = ['hca_handle', 'hca_object'] as const;
export type RdmaResource = (typeof RDMA_RESOURCES)[number];
export type Limit = number | 'max';

/** One device's line of an rdma.* file: its key=value pairs, values as written. */
export type DeviceValues = Map<string, Record<string, string>>;

/** `DEV k=v k=v` lines into a map by device (a line without a device name is kept under ''). */
export function parseRdmaFile(text: string): DeviceValues {
  const out: DeviceValues = new Map();
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    const dev = words[0].includes('=') ? '' : words.shift()!;
    const kv: Record<string, string> = {};
    for (const w of words) {
      const at = w.indexOf('=');
      if (at > 0) kv[w.slice(0, at)] = w.slice(at + 1);
    }
    out.set(dev, { ...out.get(dev), ...kv });
  }
  return out;
}

export const limitOf = (v: string | undefined): Limit | undefined => (v === undefined ? undefined : v === 'max' ? 'max' : Number(v));

export interface RdmaHierarchy {
  version: 1 | 2;
  /** Where it is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/rdma for v1). */
  mount: string;
}

/**
 * The hierarchy the rdma controller is on: the cgroup2 mount when its root
 * lists `rdma` in cgroup.controllers, else a v1 mount with the rdma option.
 */
export function findRdmaHierarchy(session: Session): RdmaHierarchy | { missing: string } {
  const mounts = (session.readHostFile('/proc/self/mountinfo') ?? '').split('\n').map((l) => {
    const [pre, post] = l.split(' - ');
    const f = pre?.split(' ') ?? [];
    const [fstype, , superOpts] = post?.split(' ') ?? [];
    return { mount: f[4]?.replace(/\\040/g, ' '), fstype, superOpts: superOpts ?? '' };
  }).filter((m) => m.mount);
  const v2 = mounts.filter((x) => x.fstype === 'cgroup2');
  for (const m of v2) {
    if ((session.readHostFile(`${m.mount}/cgroup.controllers`) ?? '').split(/\s+/).includes('rdma')) return { version: 2, mount: m.mount };
  }
  const v1 = mounts.find((x) => x.fstype === 'cgroup' && x.superOpts.split(',').includes('rdma'));
  if (v1) return { version: 1, mount: v1.mount };
  if (v2.length) return { missing: `the cgroup v2 hierarchy at ${v2[0].mount} has no rdma controller in cgroup.controllers (a ` +
    `kernel without CONFIG_CGROUP_RDMA, or rdma bound to a v1 hierarchy that is not mounted)` };
  return { missing: 'no cgroup v2 hierarchy and no v1 rdma hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup)' };
}

export interface RdmaCgroup {
  /** The cgroup path as /proc/PID/cgroup writes it ("/" for the root). */
  path: string;
  dir: string;
  /** Undefined on the root (no rdma.max there) or where the controller is not enabled. */
  max?: DeviceValues;
  current?: DeviceValues;
  peak?: DeviceValues;
  events?: DeviceValues;
}

const joinPath = (mount: string, path: string) => (path === '/' ? mount : `${mount}${path}`);

export function readRdmaCgroup(session: Session, h: RdmaHierarchy, path: string): RdmaCgroup {
  const dir = joinPath(h.mount, path);
  const file = (name: string) => {
    const t = session.readHostFile(`${dir}/${name}`);
    return t === undefined ? undefined : parseRdmaFile(t);
  };
  return { path, dir, max: file('rdma.max'), current: file('rdma.current'), peak: file('rdma.peak'), events: file('rdma.events') };
}

/** Every cgroup of the hierarchy, depth first, parents before children. */
export function walkCgroups(session: Session, h: RdmaHierarchy): string[] {
  const out: string[] = [];
  const visit = (path: string) => {
    out.push(path);
    for (const child of session.readHostSubdirs(joinPath(h.mount, path)) ?? []) visit(`${path === '/' ? '' : path}/${child}`);
  };
  visit('/');
  return out;
}

/** True when a cgroup limits or uses RDMA: a limit other than max, or a count other than 0. */
export function hasRdma(c: RdmaCgroup): boolean {
  const some = (vals: DeviceValues | undefined,
    idle: string) => [...(vals?.values() ?? [])].some((kv) => RDMA_RESOURCES.some((r) => kv[r] !== undefined && kv[r] !== idle));
  return some(c.max, 'max') || some(c.current, '0');
}

/** The cgroup path of a process in the rdma hierarchy (the v2 line, or the v1 line naming rdma). */
export function cgroupOfPid(session: Session, h: RdmaHierarchy, pid: number): string | undefined {
  const text = session.readHostFile(`/proc/${pid}/cgroup`);
  if (text === undefined) return undefined;
  for (const l of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(l);
    if (!m) continue;
    if (h.version === 2 ? m[2] === '' : m[2].split(',').includes('rdma')) return m[3];
  }
  return undefined;
}

/** The ancestors of a cgroup path, nearest first, the root last ("/a/b" → ["/a", "/"]). */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let p = path; p !== '/'; ) {
    p = p.slice(0, p.lastIndexOf('/')) || '/';
    out.push(p);
  }
  return out;
}

/** The file a path names in this hierarchy. */
export const cgroupDir = joinPath;
