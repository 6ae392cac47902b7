// rtnetlink link lookup (RTM_GETLINK): ifindex <-> name in a session's
// namespace. The IFLA schema is declared as data like NLDEV's; only the
// attributes rdma-ts reads or writes are named.
import { Session } from '../transport/session.js';
import { decodeAttrs, encodeAttrs, describeAttrs, formatIPv6, Spec } from './codec.js';

export const RTM_NEWLINK = 16;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_GETADDR = 22;
export const IFLA = {
  ADDRESS: 1, IFNAME: 3, LINK: 5, MASTER: 10, LINKINFO: 18, STATS64: 23, NET_NS_FD: 28, LINK_NETNSID: 37,
} as const;
export const IFLA_INFO_KIND = 1;
export const IFA = { ADDRESS: 1, LOCAL: 2, LABEL: 3, FLAGS: 8 } as const;
export const AF_INET = 2;
export const AF_INET6 = 10;
/** ARPHRD_ETHER: the only netdev type ib_core makes RoCE GIDs for (roce_gid_mgmt.c). */
export const ARPHRD_ETHER = 1;

type Row = readonly [number, string, Spec['type']];
const schema = (rows: readonly Row[]): Spec[] => {
  const out: Spec[] = [];
  for (const [id, name, type] of rows) out[id] = { id, name, type };
  return out;
};

export const IFLA_SCHEMA: Spec[] = schema([
  [IFLA.ADDRESS, 'IFLA_ADDRESS', 'binary'], [IFLA.IFNAME, 'IFLA_IFNAME', 'string'],
  [IFLA.LINK, 'IFLA_LINK', 'u32'], [IFLA.MASTER, 'IFLA_MASTER', 'u32'], [IFLA.LINKINFO, 'IFLA_LINKINFO', 'binary'],
  [IFLA.STATS64, 'IFLA_STATS64', 'binary'], [IFLA.NET_NS_FD, 'IFLA_NET_NS_FD', 'u32'], [IFLA.LINK_NETNSID, 'IFLA_LINK_NETNSID', 's32'],
]);
const IFLA_INFO_SCHEMA: Spec[] = schema([[IFLA_INFO_KIND, 'IFLA_INFO_KIND', 'string']]);
export const IFA_SCHEMA: Spec[] = schema([
  [IFA.ADDRESS, 'IFA_ADDRESS', 'binary'], [IFA.LOCAL, 'IFA_LOCAL', 'binary'], [IFA.LABEL, 'IFA_LABEL', 'string'],
  [IFA.FLAGS, 'IFA_FLAGS', 'u32'],
]);

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

/** A netdev as RTM_GETLINK describes it, with what ib_core's GID code looks at. */
export interface LinkInfo extends NetLink {
  /** ARPHRD_* (ifi_type). */
  type: number;
  /** MAC address, lower-case hex with colons. */
  address?: string;
  /** The lower device's ifindex (macvlan, ipvlan, vlan; a veth's peer), in `linkNetnsid`'s namespace when set. */
  link?: number;
  linkNetnsid?: number;
  master?: number;
  /** IFLA_INFO_KIND: macvlan, ipvlan, vlan, veth, bond... */
  kind?: string;
}

const mac = (b: Buffer | undefined) => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') : undefined);

/** Every netdev of the session's namespace (or of `netns`). */
export function dumpLinkInfo(session: Session, netns?: string): LinkInfo[] {
  const msgs = session.channel('route', netns ?? session.netns).dump(RTM_GETLINK, ifinfomsg(), 'RTM_GETLINK');
  return msgs.filter((m) => m.type === RTM_NEWLINK).map((m) => {
    const tb = decodeAttrs(IFLA_SCHEMA, m.payload, 16);
    const info: Buffer | undefined = tb[IFLA.LINKINFO];
    const link: number | undefined = tb[IFLA.LINK];
    return {
      index: m.payload.readInt32LE(4), name: tb[IFLA.IFNAME], type: m.payload.readUInt16LE(2), address: mac(tb[IFLA.ADDRESS]),
      link: link && link !== m.payload.readInt32LE(4) ? link : undefined, linkNetnsid: tb[IFLA.LINK_NETNSID],
        master: tb[IFLA.MASTER] || undefined,
      kind: info ? decodeAttrs(IFLA_INFO_SCHEMA, info)[IFLA_INFO_KIND] : undefined,
    };
  });
}

