// The GID table arithmetic and ownership, on SYNTHETIC tables built from the
// kernel's rules (roce_gid_mgmt.c, cache.c): every IP of the port's netdev or
// of a device stacked on it gets one entry per enabled type, v1 first; the
// default GIDs take one reserved slot per type. Synthetic because the lab's
// rxe tables cannot show an odd-sized table (an IP with v1 and no v2), a
// vlan or bond stacked on the port, or a kernel that reports enabled types
// other than the lab patch's. The real-kernel forms of these facts are the
// lab's `gids` and `capacity` scenarios and the replayed recordings in
// gid-replay.test.ts.
import test from 'ava';
import { GidEntry, GidTable, ipv4OfGid, parseSysfsGid, maskOf, versionsOf, TYPE_BIT } from '../src/model/gid-table.js';
import { NetdevInventory, ScopedLink, defaultGidOf } from '../src/model/netdevs.js';
import { explainPort, PortFacts } from '../src/model/gids.js';
import { NetnsRef } from '../src/model/netns-scope.js';
import { ARPHRD_ETHER } from '../src/protocol/rtnl.js';
import { maskForV1, refuseMask, isRoce } from '../src/model/roce-gid-types.js';
import type { Port } from '../src/model/port.js';

const INIT: NetnsRef = { label: 'init', kind: 'init' };
const ctrNs = (n: number): NetnsRef => ({ label: `ctr${n}`, kind: 'named', path: `/run/netns/ctr${n}`, member: { pid: 1000 + n } });
const who = { of: (pid: number) => ({ pid, container: pid === 1003 ? { runtime: 'containerd' as const, id: 'c3'.padEnd(64, '0'),
  name: 'web' } : undefined }) };

const v4 = (ip: string) => Buffer.from([...Array(10).fill(0), 0xff, 0xff, ...ip.split('.').map(Number)]);
const addr = (index: number, ip: string) => ({ family: 2, index, prefixlen: 24, raw: v4(ip), address: ip });
const sysfs = (raw: Buffer) => raw.toString('hex').match(/.{4}/g)!.join(':');

const MAC = '52:54:00:12:34:56';
const gid0: ScopedLink = { index: 5, name: 'gid0', type: ARPHRD_ETHER, address: MAC, scope: INIT, addrs: [] };
/** Container n: a macvlan mvN on gid0 (IFLA_LINK 5 in init, hence a link netnsid), 10.98.0.N. */
const macvlan = (n: number): ScopedLink => ({ index: 2, name: `mv${n}`, type: ARPHRD_ETHER, kind: 'macvlan', link: 5,
  linkNetnsid: 0, address: `02:00:00:00:00:0${n}`, scope: ctrNs(n), addrs: [addr(2, `10.98.0.${n}`)] });

let slot = 0;
const entry = (raw: Buffer, type: 'v1' | 'v2', netdev: string): GidEntry => ({ index: slot++, gid: sysfs(raw), raw,
  type: type === 'v1' ? 'IB/RoCE v1' : 'RoCE v2', netdev });
const defaults = (): GidEntry[] => [entry(defaultGidOf(MAC), 'v1', 'gid0'), entry(defaultGidOf(MAC), 'v2', 'gid0')];
/** The table ib_core fills for containers 1..n on `size` slots (v1 then v2 per IP, until full). */
function filled(size: number, n: number, types: Array<'v1' | 'v2'> = ['v1', 'v2']): GidTable {
  slot = 0;
  const entries = types.length === 2 ? defaults() : [entry(defaultGidOf(MAC), types[0], 'gid0')];
  if (types.length === 1) slot = 2; // the disabled type's default slot stays reserved-then-freed: index 1 is free
  for (let i = 1; i <= n; i++) for (const t of types) if (entries.length < size) entries.push(entry(v4(`10.98.0.${i}`), t, `mv${i}`));
  return { dev: 'rxeg', port: 1, size, entries };
}
const containers = (n: number) => new NetdevInventory([gid0, ...Array.from({ length: n }, (_, i) => macvlan(i + 1))]);
const ROCE: PortFacts = { netdevName: 'gid0', roce: true };

