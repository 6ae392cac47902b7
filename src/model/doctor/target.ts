// Who the doctor examines: a network namespace (the caller's, or -n NS), a
// process, or a container (its cgroup's processes). Checks need the
// namespace, a session inside it, and the processes whose limits,
// /dev and cgroup matter.
import { Session } from '../../transport/session.js';
import { NetnsRef, ownScope, comm } from '../netns-scope.js';
import { Attributor, ownerLabel } from '../attribution.js';
import { findRdmaHierarchy, cgroupDir } from '../rdma-cgroup.js';
import { containerCgroups, CgroupTargetError } from '../cgroup-survey.js';

export interface DoctorTarget {
  /** What the report names: `netns ctr8`, `pid 4242 (rping)`, `container 0123456789ab (team-a/pod/ctr)`. */
  label: string;
  scope: NetnsRef;
  /** A session whose sockets are in the target's namespace. */
  here: Session;
  /** The processes that count: the one asked for, the container's, or those in the namespace (not for the host's own). */
  pids: number[];
  /** Where the processes' /dev is seen from: /proc/PID/root, or '' for the namespace's (the host's) own. */
  root: string;
  /** The namespace whose sysfs to read (withSysfsOf), undefined when it is our own (sysfs cannot be mounted over itself). */
  sysfsView?: string;
}

export type TargetSpec = { netns?: string } | { pid: number } | { container: string };

/** The processes whose network namespace has inode `ino` (user processes: kernel threads have no cmdline). */
function processesIn(session: Session, ino: number | undefined): number[] {
  const out: number[] = [];
  for (const d of session.readHostDir('/proc') ?? []) {
    if (!/^\d+$/.test(d)) continue;
    const m = /^net:\[(\d+)\]$/.exec(session.readHostLink(`/proc/${d}/ns/net`) ?? '');
    if (m && Number(m[1]) === ino && session.readHostFile(`/proc/${d}/cmdline`)) out.push(Number(d));
  }
  return out.sort((a, b) => a - b);
}

export function resolveTarget(session: Session, spec: TargetSpec): DoctorTarget {
  const t = resolve(session, spec);
  return { ...t, sysfsView: t.scope.inode === session.readHostInode('/proc/self/ns/net') ? undefined : t.scope.path };
}

function resolve(session: Session, spec: TargetSpec): DoctorTarget {
  if ('pid' in spec) {
    if (session.readHostLink(`/proc/${spec.pid}/ns/net`) === undefined) throw new CgroupTargetError(`no process ${spec.pid}`);
    const scope = ownScope(session, String(spec.pid));
    return { label: `pid ${spec.pid}${comm(session, spec.pid) ? ` (${comm(session, spec.pid)})` : ''}`, scope,
      here: session.inNetns(scope.path), pids: [spec.pid], root: `/proc/${spec.pid}/root` };
  }
  if ('container' in spec) {
    const h = findRdmaHierarchy(session);
    if ('missing' in h) throw new CgroupTargetError(`cannot find containers: ${h.missing}`);
    const who = new Attributor(session);
    const cg = containerCgroups(session, h, spec.container, who)[0];
    const pids = (session.readHostFile(`${cgroupDir(h.mount, cg)}/cgroup.procs`) ?? '').split('\n').filter(Boolean).map(Number);
    if (!pids.length) throw new CgroupTargetError(`container ${spec.container} (${cg}) has no process`);
    const owned = who.ofCgroup(cg);
    const name = ownerLabel(owned);
    const scope = ownScope(session, String(pids[0]));
    return { label: `container ${owned.container?.id.slice(0, 12) ?? spec.container}${name ? ` (${name})` : ''}`, scope,
      here: session.inNetns(scope.path), pids, root: `/proc/${pids[0]}/root` };
  }
  const scope = ownScope(session, spec.netns);
  const pids = scope.kind === 'init' ? [] : processesIn(session, scope.inode);
  return { label: `netns ${scope.label}`, scope, here: spec.netns === undefined ? session : session.inNetns(scope.path), pids, root: '' };
}
