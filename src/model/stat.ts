// Counters (RDMA_NLDEV_CMD_STAT_*): per-port hardware counters, QP counter
// objects and their binding mode, optional counters.
import { Attrs } from '../protocol/codec.js';
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';

export const STAT_MODE = { NONE: 0, AUTO: 1, MANUAL: 2 } as const;
export const AUTO_MASK = { QP_TYPE: 1, PID: 2 } as const;

export interface Counter {
  name: string;
  value: bigint;
  index?: number;
  dynamic?: number;
}

export interface PortCounters {
  devIndex: number;
  devName: string;
  port: number;
  counters: Counter[];
}

export function toCounters(list: Attrs[] | undefined): Counter[] {
  return (list ?? []).map((e) => ({
    name: e[A.STAT_HWCOUNTER_ENTRY_NAME],
    value: e[A.STAT_HWCOUNTER_ENTRY_VALUE],
    index: e[A.STAT_HWCOUNTER_INDEX],
    dynamic: e[A.STAT_HWCOUNTER_DYNAMIC],
  }));
}

export function getPortCounters(rd: RdmaClient, devIndex: number, port: number): PortCounters {
  const [tb] = rd.doit(CMD.STAT_GET, [[A.DEV_INDEX, devIndex], [A.PORT_INDEX, port]]);
  return { devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: tb[A.PORT_INDEX], counters: toCounters(tb[A.STAT_HWCOUNTERS]) };
}

export interface QpCounter {
  devIndex: number;
  devName: string;
  port?: number;
  id: number;
  qpType?: number;
  pid?: number;
  comm?: string;
  counters: Counter[];
  lqpns: number[];
  entry: Attrs;
}

export function dumpQpCounters(rd: RdmaClient, devIndex: number, port?: number): QpCounter[] {
  const attrs: [number, number][] = [[A.DEV_INDEX, devIndex]];
  if (port) attrs.push([A.PORT_INDEX, port]);
  attrs.push([A.STAT_RES, A.RES_QP]);
  const out: QpCounter[] = [];
  for (const tb of rd.dump(CMD.STAT_GET, attrs)) {
    for (const e of (tb[A.STAT_COUNTER] ?? []) as Attrs[]) {
      out.push({
        devIndex: tb[A.DEV_INDEX],
        devName: tb[A.DEV_NAME],
        port: e[A.PORT_INDEX] ?? tb[A.PORT_INDEX],
        id: e[A.STAT_COUNTER_ID],
        qpType: e[A.RES_TYPE],
        pid: e[A.RES_PID],
        comm: e[A.RES_KERN_NAME],
        counters: toCounters(e[A.STAT_HWCOUNTERS]),
        lqpns: ((e[A.RES_QP] ?? []) as Attrs[]).map((q) => q[A.RES_LQPN]),
        entry: e,
      });
    }
  }
  return out;
}

export interface QpCounterMode {
  devIndex: number;
  devName: string;
  port: number;
  mode: number;
  autoMask: number;
  opcounters?: number;
}

export function getQpCounterMode(rd: RdmaClient, devIndex: number, port: number): QpCounterMode {
  const [tb] = rd.doit(CMD.STAT_GET, [
    [A.DEV_INDEX, devIndex], [A.PORT_INDEX, port], [A.STAT_RES, A.RES_QP], [A.STAT_MODE, STAT_MODE.AUTO],
  ]);
  return {
    devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: tb[A.PORT_INDEX],
    mode: tb[A.STAT_MODE] ?? 0, autoMask: tb[A.STAT_AUTO_MODE_MASK] ?? 0, opcounters: tb[A.STAT_OPCOUNTER_ENABLED],
  };
}

export interface CounterStatus {
  devIndex: number;
  devName: string;
  port: number;
  counters: Counter[];
}

/** STAT_GET_STATUS (5.16+): every counter with its index and whether it is optional ("dynamic") and enabled. */
export function getCounterStatus(rd: RdmaClient, devIndex: number, port: number): CounterStatus {
  const [tb] = rd.doit(CMD.STAT_GET_STATUS, [[A.DEV_INDEX, devIndex], [A.PORT_INDEX, port]]);
  return { devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: tb[A.PORT_INDEX], counters: toCounters(tb[A.STAT_HWCOUNTERS]) };
}

/** STAT_GET with STAT_RES=RES_MR: per-MR counters (mlx5). */
export function dumpMrCounters(rd: RdmaClient, devIndex: number): Attrs[] {
  return rd.dump(CMD.STAT_GET, [[A.DEV_INDEX, devIndex], [A.STAT_RES, A.RES_MR]]);
}
