// Who a process is, in container terms: its cgroup, the container and pod
// that cgroup names, and its network namespace. The kernel has no per-cgroup
// or per-netns RDMA counter, so per-container figures are per-PID counters
// (auto pid mode) mapped through here. Shared by top, gid, doctor and the exporter.
//
// The cgroup path rules follow htop's (and the runtimes' own naming):
//   docker      docker-<id>.scope, /docker/<id>
//   podman      libpod-<id>.scope
//   containerd  cri-containerd-<id>.scope (Kubernetes, systemd driver)
//   cri-o       crio-<id>.scope
//   kubernetes  kubepods[...]-pod<uid>.slice or /kubepods/.../pod<uid>/, the container inside it
//   lxc         lxc.payload.<name>, /lxc/<name>
//   machined    machine-<name>.scope (systemd-nspawn, libvirt)
// Names come from the runtimes' state files when they exist on this host:
// containerd's and CRI-O's OCI config annotations (pod name and namespace,
// container name), docker's config.v2.json, containers/storage's containers.json.
import { Session } from '../transport/session.js';
import { comm as processComm } from './netns-scope.js';

export type Runtime = 'docker' | 'podman' | 'containerd' | 'cri-o' | 'lxc' | 'machine' | 'kubernetes';

export interface Container {
  runtime: Runtime;
  /** Full id (64 hex) or, for lxc and machines, the name. */
  id: string;
  name?: string;
}

export interface Pod {
  uid: string;
  namespace?: string;
  name?: string;
}

export interface Attribution {
  pid: number;
  comm?: string;
  /** The unified (v2) cgroup path, or the v1 path of the rdma (else first named) hierarchy. */
  cgroup?: string;
  container?: Container;
  pod?: Pod;
  /** Inode of /proc/PID/ns/net. */
  netnsInode?: number;
}

/** A container as one column shows it: its name, else a 12-character id. */
export function containerLabel(c: Container | undefined): string | undefined {
  if (!c) return undefined;
  return c.name ?? (/^[0-9a-f]{64}$/.test(c.id) ? c.id.slice(0, 12) : c.id);
}

/** Who a process is in one column: POD-NAMESPACE/POD-NAME/CONTAINER in a pod, else the container. */
export function ownerLabel(a: Pick<Attribution, 'container' | 'pod'> | undefined): string | undefined {
  if (!a) return undefined;
  const pod = podLabel(a.pod);
  const ctr = containerLabel(a.container);
  return pod && ctr ? `${pod}/${ctr}` : pod ?? ctr;
}

/** NAMESPACE/NAME when the runtime told us, else the pod UID. */
export function podLabel(p: Pod | undefined): string | undefined {
  if (!p) return undefined;
  return p.name ? `${p.namespace ?? '?'}/${p.name}` : p.uid;
}

/** The path of the hierarchy that names the container: the v2 line, else rdma, else the first v1 line. */
export function cgroupPath(procCgroup: string): string | undefined {
  const lines = procCgroup.split('\n').filter(Boolean).map((l) => {
    const [, , controllers, path] = /^(\d+):([^:]*):(.*)$/.exec(l) ?? [];
    return { controllers: controllers ?? '', path };
  }).filter((l) => l.path !== undefined);
  const pick = lines.find((l) => l.controllers === '') ?? lines.find((l) => l.controllers.split(',').includes('rdma')) ?? lines[0];
  return pick?.path;
}

const RUNTIME_PREFIX: Record<string, Runtime> = { docker: 'docker', 'cri-containerd': 'containerd', crio: 'cri-o', libpod: 'podman' };

/** systemd unit name escaping: \x2d is '-'. */
const unescape = (s: string) => s.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The container and pod a cgroup path names, by the runtimes' naming rules (no file access). */
export function parseCgroupPath(path: string): { container?: Container; pod?: Pod } {
  const segs = path.split('/').filter(Boolean);
  const out: { container?: Container; pod?: Pod } = {};
  const kube = segs.some((s) => s.startsWith('kubepods'));
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const pod = kube ? /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/.exec(s) : null;
    if (pod) {
      out.pod = { uid: pod[1].replace(/_/g, '-') };
      continue;
    }
    const ctr = /^(?:(docker|cri-containerd|crio|libpod)-)?([0-9a-f]{64})(?:\.scope)?$/.exec(s);
    if (ctr) {
      const runtime = ctr[1] ? RUNTIME_PREFIX[ctr[1]] : segs[i - 1] === 'docker' ? 'docker' : kube ? 'kubernetes' : undefined;
      if (runtime) out.container = { runtime, id: ctr[2] };
      continue;
    }
    const lxc = /^lxc\.payload\.(.+)$/.exec(s) ?? (segs[i - 1] === 'lxc' ? [s, s] : null);
    if (lxc) {
      out.container = { runtime: 'lxc', id: lxc[1], name: lxc[1] };
      continue;
    }
    const machine = /^machine-(.+)\.scope$/.exec(s);
    if (machine) out.container = { runtime: 'machine', id: unescape(machine[1]), name: unescape(machine[1]) };
  }
  return out;
}

