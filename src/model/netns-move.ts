// `dev set DEV netns NS --with-netdev`: the RDMA device and the netdev(s) its
// ports use move together, or not at all.
// Order: the RDMA device first (the step most likely to be refused: shared
// mode, a driver without disassociate_ucontext), then each netdev over
// rtnetlink. If a netdev cannot follow, the netdevs already moved and the
// device are moved back, from inside the target namespace where they now are.
import { existsSync, readdirSync } from 'node:fs';
import { Session } from '../transport/session.js';
import { openNetnsFdAt } from '../transport/netns.js';
import { libc } from '../transport/libc.js';
import { NetlinkError } from '../transport/errors.js';
import { setLinkNetns, linkByName, linkByIndex } from '../protocol/rtnl.js';
import { RdmaClient } from './client.js';
import { Device, setDeviceNetns } from './device.js';
import { getPort } from './port.js';
import { netnsInode } from './namespaces.js';

export interface MoveStep {
  object: string;
  /** What happened, in words an operator reads: "moved to netns ns1". */
  result: string;
  ok: boolean;
}

export class MoveError extends Error {
  constructor(message: string, readonly steps: MoveStep[]) {
    super(message);
  }
}

/** The netdevs behind a device's ports: NDEV_INDEX for RoCE/iWARP, the IPoIB interfaces (sysfs) for IB. */
export function netdevsOf(rd: RdmaClient, session: Session, dev: Device): string[] {
  const names = new Set<string>();
  for (let p = 1; p <= dev.portCount; p++) {
    const port = getPort(rd, dev.index, p);
    if (port.netdev) names.add(port.netdev);
    else if (port.netdevIndex !== undefined) {
      const l = linkByIndex(session, port.netdevIndex);
      if (l) names.add(l.name);
    }
  }
  if (!names.size && existsSync('/sys/class/net')) {
    for (const ifname of readdirSync('/sys/class/net')) {
      if (existsSync(`/sys/class/net/${ifname}/device/infiniband/${dev.name}`)) names.add(ifname);
    }
  }
  return [...names];
}

export interface MoveTarget {
  /** As the user wrote it (for messages). */
  spec: string;
  /** The namespace file. */
  path: string;
}

/**
 * Moves `dev` and `netdevs` into `target`. `here` is the namespace the session
 * runs in (its -n path, or undefined for our own). Returns the steps; throws
 * MoveError (with every step, rollback included) when it could not complete.
 */
export function moveWithNetdevs(rd: RdmaClient, here: string | undefined, dev: Device, netdevs: string[], target: MoveTarget): MoveStep[] {
  const steps: MoveStep[] = [];
  const herePath = here ?? '/proc/thread-self/ns/net';
  if (netnsInode(herePath) === netnsInode(target.path)) {
    steps.push({ object: dev.name, result: `already in netns ${target.spec}`, ok: true });
    for (const n of netdevs) steps.push({ object: n, result: `already in netns ${target.spec}`, ok: true });
    return steps;
  }
  const c = libc();
  const targetFd = openNetnsFdAt(target.path);
  const homeFd = openNetnsFdAt(herePath);
  try {
    setDeviceNetns(rd, dev.index, targetFd, target.path);
    steps.push({ object: dev.name, result: `moved to netns ${target.spec}`, ok: true });
    const moved: string[] = [];
    for (const name of netdevs) {
      try {
        const link = linkByName(rd.session, name);
        if (!link) throw new NetlinkError(19, `RTM_NEWLINK: No such device`);
        setLinkNetns(rd.session, link.index, targetFd, target.path);
        moved.push(name);
        steps.push({ object: name, result: `moved to netns ${target.spec}`, ok: true });
      } catch (e) {
        steps.push({ object: name, result: `cannot move to netns ${target.spec}: ${why(e, name, target.spec)}`, ok: false });
        rollback(rd, dev, moved, target, homeFd, herePath, steps);
        const failed = steps.filter((s) => !s.ok).map((s) => `${s.object}: ${s.result}`);
        throw new MoveError(`${dev.name} and its netdevs did not move: ${failed.join('; ')}`, steps);
      }
    }
    return steps;
  } finally {
    c.close(targetFd);
    c.close(homeFd);
  }
}

function why(e: unknown, name: string, ns: string): string {
  const text = (e as Error).message.replace(/^[^:]*: /, '');
  if (e instanceof NetlinkError && e.errno === 17) return `${text} (a netdev named ${name} already exists in netns ${ns})`;
  return text;
}

/** Puts back what moved, newest first, through sockets in the target namespace. */
function rollback(rd: RdmaClient, dev: Device, moved: string[], target: MoveTarget, homeFd: number, herePath: string,
  steps: MoveStep[]): void {
  const back = (object: string, fn: () => void) => {
    try {
      fn();
      steps.push({ object, result: 'moved back (rolled back)', ok: true });
    } catch (e) {
      steps.push({ object,
        result: `ROLLBACK FAILED, left in netns ${target.spec}: ${(e as Error).message.replace(/^[^:]*: /, '')}`, ok: false });
    }
  };
  const there = rd.session.inNetns(target.path);
  for (const name of [...moved].reverse()) {
    back(name, () => {
      const link = linkByName(there, name);
      if (!link) throw new Error(`not found in netns ${target.spec}`);
      setLinkNetns(there, link.index, homeFd, herePath);
    });
  }
  back(dev.name, () => setDeviceNetns(rd, dev.index, homeFd, herePath, there));
}
