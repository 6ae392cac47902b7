// The netdevs and IP addresses of every network namespace, and which of them
// ib_core turns into GIDs of a RoCE port: the port's own netdev and its upper
// devices in any namespace (roce_gid_mgmt.c walks all netdevs of all
// namespaces: is_eth_port_of_netdev_filter accepts the netdev, its VLANs and
// every device stacked on it: macvlan, ipvlan, a bond or bridge master).
import { Session } from '../transport/session.js';
import { dumpLinkInfo, dumpAddrs, LinkInfo, IfAddr, ARPHRD_ETHER } from '../protocol/rtnl.js';
import { NetnsRef } from './netns-scope.js';

export interface ScopedLink extends LinkInfo {
  scope: NetnsRef;
  addrs: IfAddr[];
}

/** Kinds whose IFLA_LINK names the device they are stacked on (not a veth's peer). */
const STACKED = new Set(['macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'vlan']);

export class NetdevInventory {
  constructor(readonly links: ScopedLink[]) {}

  /** Every scope's links and addresses (RTM_GETLINK + RTM_GETADDR in each). */
  static read(session: Session, scopes: NetnsRef[]): NetdevInventory {
    const out: ScopedLink[] = [];
    for (const scope of scopes) {
      let links: LinkInfo[];
      let addrs: IfAddr[];
      try {
        links = dumpLinkInfo(session, scope.path);
        addrs = dumpAddrs(session, scope.path);
      } catch {
        continue; // the namespace went away (its last process exited) while we looked
      }
      for (const l of links) out.push({ ...l, scope, addrs: addrs.filter((a) => a.index === l.index) });
    }
    return new NetdevInventory(out);
  }

  /**
   * The netdev behind a RoCE port: named `name`, Ethernet, and, when
   * `defaultGid` is given, with the MAC that default GID is made of (a name is
   * unique in one namespace only).
   */
  portNetdev(name: string, defaultGid?: Buffer): ScopedLink | undefined {
    const named = this.links.filter((l) => l.name === name && l.type === ARPHRD_ETHER);
    if (!defaultGid) return named[0];
    return named.find((l) => l.address && defaultGidOf(l.address).equals(defaultGid)) ?? named[0];
  }

  /** The port's netdev and every device stacked on it, in any namespace (transitively). */
  family(port: ScopedLink): ScopedLink[] {
    const out = [port];
    const has = (l: ScopedLink) => out.includes(l);
    for (let grew = true; grew; ) {
      grew = false;
      for (const l of this.links) {
        if (has(l) || l.type !== ARPHRD_ETHER) continue;
        if (out.some((m) => this.isUpperOf(l, m))) {
          out.push(l);
          grew = true;
        }
      }
    }
    return out;
  }

  /**
   * True when `l` sits directly on `lower`: its master (same namespace), or a
   * stacked device whose IFLA_LINK is `lower` (in its own namespace, or in
   * another one when IFLA_LINK_NETNSID says so). Across namespaces an
   * ifindex is matched without resolving the nsid: two port netdevs with
   * the same ifindex in two other namespaces would be confused.
   */
  private isUpperOf(l: ScopedLink, lower: ScopedLink): boolean {
    if (lower.master === l.index && lower.scope === l.scope) return true;
    if (!l.kind || !STACKED.has(l.kind) || l.link !== lower.index) return false;
    return l.linkNetnsid === undefined ? lower.scope === l.scope : lower.scope !== l.scope;
  }
}

/** make_default_gid() (cache.c): fe80::/64 with the EUI-48-derived interface id of the MAC. */
export function defaultGidOf(macText: string): Buffer {
  const m = macText.split(':').map((x) => parseInt(x, 16));
  const g = Buffer.alloc(16);
  g[0] = 0xfe;
  g[1] = 0x80;
  if (m.length !== 6) return g;
  g.set([m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]], 8);
  return g;
}
