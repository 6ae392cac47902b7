// A port's GID table as sysfs shows it (core/sysfs.c):
//   ports/P/gids/N             the GID, %pI6 (an empty slot reads all zeros)
//   ports/P/gid_attrs/types/N  "IB/RoCE v1" or "RoCE v2"; EINVAL for an empty slot
//   ports/P/gid_attrs/ndevs/N  the netdev's name; EINVAL when empty or netdev-less
// The number of gids/ files is the table size (gid_tbl_len). There is no
// namespace filtering: every namespace that sees the device sees every GID.
import { Session } from '../transport/session.js';
import { IB_SYSFS } from './sysfs.js';

/** The type strings sysfs and rdma_cm's configfs use (cache.c gid_type_str). */
export const GID_TYPE = { v1: 'IB/RoCE v1', v2: 'RoCE v2' } as const;
export type RoceVersion = keyof typeof GID_TYPE;

/**
 * IB_UVERBS_GID_TYPE_ROCE_V1/_V2 as bits: how the proposed
 * RDMA_NLDEV_ATTR_ROCE_GID_TYPES carries a port's enabled types (kernel/).
 */
export const TYPE_BIT: Record<RoceVersion, number> = { v1: 1 << 1, v2: 1 << 2 };

export const versionsOf = (mask: number): RoceVersion[] => (['v1', 'v2'] as const).filter((v) => mask & TYPE_BIT[v]);
export const maskOf = (versions: Iterable<RoceVersion>): number => [...versions].reduce((m, v) => m | TYPE_BIT[v], 0);

export interface GidEntry {
  index: number;
  /** As sysfs prints it: eight groups of four hex digits. */
  gid: string;
  raw: Buffer;
  /** As sysfs prints it. */
  type: string;
  netdev?: string;
}

export interface GidTable {
  dev: string;
  port: number;
  /** gid_tbl_len: the number of slots. */
  size: number;
  /** The used slots, by index. */
  entries: GidEntry[];
}

/** `fe80:0000:...` (sysfs %pI6) as 16 bytes; undefined if it is not one. */
export function parseSysfsGid(text: string): Buffer | undefined {
  const groups = text.trim().split(':');
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{4}$/i.test(g))) return undefined;
  return Buffer.from(groups.join(''), 'hex');
}

/** The IPv4 address of an IPv4-mapped GID (::ffff:a.b.c.d), else undefined. */
export function ipv4OfGid(raw: Buffer): string | undefined {
  for (let i = 0; i < 10; i++) if (raw[i] !== 0) return undefined;
  return raw[10] === 0xff && raw[11] === 0xff ? `${raw[12]}.${raw[13]}.${raw[14]}.${raw[15]}` : undefined;
}

/** The GID version a sysfs type string names on a RoCE port. */
export function versionOfType(type: string): RoceVersion | undefined {
  return type === GID_TYPE.v1 ? 'v1' : type === GID_TYPE.v2 ? 'v2' : undefined;
}

const trim = (s: string | undefined) => s?.replace(/\n$/, '');

/** A port's table, or undefined when this sysfs does not show the port. */
export function readGidTable(session: Session, dev: string, port: number): GidTable | undefined {
  const dir = `${IB_SYSFS}/${dev}/ports/${port}`;
  const names = session.readHostDir(`${dir}/gids`);
  if (!names) return undefined;
  const indices = names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const entries: GidEntry[] = [];
  for (const index of indices) {
    // The type is read first: it fails (EINVAL) exactly for an empty slot, whose gid reads as zeros.
    const type = trim(session.readHostFile(`${dir}/gid_attrs/types/${index}`));
    if (type === undefined) continue;
    const gid = trim(session.readHostFile(`${dir}/gids/${index}`));
    const raw = gid === undefined ? undefined : parseSysfsGid(gid);
    if (gid === undefined || !raw) continue; // removed between the two reads
    entries.push({ index, gid, raw, type, netdev: trim(session.readHostFile(`${dir}/gid_attrs/ndevs/${index}`)) });
  }
  return { dev, port, size: indices.length, entries };
}
