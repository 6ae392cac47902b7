// The network namespaces that exist on this host, as `system set netns`
// needs them: the kernel refuses a mode change (EBUSY) while any namespace
// other than init_net exists, named or not.
import { readdirSync, statSync, readFileSync, readlinkSync } from 'node:fs';
import { NETNS_RUN_DIR } from '../transport/netns.js';

/** The identity of a namespace: its nsfs inode (what `ls -L -i` and `net:[N]` show). */
export function netnsInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

export const INIT_NETNS = '/proc/1/ns/net';

export interface NamedNetns {
  name: string;
  inode: number;
}

export interface UnnamedNetns {
  inode: number;
  /** Processes inside it (or holding it open), PID order. */
  holders: { pid: number; comm: string }[];
}

export interface NetnsInventory {
  named: NamedNetns[];
  unnamed: UnnamedNetns[];
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};

/** Every namespace except init_net: named ones from NETNS_RUN_DIR, unnamed ones through /proc/PID/ns/net and open fds. */
export function listNamespaces(): NetnsInventory {
  const init = netnsInode(INIT_NETNS);
  const named: NamedNetns[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(NETNS_RUN_DIR).sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    const inode = netnsInode(`${NETNS_RUN_DIR}/${name}`);
    if (inode !== undefined && inode !== init) named.push({ name, inode });
  }
  const known = new Set(named.map((n) => n.inode));
  const unnamed = new Map<number, UnnamedNetns>();
  const note = (inode: number | undefined, pid: number) => {
    if (inode === undefined || inode === init || known.has(inode)) return;
    let u = unnamed.get(inode);
    if (!u) unnamed.set(inode, (u = { inode, holders: [] }));
    if (!u.holders.some((h) => h.pid === pid)) u.holders.push({ pid, comm: comm(pid) });
  };
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    note(netnsInode(`/proc/${pid}/ns/net`), pid);
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) note(Number(m[1]), pid);
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return { named, unnamed: [...unnamed.values()] };
}
