// A RoCE port's GID table explained: which namespace, netdev and container
// own each entry, how full the table is, how many more IPs fit with and
// without RoCE v1, and which IPs got no GID at all (the kernel logs
// `__ib_cache_gid_add: unable to add gid ... error=-28` and nothing else).
//
// Facts used (roce_gid_mgmt.c, cache.c; docs/gids.md):
// - Every IP of the port's netdev or of a device stacked on it, in any
//   namespace, gets one entry per enabled type; the v1 entry is added first,
//   so with one slot left an IP gets v1 only and no v2.
// - Default GIDs (fe80:: + the netdev's EUI-48) take one reserved slot per type.
// - A failed add is never retried: only a new event for that netdev or a
//   rescan brings it back.
import { IfAddr } from '../protocol/rtnl.js';
import { Attributor, ownerLabel } from './attribution.js';
import { GidEntry, GidTable, RoceVersion, versionOfType, versionsOf, ipv4OfGid } from './gid-table.js';
import { NetdevInventory, ScopedLink, defaultGidOf } from './netdevs.js';
import { NetnsRef } from './netns-scope.js';

export interface GidOwner {
  scope: NetnsRef;
  link?: ScopedLink;
  /** The container or pod of a process in that namespace (attribution.ts). */
  container?: string;
}

export interface OwnedGid extends GidEntry {
  default: boolean;
  version?: RoceVersion;
  ipv4?: string;
  owner?: GidOwner;
}

/** An IP that wants entries on this port and lacks the one rdma_cm uses (v2), or has none. */
export interface StrandedIp {
  address: string;
  link: ScopedLink;
  container?: string;
  present: RoceVersion[];
  missing: RoceVersion[];
}

export interface PortGids {
  table: GidTable;
  roce: boolean;
  netdev?: ScopedLink;
  entries: OwnedGid[];
  used: number;
  defaults: number;
  count: Record<RoceVersion, number>;
  /** Empty slots IPs can take (empty reserved default slots excluded). */
  free: number;
  /** The types the port can have, and those enabled (equal unless the proposed kernel interface disabled one). */
  capable: RoceVersion[];
  enabled: RoceVersion[];
  /** True when the kernel reported the enabled types (the proposed attribute). */
  reported: boolean;
  /** The IPs (netdev, address pairs) that want entries: the port netdev's and its upper devices'. */
  wanted: number;
  /** How many more IPs fit with v1 on (undefined when the port has no v1) and with v1 off. */
  fit: { v1On?: number; v1Off: number };
  stranded: StrandedIp[];
}

export interface PortFacts {
  /** The netdev PORT_GET names (present when it is in the session's namespace). */
  netdevName?: string;
  roce: boolean;
  /** The proposed kernel attributes, when reported. */
  enabledMask?: number;
  capMask?: number;
}

const label = (a: Pick<Attributor, 'of'>,
  scope: NetnsRef) => (scope.member && scope.kind !== 'init' ? ownerLabel(a.of(scope.member.pid)) : undefined);

/** The port's netdev: the one whose MAC makes one of its fe80 entries (the default GIDs). */
function findPortNetdev(table: GidTable, facts: PortFacts, inv: NetdevInventory): ScopedLink | undefined {
  for (const e of table.entries) {
    if (e.raw[0] !== 0xfe || e.raw[1] !== 0x80 || !e.netdev || (facts.netdevName && e.netdev !== facts.netdevName)) continue;
    const l = inv.portNetdev(e.netdev, e.raw);
    if (l?.address && defaultGidOf(l.address).equals(e.raw)) return l;
  }
  return facts.netdevName ? inv.portNetdev(facts.netdevName) : undefined;
}

/** max(0, IPs a table of `size` holds with `types` types enabled, minus those already there). */
const fitFor = (size: number, types: number, wanted: number) => Math.max(0, Math.floor((size - types) / types) - wanted);

export function explainPort(table: GidTable, facts: PortFacts, inv: NetdevInventory, who: Pick<Attributor, 'of'>): PortGids {
  const netdev = facts.roce ? findPortNetdev(table, facts, inv) : undefined;
  const defaultGid = netdev?.address ? defaultGidOf(netdev.address) : undefined;
  const family = netdev ? inv.family(netdev) : [];
  // The (netdev, address) pairs ib_core makes GIDs of; the netdev's own EUI-64 link-local is its default GID.
  const wantedPairs: Array<{ link: ScopedLink; addr: IfAddr }> = [];
  for (const link of family) for (const addr of link.addrs) if (!(link === netdev && defaultGid?.equals(addr.raw))) wantedPairs.push({ link,
    addr });

  const entries: OwnedGid[] = table.entries.map((e) => {
    const isDefault = !!defaultGid && e.netdev === netdev?.name && defaultGid.equals(e.raw);
    const link = isDefault ? netdev : wantedPairs.find((p) => p.link.name === e.netdev && p.addr.raw.equals(e.raw))?.link
      ?? family.find((l) => l.name === e.netdev);
    return {
      ...e, default: isDefault, version: facts.roce ? versionOfType(e.type) : undefined, ipv4: ipv4OfGid(e.raw),
      owner: link ? { scope: link.scope, link, container: label(who, link.scope) } : undefined,
    };
  });
  const defaults = entries.filter((e) => e.default);
  const count = { v1: entries.filter((e) => e.version === 'v1').length, v2: entries.filter((e) => e.version === 'v2').length };
  const fromDefaults = [...new Set(defaults.map((e) => e.version).filter((v): v is RoceVersion => !!v))].sort();
  const capable = facts.capMask !== undefined ? versionsOf(facts.capMask) : fromDefaults.length ? fromDefaults : facts.roce ? (['v1',
    'v2'] as RoceVersion[]).filter((v) => count[v]) : [];
  const enabled = facts.enabledMask !== undefined ? versionsOf(facts.enabledMask) : capable;
  // One reserved slot per enabled type (cache.c gid_table_reserve_default; the proposed patch keeps it so).
  const reservedEmpty = facts.roce ? Math.max(0, enabled.length - defaults.length) : 0;
  const free = table.size - entries.length - reservedEmpty;
  const wanted = wantedPairs.length;

  const fitNow = enabled.length ? Math.floor(free / enabled.length) : 0;
  const fit = {
    v1On: capable.includes('v1') ? (enabled.includes('v1') ? fitNow : fitFor(table.size, capable.length, wanted)) : undefined,
    v1Off: enabled.includes('v1') ? fitFor(table.size, Math.max(1, enabled.length - 1), wanted) : fitNow,
  };

  const stranded: StrandedIp[] = [];
  if (facts.roce && enabled.length) {
    for (const { link, addr } of wantedPairs) {
      const present = entries.filter((e) => e.netdev === link.name && e.raw.equals(addr.raw) && e.version).map((e) => e.version!);
      const needsV2 = enabled.includes('v2') && !present.includes('v2');
      if (present.length && !needsV2) continue;
      stranded.push({ address: addr.address, link, container: label(who, link.scope), present,
        missing: enabled.filter((v) => !present.includes(v)) });
    }
  }
  return { table, roce: facts.roce, netdev, entries, used: entries.length, defaults: defaults.length, count, free, capable,
    enabled, reported: facts.enabledMask !== undefined, wanted, fit, stranded };
}