interface RuntimeNames {
  container?: string;
  podName?: string;
  podNamespace?: string;
}

const json = (text: string | undefined): any => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Names from a runtime's state on this host, where it keeps them. */
function runtimeNames(session: Session, c: Container): RuntimeNames {
  const fromAnnotations = (a: Record<string, string> | undefined, pod: string, ns: string, ctr: string): RuntimeNames =>
    a ? { podName: a[pod], podNamespace: a[ns], container: a[ctr] } : {};
  switch (c.runtime) {
    case 'containerd':
    case 'kubernetes': {
      const spec = json(session.readHostFile(`/run/containerd/io.containerd.runtime.v2.task/k8s.io/${c.id}/config.json`));
      const a = spec?.annotations;
      if (a) return fromAnnotations(a, 'io.kubernetes.cri.sandbox-name', 'io.kubernetes.cri.sandbox-namespace',
        'io.kubernetes.cri.container-name');
      if (c.runtime === 'containerd') return {};
      // Kubernetes with the cgroupfs driver names no runtime: CRI-O keeps its state here.
      return criO(session, c.id);
    }
    case 'cri-o':
      return criO(session, c.id);
    case 'docker': {
      const cfg = json(session.readHostFile(`/var/lib/docker/containers/${c.id}/config.v2.json`));
      const labels = cfg?.Config?.Labels ?? {};
      return { container: typeof cfg?.Name === 'string' ? cfg.Name.replace(/^\//, '') : undefined,
        podName: labels['io.kubernetes.pod.name'], podNamespace: labels['io.kubernetes.pod.namespace'] };
    }
    case 'podman': {
      const list = json(session.readHostFile('/var/lib/containers/storage/overlay-containers/containers.json'));
      const hit = Array.isArray(list) ? list.find((x: { id?: string }) => x?.id === c.id) : undefined;
      return { container: hit?.names?.[0] };
    }
    default:
      return {};
  }

  function criO(s: Session, id: string): RuntimeNames {
    const spec = json(s.readHostFile(`/run/containers/storage/overlay-containers/${id}/userdata/config.json`));
    return fromAnnotations(spec?.annotations, 'io.kubernetes.pod.name', 'io.kubernetes.pod.namespace', 'io.kubernetes.container.name');
  }
}

/** Attributes PIDs; one instance per refresh caches what processes share (a container's names). */
export class Attributor {
  private byPid = new Map<number, Attribution>();
  private names = new Map<string, RuntimeNames>();

  constructor(private readonly session: Session) {}

  of(pid: number): Attribution {
    let a = this.byPid.get(pid);
    if (a) return a;
    const s = this.session;
    const comm = processComm(s, pid);
    const cgroupFile = s.readHostFile(`/proc/${pid}/cgroup`);
    const cgroup = cgroupFile === undefined ? undefined : cgroupPath(cgroupFile);
    const ns = /^net:\[(\d+)\]$/.exec(s.readHostLink(`/proc/${pid}/ns/net`) ?? '');
    a = { pid, comm, cgroup, netnsInode: ns ? Number(ns[1]) : undefined, ...(cgroup ? this.ofCgroup(cgroup) : {}) };
    this.byPid.set(pid, a);
    return a;
  }

  /** The container and pod a cgroup path belongs to, named from the runtime's state where it keeps them. */
  ofCgroup(cgroup: string): { container?: Container; pod?: Pod } {
    const { container, pod } = parseCgroupPath(cgroup);
    if (!container) return pod ? { pod } : {};
    let names = this.names.get(container.id);
    if (!names) this.names.set(container.id, (names = runtimeNames(this.session, container)));
    return {
      container: names.container ? { ...container, name: names.container } : container,
      ...(pod ? { pod: { ...pod, ...(names.podName ? { name: names.podName, namespace: names.podNamespace } : {}) } } : {}),
    };
  }
}
