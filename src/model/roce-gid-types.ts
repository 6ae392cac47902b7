// Per-port RoCE GID types: which of v1 and v2 ib_core makes entries of.
// No released kernel can change them; rdma-ts proposes the interface as an
// ib_core patch (kernel/roce-gid-types): RDMA_NLDEV_CMD_SET with DEV_INDEX,
// PORT_INDEX and RDMA_NLDEV_ATTR_ROCE_GID_TYPES, reported by PORT_GET.
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';
import { Port } from './port.js';
import { TYPE_BIT, versionsOf } from './gid-table.js';

/** A RoCE port: Ethernet link layer (sysfs, when visible) and not iWARP (siw is Ethernet too). */
export function isRoce(protocol: string | undefined, linkLayer: string | undefined): boolean {
  return linkLayer !== undefined ? linkLayer === 'Ethernet' && protocol !== 'iw' : protocol === 'roce';
}

export type RoceV1Change = 'on' | 'off';

/** The mask `roce-v1 on|off` asks for: the enabled types (or, unreported, all the port can have) with v1 set or cleared. */
export function maskForV1(port: Port, change: RoceV1Change): number {
  const cap = port.roceGidTypesCap ?? TYPE_BIT.v1 | TYPE_BIT.v2;
  const now = port.roceGidTypes ?? cap;
  return change === 'off' ? now & ~TYPE_BIT.v1 : now | TYPE_BIT.v1;
}

/** Why a port cannot take `mask`, or undefined. */
export function refuseMask(port: Port, mask: number): string | undefined {
  const cap = port.roceGidTypesCap;
  if (cap !== undefined && mask & ~cap) return `${port.devName}/${port.port} has no RoCE ${versionsOf(mask & ~cap).join(', ')} ` +
    `(it supports ${versionsOf(cap).join(', ') || 'none'})`;
  if (!mask) return `${port.devName}/${port.port} would have no GID type left (it supports ` +
    `${versionsOf(cap ?? 0).join(', ') || 'none'}): ib_core needs at least one`;
  return undefined;
}

export function setRoceGidTypes(rd: RdmaClient, port: Port, mask: number): void {
  rd.write(CMD.SET, [[A.DEV_INDEX, port.devIndex], [A.PORT_INDEX, port.port], [A.ROCE_GID_TYPES, mask]]);
}

/** The error for a kernel without the interface: what is missing, the patch, and what works today. */
export function noInterfaceMessage(target: string): string {
  return [
    `rdma-ts: ${target}: this kernel cannot turn RoCE v1 GIDs off or on.`,
    '  No released Linux kernel has a per-port GID type control: ib_core gives every IP one entry per type',
    '  the driver advertises (roce_gid_mgmt.c, roce_gid_type_mask_support), and nothing changes that at run time.',
    '  rdma-ts proposes the interface as an ib_core patch series: kernel/roce-gid-types/ (RDMA_NLDEV_ATTR_ROCE_GID_TYPES,',
    '  set through RDMA_NLDEV_CMD_SET); kernel/README.md says how to build it for your kernel.',
    `  What works today: \`rdma-ts link set ${target} cm-roce-mode v2\` makes rdma_cm pick the v2 GIDs (it frees no entries),`,
    `  and \`rdma-ts gid show ${target}\` shows how full the table is and which IPs got no GID.`,
  ].join('\n');
}