test('the default GID is fe80::/64 with the MAC\'s EUI-64 (universal/local bit flipped), as make_default_gid builds it', (t) => {
  t.is(sysfs(defaultGidOf(MAC)), 'fe80:0000:0000:0000:5054:00ff:fe12:3456');
  t.is(sysfs(defaultGidOf('not-a-mac')), 'fe80:0000:0000:0000:0000:0000:0000:0000');
});

test('sysfs GIDs parse to 16 bytes; IPv4-mapped ones decode to their address, others to none', (t) => {
  const raw = parseSysfsGid('0000:0000:0000:0000:0000:ffff:0a62:0007\n')!;
  t.is(ipv4OfGid(raw), '10.98.0.7');
  t.is(ipv4OfGid(defaultGidOf(MAC)), undefined);
  t.is(parseSysfsGid('fe80::1'), undefined);
  t.is(parseSysfsGid('0000:0000:0000:0000:0000:ffff:0a62:zz07'), undefined);
});

test('GID type masks are BIT(IB_UVERBS_GID_TYPE_ROCE_V1/_V2), as the proposed attribute carries them', (t) => {
  t.deepEqual(TYPE_BIT, { v1: 2, v2: 4 });
  t.is(maskOf(['v2']), 4);
  t.deepEqual(versionsOf(6), ['v1', 'v2']);
  t.deepEqual(versionsOf(1), []);
});

test('a full 16-slot v1+v2 table: 7 containers fit, the 8th and 9th are stranded with no entry; v1 off would leave 6 free', (t) => {
  const p = explainPort(filled(16, 9), ROCE, containers(9), who);
  t.like(p, { used: 16, defaults: 2, count: { v1: 8, v2: 8 }, free: 0, wanted: 9, capable: ['v1', 'v2'], enabled: ['v1', 'v2'],
    reported: false });
  t.deepEqual(p.fit, { v1On: 0, v1Off: 15 - 9 });
  t.deepEqual(p.stranded.map((s) => [s.address, s.link.name, s.link.scope.label, s.present, s.missing]),
    [['10.98.0.8', 'mv8', 'ctr8', [], ['v1', 'v2']], ['10.98.0.9', 'mv9', 'ctr9', [], ['v1', 'v2']]]);
  t.is(p.netdev, gid0);
});

test('each entry is owned by its netdev\'s namespace, with the container of a process in it; the defaults by the port netdev', (t) => {
  const p = explainPort(filled(16, 9), ROCE, containers(9), who);
  const row = (i: number) => { const e = p.entries[i]; return [e.index, e.ipv4, e.version, e.default, e.owner?.link?.name,
    e.owner?.scope.label, e.owner?.container]; };
  t.deepEqual(row(0), [0, undefined, 'v1', true, 'gid0', 'init', undefined]);
  t.deepEqual(row(1), [1, undefined, 'v2', true, 'gid0', 'init', undefined]);
  t.deepEqual(row(6), [6, '10.98.0.3', 'v1', false, 'mv3', 'ctr3', 'web']);
});

test('an odd slot left: the IP gets its v1 entry (added first) and no v2, and is stranded for lack of v2 only', (t) => {
  const p = explainPort(filled(17, 8), ROCE, containers(8), who);
  t.is(p.free, 0);
  t.deepEqual(p.stranded.map((s) => [s.address, s.present, s.missing]), [['10.98.0.8', ['v1'], ['v2']]]);
});

test('room left: nothing stranded, and the fit counts are what the free slots and the table size give', (t) => {
  const p = explainPort(filled(256, 9), ROCE, containers(9), who);
  t.like(p, { used: 20, free: 236, stranded: [] });
  // v1 on: 236 free / 2 types; v1 off: (256 - 1 default) / 1 - 9 IPs there already.
  t.deepEqual(p.fit, { v1On: 118, v1Off: 246 });
});

test('v1 off reported by the kernel (roce-gid-types): v2 entries only, the v1 default slot free again, fit from the free slots', (t) => {
  const p = explainPort(filled(16, 9, ['v2']), { ...ROCE, enabledMask: maskOf(['v2']), capMask: maskOf(['v1', 'v2']) }, containers(9), who);
  t.like(p, { used: 10, defaults: 1, count: { v1: 0, v2: 10 }, free: 6, capable: ['v1', 'v2'], enabled: ['v2'], reported: true,
    stranded: [] });
  // v1 on again: (16 - 2) / 2 = 7 IPs in all, 9 there already: none more.
  t.deepEqual(p.fit, { v1On: 0, v1Off: 6 });
});

