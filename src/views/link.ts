import { Output } from './output.js';
import type { Port } from '../model/port.js';
import { formatGuid, portStateName, physStateName, portCapNames } from '../protocol/enums.js';
import { printCaps } from './dev.js';

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
  if (details && p.caps !== undefined) printCaps(out, portCapNames(p.caps));
  out.closeRecord();
}
