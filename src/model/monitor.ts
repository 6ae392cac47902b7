// RDMA device events (RDMA_NLDEV_CMD_MONITOR on multicast group
// RDMA_NL_GROUP_NOTIFY, Linux 6.13): device register/unregister/rename and
// netdev attach/detach/rename, sent into the namespace of the device.
import { decodeAttrs } from '../protocol/codec.js';
import { A, CMD, NLDEV_SCHEMA, RDMA_NL_GROUP_NOTIFY, nldevType } from '../protocol/nldev-schema.js';
import { Session } from '../transport/session.js';
import { Subscription } from '../transport/subscription.js';
import { getSystem } from './system.js';
import { RdmaClient } from './client.js';

/** enum rdma_nl_notify_event_type, by value. */
export const EVENT_NAMES = ['REGISTER', 'UNREGISTER', 'NETDEV_ATTACH', 'NETDEV_DETACH', 'RENAME', 'NETDEV_RENAME'];

export interface DeviceEvent {
  type: number;
  devIndex?: number;
  devName?: string;
  port?: number;
  netdevIndex?: number;
  netdevName?: string;
}

/** SYS_GET's MONITOR_MODE: set by kernels that send these events. */
export function monitorSupported(rd: RdmaClient): boolean {
  return !!getSystem(rd).monitorMode;
}

export class DeviceEvents {
  private readonly sub: Subscription;

  constructor(session: Session) {
    this.sub = session.subscribe('rdma', RDMA_NL_GROUP_NOTIFY);
  }

  /** Events that arrived within timeoutMs ([] if none); null when a replayed stream has ended. */
  next(timeoutMs: number): DeviceEvent[] | null {
    const msgs = this.sub.next(timeoutMs);
    if (msgs === null) return null;
    const out: DeviceEvent[] = [];
    for (const m of msgs) {
      if (m.type !== nldevType(CMD.MONITOR)) continue;
      const tb = decodeAttrs(NLDEV_SCHEMA, m.payload);
      if (tb[A.EVENT_TYPE] === undefined) continue; // rdmatool stops here; a stream should not
      out.push({
        type: tb[A.EVENT_TYPE], devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: tb[A.PORT_INDEX],
        netdevIndex: tb[A.NDEV_INDEX], netdevName: tb[A.NDEV_NAME],
      });
    }
    return out;
  }

  close(): void {
    this.sub.close();
  }
}
