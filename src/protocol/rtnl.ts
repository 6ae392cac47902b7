// rtnetlink link lookup (RTM_GETLINK): ifindex <-> name in a session's
// namespace. The IFLA schema is declared as data like NLDEV's; only the
// attributes rdma-ts reads or writes are named.
import { Session } from '../transport/session.js';
import { decodeAttrs, encodeAttrs, Spec } from './codec.js';

export const RTM_NEWLINK = 16;
export const RTM_GETLINK = 18;
export const IFLA = { IFNAME: 3, MTU: 4, LINK: 5, MASTER: 10, NET_NS_PID: 19, NET_NS_FD: 28, IF_NETNSID: 46 } as const;

export const IFLA_SCHEMA: Spec[] = [];
for (const [id, name, type] of [
  [IFLA.IFNAME, 'IFLA_IFNAME', 'string'], [IFLA.MTU, 'IFLA_MTU', 'u32'], [IFLA.LINK, 'IFLA_LINK', 'u32'],
  [IFLA.MASTER, 'IFLA_MASTER', 'u32'], [IFLA.NET_NS_PID, 'IFLA_NET_NS_PID', 'u32'], [IFLA.NET_NS_FD, 'IFLA_NET_NS_FD', 'u32'],
  [IFLA.IF_NETNSID, 'IFLA_IF_NETNSID', 's32'],
] as const) IFLA_SCHEMA[id] = { id, name, type };

export interface NetLink {
  index: number;
  name: string;
}

/** struct ifinfomsg: family, pad, type, index, flags, change (16 bytes). */
export function ifinfomsg(index = 0): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(index, 4);
  return b;
}

export function listLinks(session: Session): NetLink[] {
  const msgs = session.channel('route').dump(RTM_GETLINK, ifinfomsg(), 'RTM_GETLINK');
  return msgs
    .filter((m) => m.type === RTM_NEWLINK)
    .map((m) => ({ index: m.payload.readInt32LE(4), name: decodeAttrs(IFLA_SCHEMA, m.payload, 16)[IFLA.IFNAME] }));
}

export function linkByName(session: Session, name: string): NetLink | undefined {
  return listLinks(session).find((l) => l.name === name);
}

export function linkByIndex(session: Session, index: number): NetLink | undefined {
  return listLinks(session).find((l) => l.index === index);
}

export { encodeAttrs };

/** What --dry-run prints instead of sending. */
export type DryRun = ((request: string) => void) | undefined;

/**
 * Moves netdev `index` into the namespace open as `netnsFd` (RTM_NEWLINK with
 * IFLA_NET_NS_FD), through a route socket in `netns` (the netdev's current one).
 */
export function setLinkNetns(session: Session, netns: string | undefined, index: number, netnsFd: number, label: string, dryRun: DryRun): void {
  const payload = Buffer.concat([ifinfomsg(index), encodeAttrs(IFLA_SCHEMA, [[IFLA.NET_NS_FD, netnsFd]])]);
  if (dryRun) {
    dryRun(`RTM_NEWLINK${netns ? ` in netns ${netns}` : ''}: ifindex ${index}, NET_NS_FD ${netnsFd} (NET_NS_FD is ${label})`);
    return;
  }
  session.channel('route', netns).doit(RTM_NEWLINK, payload, 'RTM_NEWLINK');
}

/** Links in another namespace than the session's. */
export function listLinksIn(session: Session, netns: string | undefined): NetLink[] {
  return listLinks(session.inNetns(netns));
}
