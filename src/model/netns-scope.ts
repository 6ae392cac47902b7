// The network namespaces a reader covers and what to call them: `init`, a
// name from /var/run/netns, or, for an unnamed one, a process that holds it
// (`pid:4321(sleep)`). Every read goes through the session (recorded).
import { Session } from '../transport/session.js';
import { NETNS_RUN_DIR, resolveNetnsPath } from '../transport/netns.js';

export interface NetnsRef {
  /** What columns show: init, a name, or pid:PID(COMM) for an unnamed one. */
  label: string;
  kind: 'init' | 'named' | 'unnamed' | 'other';
  /** Path to open it by; undefined for the caller's own namespace. */
  path?: string;
  inode?: number;
  /** For an unnamed namespace: the process it was found through. */
  holder?: { pid: number; comm?: string };
  /**
   * allScopes: a process inside a named or unnamed namespace (the lowest
   * PID): whose cgroup says which container or pod the namespace belongs to.
   */
  member?: { pid: number; comm?: string };
}

const INIT = '/proc/1/ns/net';
const SELF = '/proc/self/ns/net';

/** Named namespaces: name -> inode. */
function named(session: Session): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of session.readHostDir(NETNS_RUN_DIR) ?? []) {
    const ino = session.readHostInode(`${NETNS_RUN_DIR}/${name}`);
    if (ino !== undefined && !out.has(ino)) out.set(ino, name);
  }
  return out;
}

/** What to call the namespace with this inode. */
function label(ino: number | undefined, init: number | undefined, names: Map<number, string>): Pick<NetnsRef, 'label' | 'kind'> {
  if (ino !== undefined && ino === init) return { label: 'init', kind: 'init' };
  const name = ino === undefined ? undefined : names.get(ino);
  if (name) return { label: name, kind: 'named' };
  return { label: ino === undefined ? 'unknown' : `net:[${ino}]`, kind: 'other' };
}

/** The one namespace a command runs in: its own, or `-n NS`. */
export function ownScope(session: Session, spec?: string): NetnsRef {
  const path = spec === undefined ? undefined : resolveNetnsPath(spec);
  const ino = session.readHostInode(path ?? SELF);
  const l = label(ino, session.readHostInode(INIT), named(session));
  const pid = /^\/proc\/(\d+)\/ns\/net$/.exec(path ?? '');
  if (l.kind === 'other' && pid) {
    const holder = { pid: Number(pid[1]), comm: comm(session, Number(pid[1])) };
    return { label: holderLabel(holder), kind: 'unnamed', path, inode: ino, holder };
  }
  return { ...l, path, inode: ino };
}

/** A process's comm as rdmatool prints it: /proc/PID/comm up to its newline (a comm may hold spaces: `Web Content`). */
export const comm = (session: Session, pid: number) => session.readHostFile(`/proc/${pid}/comm`)?.split('\n')[0];
const holderLabel = (h: { pid: number; comm?: string }) => `pid:${h.pid}${h.comm ? `(${h.comm})` : ''}`;

/**
 * Every namespace on the host: the caller's own first, then the named ones,
 * then unnamed ones found through /proc/PID/ns/net (lowest PID holds the label).
 */
export function allScopes(session: Session): NetnsRef[] {
  const init = session.readHostInode(INIT);
  const names = named(session);
  const own = session.readHostInode(SELF);
  const out: NetnsRef[] = [{ ...label(own, init, names), inode: own }];
  const seen = new Set([own]);
  for (const [ino, name] of [...names].sort((a, b) => a[1].localeCompare(b[1]))) {
    if (seen.has(ino)) continue;
    seen.add(ino);
    out.push({ label: name, kind: ino === init ? 'init' : 'named', path: `${NETNS_RUN_DIR}/${name}`, inode: ino });
  }
  const pids = (session.readHostDir('/proc') ?? []).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    const m = /^net:\[(\d+)\]$/.exec(session.readHostLink(`/proc/${pid}/ns/net`) ?? '');
    if (!m) continue;
    const ino = Number(m[1]);
    if (seen.has(ino)) {
      const ref = out.find((s) => s.inode === ino);
      if (ref?.kind === 'named' && !ref.member) ref.member = { pid, comm: comm(session, pid) };
      continue;
    }
    seen.add(ino);
    const holder = { pid, comm: comm(session, pid) };
    out.push({ label: holderLabel(holder), kind: ino === init ? 'init' : 'unnamed', path: `/proc/${pid}/ns/net`, inode: ino,
      holder, member: holder });
  }
  return out;
}

/** Labels for the namespaces seen in a scope list, by inode (for processes' namespaces). */
export function labelsByInode(scopes: NetnsRef[]): Map<number, string> {
  return new Map(scopes.filter((s) => s.inode !== undefined).map((s) => [s.inode!, s.label]));
}
