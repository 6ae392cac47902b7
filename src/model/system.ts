// RDMA subsystem settings (RDMA_NLDEV_CMD_SYS_GET).
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';

export interface SystemSettings {
  /** 0 exclusive, 1 shared. */
  netnsMode?: number;
  privilegedQkey?: number;
  copyOnFork?: number;
  /** Present on kernels (6.13+) that can send monitor events. */
  monitorMode?: number;
}

export function getSystem(rd: RdmaClient): SystemSettings {
  const tb = rd.doitOne(CMD.SYS_GET);
  return {
    netnsMode: tb[A.SYS_ATTR_NETNS_MODE],
    privilegedQkey: tb[A.SYS_ATTR_PRIVILEGED_QKEY_MODE],
    copyOnFork: tb?.[A.SYS_ATTR_COPY_ON_FORK],
    monitorMode: tb?.[A.SYS_ATTR_MONITOR_MODE],
  };
}

/** NETNS_MODE: 1 shared (every device visible in every netns), 0 exclusive. */
export const NETNS_MODES: Record<string, number> = { shared: 1, exclusive: 0 };

export function setNetnsMode(rd: RdmaClient, mode: number): void {
  rd.write(CMD.SYS_SET, [[A.SYS_ATTR_NETNS_MODE, mode]]);
}

export function setPrivilegedQkey(rd: RdmaClient, on: boolean): void {
  rd.write(CMD.SYS_SET, [[A.SYS_ATTR_PRIVILEGED_QKEY_MODE, on ? 1 : 0]]);
}
