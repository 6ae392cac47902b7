// rtnetlink link lookup (RTM_GETLINK): ifindex <-> name in a session's
// namespace. The IFLA schema is declared as data like NLDEV's; only the
// attributes rdma-ts reads or writes are named.
import { Session } from '../transport/session.js';
import { decodeAttrs, encodeAttrs, describeAttrs, Spec } from './codec.js';

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

/**
 * Moves netdev `index` of the session's namespace into the namespace open as
 * `netnsFd` (RTM_NEWLINK with IFLA_NET_NS_FD); `label` names it for --dry-run.
 */
export function setLinkNetns(session: Session, index: number, netnsFd: number, label: string): void {
  const payload = Buffer.concat([ifinfomsg(index), encodeAttrs(IFLA_SCHEMA, [[IFLA.NET_NS_FD, netnsFd]])]);
  session.write('route', RTM_NEWLINK, payload, 'RTM_NEWLINK', () => `ifindex ${index}, ${describeAttrs(IFLA_SCHEMA, payload, 16)} (NET_NS_FD is ${label})`);
}
