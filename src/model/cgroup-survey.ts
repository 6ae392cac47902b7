// `cgroup show`'s reading: the cgroups asked for (all that limit or use
// RDMA, one path, a process's, a container's), each device's counts and
// limits, the tightest limit its ancestors set, and the container or pod the
// cgroup belongs to (attribution.ts, as top and gid show name them).
import { Session } from '../transport/session.js';
import { Attributor, Container, Pod, parseCgroupPath } from './attribution.js';
import { RdmaCgroup, RdmaHierarchy, RdmaResource, RDMA_RESOURCES, Limit, ancestorsOf, cgroupOfPid, hasRdma, limitOf,
  readRdmaCgroup, walkCgroups } from './rdma-cgroup.js';

export interface ResourceUse {
  current?: number;
  max?: Limit;
  peak?: number;
  /** The tightest limit among the ancestors, when tighter than this cgroup's own, and where it is set. */
  inherited?: { max: number; cgroup: string };
}

export interface DeviceUse {
  dev: string;
  resources: Record<RdmaResource, ResourceUse>;
  /** rdma.events for the device (newer kernels), as the kernel names them. */
  events?: Record<string, number>;
}

export interface CgroupUse {
  path: string;
  container?: Container;
  pod?: Pod;
  devices: DeviceUse[];
}

export type CgroupTarget = { all: true } | { path: string } | { paths: string[] } | { pid: number } | { container: string };

/** The limit that applies: the cgroup's own, or a tighter one an ancestor sets. */
export const effectiveLimit = (u: ResourceUse): Limit => u.inherited?.max ?? u.max ?? 'max';

export class CgroupTargetError extends Error {}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function deviceUse(c: RdmaCgroup, ancestors: RdmaCgroup[], dev: string): DeviceUse {
  const resources = Object.fromEntries(RDMA_RESOURCES.map((r) => {
    const use: ResourceUse = { current: num(c.current?.get(dev)?.[r]), max: limitOf(c.max?.get(dev)?.[r]),
      peak: num(c.peak?.get(dev)?.[r]) };
    for (const a of ancestors) {
      const m = limitOf(a.max?.get(dev)?.[r]);
      if (typeof m !== 'number') continue;
      const tightest = use.inherited?.max ?? (typeof use.max === 'number' ? use.max : Infinity);
      if (m < tightest) use.inherited = { max: m, cgroup: a.path };
    }
    return [r, use];
  })) as Record<RdmaResource, ResourceUse>;
  const ev = c.events?.get(dev);
  return { dev, resources, events: ev ? Object.fromEntries(Object.entries(ev).map(([k, v]) => [k, Number(v)])) : undefined };
}

/** The devices worth a row: those with a limit or a count, or every device for a cgroup asked for by name. */
function devicesOf(c: RdmaCgroup, all: boolean): string[] {
  const devs = [...new Set([...(c.max?.keys() ?? []), ...(c.current?.keys() ?? [])])].filter(Boolean);
  if (all) return devs;
  return devs.filter((d) => RDMA_RESOURCES.some((r) => (c.max?.get(d)?.[r] ?? 'max') !== 'max' || (c.current?.get(d)?.[r] ?? '0') !== '0'));
}

/** A path as the user gave it: a cgroup path, or a file system path under the hierarchy's mount. */
export function normalizeCgroupPath(h: RdmaHierarchy, given: string): string {
  let p = given.startsWith(`${h.mount}/`) || given === h.mount ? given.slice(h.mount.length) : given;
  if (!p.startsWith('/')) p = `/${p}`;
  p = p.replace(/\/+$/, '');
  return p || '/';
}

/** The cgroups of the containers whose id starts with `id` or whose name is `id` (each container's own, not its children). */
export function containerCgroups(session: Session, h: RdmaHierarchy, id: string, who: Attributor): string[] {
  const paths = walkCgroups(session, h).filter((p) => {
    const c = parseCgroupPath(p).container;
    if (!c || !(c.id.startsWith(id) || who.ofCgroup(p).container?.name === id)) return false;
    const parent = p.slice(0, p.lastIndexOf('/'));
    return parseCgroupPath(parent).container?.id !== c.id;
  });
  if (!paths.length) throw new CgroupTargetError(`no container ${id}: no cgroup names a container whose id starts with or whose ` +
    `name is ${id}`);
  return paths;
}

export function surveyCgroups(session: Session, h: RdmaHierarchy, target: CgroupTarget): CgroupUse[] {
  const who = new Attributor(session);
  let paths: string[];
  let named = true;
  if ('all' in target) {
    paths = walkCgroups(session, h);
    named = false;
  } else if ('path' in target) {
    const p = normalizeCgroupPath(h, target.path);
    if (session.readHostDir(`${h.mount}${p === '/' ? '' : p}`) === undefined) throw new CgroupTargetError(`no cgroup ${p} under ` +
      `${h.mount}`);
    paths = [p];
  } else if ('paths' in target) {
    paths = target.paths;
  } else if ('pid' in target) {
    const p = cgroupOfPid(session, h, target.pid);
    if (p === undefined) throw new CgroupTargetError(`no process ${target.pid} (or it is in no ` +
      `${h.version === 2 ? 'cgroup v2' : 'rdma cgroup'})`);
    paths = [p];
  } else {
    paths = containerCgroups(session, h, target.container, who);
  }
  const cache = new Map<string, RdmaCgroup>();
  const read = (p: string) => cache.get(p) ?? (cache.set(p, readRdmaCgroup(session, h, p)), cache.get(p)!);
  const out: CgroupUse[] = [];
  for (const path of paths) {
    const c = read(path);
    if (!named && !hasRdma(c)) continue;
    const ancestors = ancestorsOf(path).map(read);
    out.push({ path, ...who.ofCgroup(path), devices: devicesOf(c, named).map((d) => deviceUse(c, ancestors, d)) });
  }
  return out;
}
