import { Output } from './output.js';
import type { Port } from '../model/port.js';
import { formatGuid, portStateName, physStateName, portCapNames } from '../protocol/enums.js';
import { printCaps } from './dev.js';
import { versionsOf } from '../model/gid-table.js';

/**
 * `roce-gid-types v2 ` (and with -d `roce-gid-types-supported v1,v2 `): the
 * proposed per-port attribute, where the kernel reports it (kernel/).
 */
function printRoceGidTypes(out: Output, p: Port, details: boolean): void {
  const list = (mask: number, key: string, label: string) => {
    const v = versionsOf(mask);
    out.openArray(key, `${label} `);
    v.forEach((x, i) => out.arrayItem(i < v.length - 1 ? `${x},` : `${x} `, x));
    out.closeArray();
  };
  list(p.roceGidTypes!, 'roce_gid_types', 'roce-gid-types');
  if (details && p.roceGidTypesCap !== undefined) list(p.roceGidTypesCap, 'roce_gid_types_supported', 'roce-gid-types-supported');
}

/** `link DEV/PORT subnet_prefix ... state ... netdev X ` (rdma link show). */
export function printPort(out: Output, p: Port, details: boolean): void {
  out.openRecord();
  out.jsonOnly('ifindex', p.devIndex);
  out.kv('ifname', `link ${p.devName}/`, p.devName);
  out.kv('port', `${p.port} `, p.port);
  if (p.subnetPrefix !== undefined) {
    out.kv('subnet_prefix', `subnet_prefix ${formatGuid(p.subnetPrefix)} `, formatGuid(p.subnetPrefix));
  }
  if (p.lid !== undefined) out.kv('lid', `lid ${p.lid} `, p.lid);
  if (p.smLid !== undefined) out.kv('sm_lid', `sm_lid ${p.smLid} `, p.smLid);
  if (p.lmc !== undefined) out.kv('lmc', `lmc ${p.lmc} `, p.lmc);
  if (p.state !== undefined) out.kv('state', `state ${portStateName(p.state)} `, portStateName(p.state));
  if (p.physState !== undefined) {
    out.kv('physical_state', `physical_state ${physStateName(p.physState)} `, physStateName(p.physState));
  }
  if (p.netdev !== undefined) {
    out.kv('netdev', `netdev ${p.netdev} `, p.netdev);
    if (p.netdevIndex !== undefined) {
      if (details) out.kv('netdev_index', `netdev_index ${p.netdevIndex} `, p.netdevIndex);
      else out.jsonOnly('netdev_index', p.netdevIndex);
    }
  }
  if (p.roceGidTypes !== undefined && out.opts.layout.roceGidTypes) printRoceGidTypes(out, p, details);
  if (details && p.caps !== undefined) printCaps(out, portCapNames(p.caps));
  out.closeRecord();
}
