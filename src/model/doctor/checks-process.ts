// Doctor checks about the target's processes: their locked-memory limit
// (verbs pins every registered buffer) and their RDMA cgroup limits.
import { Session } from '../../transport/session.js';
import { findRdmaHierarchy, cgroupOfPid } from '../rdma-cgroup.js';
import { surveyCgroups, effectiveLimit } from '../cgroup-survey.js';
import { DoctorTarget } from './target.js';
import { Finding, finding } from './finding.js';

const CAP_IPC_LOCK = 14n;
/** At or below this a verbs program cannot register a useful buffer (the classic 64 KiB default). */
export const MEMLOCK_FAIL = 64 * 1024;
/** Below this, warn: large registrations (GPU, storage) fail. */
export const MEMLOCK_WARN = 64 * 1024 * 1024;

const human = (n: number) => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} B`);

/** The soft RLIMIT_MEMLOCK from /proc/PID/limits (undefined: unlimited), and whether CAP_IPC_LOCK exempts the process. */
export function memlockOf(session: Session, pid: number): { soft?: number; exempt: boolean } | undefined {
  const limits = session.readHostFile(`/proc/${pid}/limits`);
  if (limits === undefined) return undefined;
  const m = /^Max locked memory\s+(\S+)/m.exec(limits);
  const capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(session.readHostFile(`/proc/${pid}/status`) ?? '');
  return { soft: !m || m[1] === 'unlimited' ? undefined : Number(m[1]),
    exempt: !!capEff && ((BigInt(`0x${capEff[1]}`) >> CAP_IPC_LOCK) & 1n) === 1n };
}

export function checkMemlock(session: Session, t: DoctorTarget): Finding {
  if (!t.pids.length) return finding('memlock', 'skip',
    t.scope.kind === 'init' ? 'the host namespace: name a process (pid PID) or a container to check its limit' : `no process in ` +
      `${t.label}`);
  let worst: 'ok' | 'warn' | 'fail' = 'ok';
  const evidence: string[] = [];
  for (const pid of t.pids) {
    const m = memlockOf(session, pid);
    if (!m) continue;
    const comm = session.readHostFile(`/proc/${pid}/comm`)?.trim() ?? '?';
    const v = m.soft === undefined ? 'unlimited' : human(m.soft);
    if (m.exempt) {
      evidence.push(`pid ${pid} (${comm}): RLIMIT_MEMLOCK ${v}, but CAP_IPC_LOCK lifts it`);
      continue;
    }
    evidence.push(`pid ${pid} (${comm}): RLIMIT_MEMLOCK ${v}`);
    if (m.soft !== undefined && m.soft <= MEMLOCK_FAIL) worst = 'fail';
    else if (m.soft !== undefined && m.soft < MEMLOCK_WARN && worst === 'ok') worst = 'warn';
  }
  const fix = 'raise it: --ulimit memlock=-1 (docker/podman), LimitMEMLOCK=infinity (systemd), or CAP_IPC_LOCK for the container';
  if (worst === 'fail') return finding('memlock', 'fail',
    `a process can lock at most ${human(MEMLOCK_FAIL)} or less: memory registration (ibv_reg_mr) fails`, evidence, fix);
  if (worst === 'warn') return finding('memlock', 'warn',
    `a process can lock less than ${human(MEMLOCK_WARN)}: large registrations fail`, evidence, fix);
  return finding('memlock', 'ok', 'locked memory is unlimited, large enough, or lifted by CAP_IPC_LOCK', evidence);
}

/** At or above this share of a limit, warn. */
export const CGROUP_NEAR = 0.8;

export function checkCgroup(session: Session, t: DoctorTarget): Finding {
  if (!t.pids.length) return finding('cgroup', 'skip',
    t.scope.kind === 'init' ? 'the host namespace: name a process or a container' : `no process in ${t.label}`);
  const h = findRdmaHierarchy(session);
  if ('missing' in h) return finding('cgroup', 'skip', `no rdma cgroup controller: ${h.missing}`);
  const paths = [...new Set(t.pids.map((p) => cgroupOfPid(session, h, p)).filter((p): p is string => !!p))];
  const evidence: string[] = [];
  let status: 'ok' | 'warn' | 'fail' = 'ok';
  for (const c of surveyCgroups(session, h, { paths })) {
    for (const d of c.devices) {
      for (const [r, u] of Object.entries(d.resources)) {
        const limit = effectiveLimit(u);
        if (limit === 'max') continue;
        const at = u.inherited ? ` (limit set in ${u.inherited.cgroup})` : '';
        evidence.push(`${c.path}: ${d.dev} ${r} ${u.current ?? 0}/${limit}${at}`);
        if ((u.current ?? 0) >= limit) status = 'fail';
        else if ((u.current ?? 0) >= limit * CGROUP_NEAR && status === 'ok') status = 'warn';
      }
      for (const [k, v] of Object.entries(d.events ?? {})) if (v
        && /alloc_fail|max/.test(k)) evidence.push(`${c.path}: ${d.dev} event ${k}=${v}`);
    }
  }
  const fix = 'raise the limit: rdma-ts cgroup set CGROUP DEV hca_handle N hca_object M (or max), or the runtime\'s linux.resources.rdma';
  if (status === 'fail') return finding('cgroup', 'fail',
    'an RDMA cgroup limit is reached: the next verbs context or object fails (EAGAIN)', evidence, fix);
  if (status === 'warn') return finding('cgroup', 'warn', `an RDMA cgroup limit is ${CGROUP_NEAR * 100}% used or more`, evidence, fix);
  return finding('cgroup', 'ok', evidence.length ? 'RDMA cgroup limits have room' : 'no RDMA cgroup limit applies', evidence);
}