test('the family: vlan and master in the port\'s namespace, macvlan/ipvlan elsewhere through IFLA_LINK_NETNSID; not a veth peer ' +
  'or an unrelated device', (t) => {
  const vlan: ScopedLink = { index: 6, name: 'gid0.10', type: ARPHRD_ETHER, kind: 'vlan', link: 5, scope: INIT, addrs: [] };
  const bond: ScopedLink = { index: 7, name: 'bond0', type: ARPHRD_ETHER, kind: 'bond', scope: INIT, addrs: [] };
  const port = { ...gid0, master: 7 };
  const ipvlanOnVlan: ScopedLink = { index: 3, name: 'ipv0', type: ARPHRD_ETHER, kind: 'ipvlan', link: 6, linkNetnsid: 0,
    scope: ctrNs(4), addrs: [] };
  const vethPeer: ScopedLink = { index: 9, name: 'eth0', type: ARPHRD_ETHER, kind: 'veth', link: 5, linkNetnsid: 0,
    scope: ctrNs(5), addrs: [] };
  const sameIndexElsewhere: ScopedLink = { index: 4, name: 'mvx', type: ARPHRD_ETHER, kind: 'macvlan', link: 5, scope: ctrNs(6),
    addrs: [] };
  const inv = new NetdevInventory([port, vlan, bond, ipvlanOnVlan, vethPeer, sameIndexElsewhere, macvlan(1)]);
  t.deepEqual(inv.family(port).map((l) => l.name), ['gid0', 'gid0.10', 'bond0', 'ipv0', 'mv1']);
});

test('the port netdev is told apart from a same-named netdev in another namespace by its MAC', (t) => {
  const other: ScopedLink = { ...gid0, address: '52:54:00:aa:bb:cc', scope: ctrNs(7) };
  const inv = new NetdevInventory([other, gid0]);
  t.is(inv.portNetdev('gid0', defaultGidOf(MAC)), gid0);
  t.is(inv.portNetdev('gid0'), other, 'without a default GID to go by, the first one');
});

test('a port that is not RoCE (iWARP, IB) has no types, no fit for v1 and nothing stranded', (t) => {
  slot = 0;
  const table: GidTable = { dev: 'siw0', port: 1, size: 1,
    entries: [entry(parseSysfsGid('5254:0012:3456:0000:0000:0000:0000:0000')!, 'v1', 'veth1')] };
  const p = explainPort(table, { netdevName: 'veth1', roce: false }, containers(0), who);
  t.like(p, { roce: false, capable: [], enabled: [], stranded: [], free: 1 - 1 });
  t.is(p.entries[0].version, undefined);
  t.is(p.fit.v1On, undefined);
});

test('roce-v1 off|on asks for the enabled types with v1 cleared or set; a mask the port cannot have is refused first', (t) => {
  const port = (types?: number, cap?: number) => ({ devName: 'mlx5_0', port: 1, roceGidTypes: types,
    roceGidTypesCap: cap }) as unknown as Port;
  t.is(maskForV1(port(6, 6), 'off'), 4);
  t.is(maskForV1(port(4, 6), 'on'), 6);
  t.is(maskForV1(port(), 'off'), 4, 'unreported (stock kernel, --dry-run): from v1+v2');
  t.is(refuseMask(port(4, 4), maskForV1(port(4, 4), 'on')), 'mlx5_0/1 has no RoCE v1 (it supports v2)');
  t.is(refuseMask(port(2, 2), maskForV1(port(2, 2), 'off')),
    'mlx5_0/1 would have no GID type left (it supports v1): ib_core needs at least one');
  t.is(refuseMask(port(6, 6), 4), undefined);
});

test('RoCE is an Ethernet port that is not iWARP (siw is Ethernet too); without sysfs, the netlink protocol decides', (t) => {
  t.true(isRoce('roce', 'Ethernet'));
  t.false(isRoce('iw', 'Ethernet'));
  t.false(isRoce('ib', 'InfiniBand'));
  t.true(isRoce('roce', undefined));
  t.false(isRoce('iw', undefined));
});
