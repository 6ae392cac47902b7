import { Output } from './output.js';
import type { Device } from '../model/device.js';
import { nodeTypeName, formatGuid, devCapNames, DEV_TYPES } from '../protocol/enums.js';
import { printOnOff } from './fields.js';

/** `N: NAME: node_type ... ` (rdma dev show). */
export function printDevice(out: Output, d: Device, details: boolean): void {
  const l = out.opts.layout;
  out.openRecord();
  out.kv('ifindex', `${d.index}: `, d.index);
  out.kv('ifname', `${d.name}: `, d.name);
  if (d.nodeType !== undefined) out.kv('node_type', `node_type ${nodeTypeName(d.nodeType)} `, nodeTypeName(d.nodeType));
  if (l.devProtocol && d.protocol !== undefined) out.kv('protocol', `protocol ${d.protocol} `, d.protocol);
  if (d.fw !== undefined) out.kv('fw', `fw ${d.fw} `, d.fw);
  if (d.nodeGuid !== undefined) out.kv('node_guid', `node_guid ${formatGuid(d.nodeGuid)} `, formatGuid(d.nodeGuid));
  if (d.sysImageGuid !== undefined) {
    out.kv('sys_image_guid', `sys_image_guid ${formatGuid(d.sysImageGuid)} `, formatGuid(d.sysImageGuid));
  }
  if (l.devTypeParent) {
    if (d.type !== undefined) out.kv('type', `type ${DEV_TYPES[d.type] ?? 'unknown'} `, DEV_TYPES[d.type] ?? 'unknown');
    if (d.parent !== undefined) out.kv('parent', `parent ${d.parent} `, d.parent);
  }
  if (details) {
    printOnOff(out, 'adaptive-moderation', d.dim);
    if (d.caps !== undefined) printCaps(out, devCapNames(d.caps));
  }
  out.closeRecord();
}

/** `\n    caps: <A, B>` in text, a "caps" array in JSON. */
export function printCaps(out: Output, names: string[]): void {
  out.openArray('caps', `${out.sl}    caps: <`);
  names.forEach((n, i) => out.arrayItem(i < names.length - 1 ? `${n}, ` : n, n));
  out.closeArray('>');
}
