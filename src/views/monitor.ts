// One line per device event. Text is rdmatool's (monitor.c): `[TYPE]\t`, then
// `dev N NAME`, ` port N`, ` netdev N NAME` for what the event carries. JSON
// keeps rdmatool's keys and values but prints one object per line (JSON
// Lines), because a stream has no end at which to close an array.
import { DeviceEvent, EVENT_NAMES } from '../model/monitor.js';

export function eventTypeName(type: number): string {
  const name = EVENT_NAMES[type];
  return name ? `[${name}]` : `[UNKNOWN 0x${type.toString(16).padStart(2, '0')}]`;
}

export function formatEvent(e: DeviceEvent, json: boolean): string {
  if (json) {
    const o: Record<string, string | number> = { event_type: eventTypeName(e.type) };
    if (e.devIndex !== undefined) o.rdma_index = e.devIndex;
    if (e.devName !== undefined) o.rdma_dev = e.devName;
    if (e.port !== undefined) o.port = e.port;
    if (e.netdevIndex !== undefined) o.netdev_idx = e.netdevIndex;
    if (e.netdevName !== undefined) o.netdev_name = e.netdevName;
    return `${JSON.stringify(o)}\n`;
  }
  let s = `${eventTypeName(e.type)}\t`;
  if (e.devIndex !== undefined) s += `dev ${e.devIndex}`;
  if (e.devName !== undefined) s += ` ${e.devName}`;
  if (e.port !== undefined) s += ` port ${e.port}`;
  if (e.netdevIndex !== undefined) s += ` netdev ${e.netdevIndex}`;
  if (e.netdevName !== undefined) s += ` ${e.netdevName}`;
  return `${s}\n`;
}
