// One line per device event. Text is rdmatool's (monitor.c): `[TYPE]\t`, then
// `dev N NAME`, ` port N`, ` netdev N NAME` for what the event carries. JSON
// keeps rdmatool's keys and values but prints one object per line (JSON
// Lines), because a stream has no end at which to close an array.
import { DeviceEvent, EVENT_NAMES } from '../model/monitor.js';

export function eventTypeName(type: number): string {
  const name = EVENT_NAMES[type];
  return name ? `[${name}]` : `[UNKNOWN 0x${type.toString(16).padStart(2, '0')}]`;
}

/** What an event may carry, in rdmatool's order: field, JSON key, text. */
const FIELDS: Array<[keyof DeviceEvent, string, (v: string | number) => string]> = [
  ['devIndex', 'rdma_index', (v) => `dev ${v}`], ['devName', 'rdma_dev', (v) => ` ${v}`], ['port', 'port', (v) => ` port ${v}`],
  ['netdevIndex', 'netdev_idx', (v) => ` netdev ${v}`], ['netdevName', 'netdev_name', (v) => ` ${v}`],
];

export function formatEvent(e: DeviceEvent, json: boolean): string {
  const present = FIELDS.filter(([f]) => e[f] !== undefined);
  if (json) {
    const o: Record<string, string | number> = { event_type: eventTypeName(e.type) };
    for (const [f, key] of present) o[key] = e[f]!;
    return `${JSON.stringify(o)}\n`;
  }
  return `${eventTypeName(e.type)}\t${present.map(([f, , text]) => text(e[f]!)).join('')}\n`;
}
