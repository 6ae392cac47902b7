// Doctor checks about the ports the target sees: a RoCE v2 GID for each of
// the namespace's IPs on a RoCE port (gid show's reading), RoCE v1 entries
// filling a table, and ports that are not up.
import { Session } from '../../transport/session.js';
import { RdmaClient } from '../client.js';
import { Device } from '../device.js';
import { getPort } from '../port.js';
import { portStateName, physStateName } from '../../protocol/enums.js';
import { SurveyedPort } from '../gid-survey.js';
import { DoctorTarget } from './target.js';
import { Finding, finding } from './finding.js';

const name = (p: SurveyedPort) => `${p.device.name}/${p.table.port}`;

export function checkGids(t: DoctorTarget, ports: SurveyedPort[]): Finding {
  const roce = ports.filter((p) => p.roce);
  if (!roce.length) return finding('gid', 'skip', 'no RoCE port visible');
  const mine = (inode: number | undefined) => inode !== undefined && inode === t.scope.inode;
  const evidence: string[] = [];
  const stranded: string[] = [];
  for (const p of roce) {
    for (const e of p.entries) if (mine(e.owner?.scope.inode) && e.version === 'v2'
      && e.ipv4 !== undefined) evidence.push(`${e.ipv4} on ${e.netdev}: RoCE v2 GID index ${e.index} on ${name(p)}`);
    for (const s of p.stranded) {
      if (!mine(s.link.scope.inode)) continue;
      const why = s.present.length ? `only ${s.present.join(', ')}` : 'no entry';
      stranded.push(`${s.address} on ${s.link.name}`);
      evidence.push(`${s.address} on ${s.link.name}: no RoCE v2 GID on ${name(p)} (${why}; ${p.used}/${p.table.size} slots ` +
        `used, v1 ${p.count.v1}, v2 ${p.count.v2})`);
    }
  }
  if (stranded.length) {
    return finding('gid', 'fail',
      `no RoCE v2 GID for ${stranded.join(', ')}: rdma_cm cannot bind or resolve over it (ENODEV, RDMA_CM_EVENT_ADDR_ERROR)`, evidence,
      'free GID entries: fewer IPs on the port (remove idle containers\' addresses), rdma-ts link set DEV/PORT roce-v1 off on a ' +
        'kernel with kernel/roce-gid-types, then re-add the address (the kernel never retries a failed add)');
  }
  if (!evidence.length) return finding('gid', 'warn',
    `no IP of ${t.label} is on a RoCE port's netdev or a device stacked on it (macvlan, ipvlan, vlan)`,
      roce.map((p) => `${name(p)}: netdev ${p.netdev?.name ?? '?'} (netns ${p.netdev?.scope.label ?? '?'})`),
        'give the namespace an address on the RoCE netdev, or on a macvlan/ipvlan over it');
  return finding('gid', 'ok', `every IP of ${t.label} on a RoCE port has a RoCE v2 GID`, evidence);
}

export function checkV1(ports: SurveyedPort[]): Finding {
  const withV1 = ports.filter((p) => p.roce && p.enabled.includes('v1'));
  if (!withV1.length) return finding('gid-v1', 'skip', ports.some((p) => p.roce) ? 'no RoCE port has v1 GIDs' : 'no RoCE port visible');
  const full = withV1.filter((p) => p.free < p.enabled.length);
  const evidence = withV1.map((p) => `${name(p)}: v1 entries take ${p.count.v1} of ${p.table.size} slots, ${p.free} free; ` +
    `${p.fit.v1On ?? 0} more IPs fit with v1 on, ${p.fit.v1Off} with v1 off`);
  if (full.length) {
    return finding('gid-v1', 'warn',
      `the GID table of ${full.map(name).join(', ')} is full, and RoCE v1 entries (which rdma_cm does not use) take ` +
        `${full.map((p) => p.count.v1).join(', ')} slots`, evidence,
      `rdma-ts link set ${name(full[0])} roce-v1 off (needs kernel/roce-gid-types: no released kernel can turn v1 off); today: ` +
        `fewer IPs per port`);
  }
  return finding('gid-v1', 'ok', 'no GID table with v1 entries is full', evidence);
}

export function checkPorts(here: Session, devices: Device[]): Finding {
  if (!devices.length) return finding('ports', 'skip', 'no device visible');
  const rd = new RdmaClient(here);
  const evidence: string[] = [];
  const down: string[] = [];
  for (const d of devices) {
    for (let p = 1; p <= d.portCount; p++) {
      const port = getPort(rd, d.index, p);
      const state = portStateName(port.state);
      evidence.push(`${d.name}/${p}: ${state} (${physStateName(port.physState)})${port.netdev ? ` netdev ${port.netdev}` : ''}`);
      if (state !== 'ACTIVE') down.push(`${d.name}/${p} ${state}${port.netdev ? ` (netdev ${port.netdev})` : ''}`);
    }
  }
  if (down.length) return finding('ports', 'fail', `not up: ${down.join(', ')}`, evidence,
    'RoCE/iWARP: bring the netdev up (ip link set NETDEV up) and check the link; InfiniBand: the cable and the subnet manager');
  return finding('ports', 'ok', 'every port is ACTIVE', evidence);
}