/** An address of a netdev (RTM_GETADDR). */
export interface IfAddr {
  family: number;
  index: number;
  prefixlen: number;
  /** The 16-byte form GIDs use: IPv4 as ::ffff:a.b.c.d (rdma_ip2gid). */
  raw: Buffer;
  /** Dotted IPv4 or inet_ntop IPv6. */
  address: string;
}

/** Every IPv4 and IPv6 address of the session's namespace (or of `netns`). */
export function dumpAddrs(session: Session, netns?: string): IfAddr[] {
  const out: IfAddr[] = [];
  for (const m of session.channel('route', netns ?? session.netns).dump(RTM_GETADDR, Buffer.alloc(8), 'RTM_GETADDR')) {
    if (m.type !== RTM_NEWADDR) continue;
    const family = m.payload[0];
    const tb = decodeAttrs(IFA_SCHEMA, m.payload, 8);
    const a: Buffer | undefined = family === AF_INET ? tb[IFA.LOCAL] ?? tb[IFA.ADDRESS] : tb[IFA.ADDRESS];
    if (!a || (family === AF_INET && a.length !== 4) || (family === AF_INET6 && a.length !== 16)) continue;
    const raw = family === AF_INET ? Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), a]) : Buffer.from(a);
    out.push({ family, index: m.payload.readUInt32LE(4), prefixlen: m.payload[1], raw,
      address: family === AF_INET ? [...a].join('.') : formatIPv6(raw) });
  }
  return out;
}

export function linkByName(session: Session, name: string): NetLink | undefined {
  return listLinks(session).find((l) => l.name === name);
}

export function linkByIndex(session: Session, index: number): NetLink | undefined {
  return listLinks(session).find((l) => l.index === index);
}

export { encodeAttrs };

/**
 * struct rtnl_link_stats64 (uapi/linux/if_link.h): u64 fields in this order,
 * named as /sys/class/net/IF/statistics names them. Older kernels send fewer.
 */
export const LINK_STATS64_FIELDS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped',
  'multicast', 'collisions', 'rx_length_errors', 'rx_over_errors', 'rx_crc_errors', 'rx_frame_errors',
  'rx_fifo_errors', 'rx_missed_errors', 'tx_aborted_errors', 'tx_carrier_errors', 'tx_fifo_errors',
  'tx_heartbeat_errors', 'tx_window_errors', 'rx_compressed', 'tx_compressed', 'rx_nohandler', 'rx_otherhost_dropped',
] as const;

export interface LinkStats {
  index: number;
  name: string;
  /** IFLA_STATS64 by field name. */
  stats: Map<string, bigint>;
}

export function decodeStats64(data: Buffer): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (let i = 0; i < LINK_STATS64_FIELDS.length && (i + 1) * 8 <= data.length; i++) out.set(LINK_STATS64_FIELDS[i],
    data.readBigUInt64LE(i * 8));
  return out;
}

/** One netdev's counters (RTM_GETLINK doit by ifindex) in the session's namespace; undefined if it is gone. */
export function getLinkStats(session: Session, index: number): LinkStats | undefined {
  let msgs;
  try {
    msgs = session.channel('route').doit(RTM_GETLINK, ifinfomsg(index), 'RTM_GETLINK');
  } catch (e) {
    if ((e as { errno?: number }).errno === 19) return undefined; // ENODEV: it went away
    throw e;
  }
  const m = msgs.find((x) => x.type === RTM_NEWLINK);
  if (!m) return undefined;
  const tb = decodeAttrs(IFLA_SCHEMA, m.payload, 16);
  return { index: m.payload.readInt32LE(4), name: tb[IFLA.IFNAME], stats: tb[IFLA.STATS64] ? decodeStats64(tb[IFLA.STATS64]) : new Map() };
}

/**
 * Moves netdev `index` of the session's namespace into the namespace open as
 * `netnsFd` (RTM_NEWLINK with IFLA_NET_NS_FD); `label` names it for --dry-run.
 */
export function setLinkNetns(session: Session, index: number, netnsFd: number, label: string): void {
  const payload = Buffer.concat([ifinfomsg(index), encodeAttrs(IFLA_SCHEMA, [[IFLA.NET_NS_FD, netnsFd]])]);
  session.write('route', RTM_NEWLINK, payload, 'RTM_NEWLINK',
    () => `ifindex ${index}, ${describeAttrs(IFLA_SCHEMA, payload, 16)} (NET_NS_FD is ${label})`);
}
