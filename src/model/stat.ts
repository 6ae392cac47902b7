// Counters (RDMA_NLDEV_CMD_STAT_*): per-port hardware counters, QP counter
// objects and their binding mode, optional counters.
import { Attrs, EncodeEntry } from '../protocol/codec.js';
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

/** STAT_HWCOUNTERS decodes as 'records' with exactly Counter's keys (protocol/nldev-schema.ts). */
export function toCounters(list: Counter[] | undefined): Counter[] {
  return list ?? [];
}

export function getPortCounters(rd: RdmaClient, devIndex: number, port: number): PortCounters {
  const tb = rd.doitOne(CMD.STAT_GET, [[A.DEV_INDEX, devIndex], [A.PORT_INDEX, port]]);
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
}

/** A STAT_COUNTER entry as the codec decodes it ('records', protocol/nldev-schema.ts). */
interface CounterRecord {
  port?: number;
  id: number;
  qpType?: number;
  pid?: number;
  comm?: string;
  counters?: Counter[];
  qps?: Array<{ lqpn: number }>;
}

export function dumpQpCounters(rd: RdmaClient, devIndex: number, port?: number): QpCounter[] {
  const attrs: [number, number][] = [[A.DEV_INDEX, devIndex]];
  if (port) attrs.push([A.PORT_INDEX, port]);
  attrs.push([A.STAT_RES, A.RES_QP]);
  const out: QpCounter[] = [];
  for (const tb of rd.dump(CMD.STAT_GET, attrs)) {
    for (const e of (tb[A.STAT_COUNTER] ?? []) as CounterRecord[]) {
      out.push({
        devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: e.port ?? tb[A.PORT_INDEX], id: e.id, qpType: e.qpType, pid: e.pid,
        comm: e.comm, counters: e.counters ?? [], lqpns: (e.qps ?? []).map((q) => q.lqpn),
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
  const tb = rd.doitOne(CMD.STAT_GET, [
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
  const tb = rd.doitOne(CMD.STAT_GET_STATUS, [[A.DEV_INDEX, devIndex], [A.PORT_INDEX, port]]);
  return { devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: tb[A.PORT_INDEX], counters: toCounters(tb[A.STAT_HWCOUNTERS]) };
}

/** STAT_GET with STAT_RES=RES_MR: per-MR counters (mlx5). */
export function dumpMrCounters(rd: RdmaClient, devIndex: number): Attrs[] {
  return rd.dump(CMD.STAT_GET, [[A.DEV_INDEX, devIndex], [A.STAT_RES, A.RES_MR]]);
}

/** The port a counter write addresses. */
export interface PortRef {
  devIndex: number;
  port: number;
}

const qpCounterTarget = (p: PortRef): EncodeEntry[] => [[A.DEV_INDEX, p.devIndex], [A.PORT_INDEX, p.port], [A.STAT_RES, A.RES_QP]];

/**
 * Auto mode: the kernel binds each new QP to a counter shared by QPs with the
 * same criteria (mask: AUTO_MASK bits; 0 turns auto mode off). `opcounters`
 * also enables the optional counters on those counters (STAT_OPCOUNTER_ENABLED, 6.15).
 */
export function setQpAutoMode(rd: RdmaClient, p: PortRef, mask: number, opcounters?: boolean): void {
  const attrs: EncodeEntry[] = [...qpCounterTarget(p), [A.STAT_MODE, STAT_MODE.AUTO], [A.STAT_AUTO_MODE_MASK, mask]];
  if (opcounters !== undefined) attrs.push([A.STAT_OPCOUNTER_ENABLED, opcounters ? 1 : 0]);
  rd.write(CMD.STAT_SET, attrs);
}

/** Manual mode: binds QP `lqpn` to counter `cntn`, or to a new counter when cntn is undefined. */
export function bindQp(rd: RdmaClient, p: PortRef, lqpn: number, cntn?: number): void {
  const attrs: EncodeEntry[] = [[A.STAT_MODE, STAT_MODE.MANUAL], ...qpCounterTarget(p), [A.RES_LQPN, lqpn]];
  if (cntn !== undefined) attrs.push([A.STAT_COUNTER_ID, cntn]);
  rd.write(CMD.STAT_SET, attrs);
}

export function unbindQp(rd: RdmaClient, p: PortRef, cntn: number, lqpn: number): void {
  rd.write(CMD.STAT_DEL, [[A.STAT_MODE, STAT_MODE.MANUAL], ...qpCounterTarget(p), [A.STAT_COUNTER_ID, cntn], [A.RES_LQPN, lqpn]]);
}

/** The QPs bound to one counter (STAT_GET doit with a COUNTER_ID). */
export function counterQps(rd: RdmaClient, p: PortRef, cntn: number): number[] {
  const tb = rd.doitOne(CMD.STAT_GET, [...qpCounterTarget(p), [A.STAT_COUNTER_ID, cntn]]);
  return ((tb[A.RES_QP] ?? []) as Attrs[]).map((q) => q[A.RES_LQPN]);
}

/**
 * Unbinds every QP of counter `cntn`, one STAT_DEL each (as rdmatool does).
 * All or nothing: if one fails, the QPs already unbound are bound back to the
 * counter (it still exists, since the failed QP keeps it referenced).
 */
export function unbindAll(rd: RdmaClient, p: PortRef, cntn: number, lqpns: number[]): void {
  const done: number[] = [];
  try {
    for (const q of lqpns) {
      unbindQp(rd, p, cntn, q);
      done.push(q);
    }
  } catch (e) {
    for (const q of done.reverse()) bindQp(rd, p, q, cntn);
    throw e;
  }
}

/** Enables exactly these optional counters (by STAT_HWCOUNTER_INDEX); an empty list disables all. */
export function setOptionalCounters(rd: RdmaClient, p: PortRef, indexes: number[]): void {
  rd.write(CMD.STAT_SET, [[A.DEV_INDEX, p.devIndex], [A.PORT_INDEX, p.port],
    [A.STAT_HWCOUNTERS, indexes.map((i): EncodeEntry => [A.STAT_HWCOUNTER_INDEX, i])]]);
}
