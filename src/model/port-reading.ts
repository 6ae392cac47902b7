// One port's reading: state, netdev, and its counters from PMA (sysfs), the
// driver (STAT_GET, or sysfs hw_counters/) and, without PMA data counters,
// the netdev (IFLA_STATS64 in the netdev's namespace). Slow counters are read
// on census samples and carried in between (see PMA_EVERY_SAMPLE).
import { Session } from '../transport/session.js';
import { NetlinkError } from '../transport/errors.js';
import { getLinkStats } from '../protocol/rtnl.js';
import { portStateName, physStateName } from '../protocol/enums.js';
import { RdmaClient } from './client.js';
import type { Device } from './device.js';
import { getPort, Port } from './port.js';
import { getPortCounters, QpCounterMode } from './stat.js';
import { CounterSource, counterSpec } from './counter-spec.js';
import { readSysfsCounters, readPortState, SysfsDevice, SysfsPortInfo } from './sysfs.js';
import type { NetnsRef } from './netns-scope.js';
import { Reading, reading } from './reading.js';

/**
 * PMA counters read every sample: a port's traffic. The others (errors,
 * discards, waits) are read on census samples and carried in between: on a
 * HCA each PMA file read is a MAD to the firmware.
 */
export const PMA_EVERY_SAMPLE = new Set(['port_xmit_data', 'port_rcv_data', 'port_xmit_packets', 'port_rcv_packets']);

export interface PortReading {
  /** `DEVINDEX/PORT`: what identifies the port from one sample to the next. */
  key: string;
  netns: NetnsRef;
  devIndex: number;
  dev: string;
  port: number;
  state?: string;
  physState?: string;
  /** sysfs `rate` (e.g. "100 Gb/sec (4X EDR)"), when sysfs shows the device. */
  linkRate?: string;
  linkLayer?: string;
  netdev?: string;
  /** A software device (rxe, siw); undefined when sysfs does not show the device. */
  soft?: boolean;
  driver?: string;
  counters: Reading[];
  /** The QP counter mode (from the last census). */
  qpMode?: QpCounterMode;
  /** The driver has port counters (STAT_GET or hw_counters/); without them it has no QP counters either. */
  driverCounters: boolean;
  /** Why something is missing (a refused STAT_GET, an unreadable netdev). */
  notes: string[];
}

/** What reading a port needs from the sampler. */
export interface PortContext {
  session: Session;
  scopeSession(scope: NetnsRef): Session;
  mode(devIndex: number, port: number): QpCounterMode | undefined;
}

export interface DeviceFacts {
  sysfs?: SysfsDevice;
  ports: Map<number, SysfsPortInfo>;
  /** The last PORT_GET of each port (its netdev): taken again at the next census. */
  portGets: Map<number, Port>;
  /** Per port, the counters read on census samples, carried until the next one. */
  slow: Map<number, SlowGroup>;
}

/** Counters read on census samples and carried in between, with what their reading found. */
interface SlowGroup {
  readings: Reading[];
  notes: string[];
  driverCounters: boolean;
}

/** The netdev counters top reads (of IFLA_STATS64's 25): traffic, errors, drops. */
const NETDEV_COUNTERS = ['rx_bytes', 'tx_bytes', 'rx_packets', 'tx_packets', 'rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped'];

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isKernelRefusal = (e: unknown) => e instanceof NetlinkError;

export function readPort(ctx: PortContext, rd: RdmaClient, scope: NetnsRef, dev: Device, port: number, facts: DeviceFacts,
  mono: bigint, census: boolean): PortReading {
  const notes: string[] = [];
  const info = facts.ports.get(port);
  const driver = facts.sysfs?.driver;
  const r: PortReading = {
    key: `${dev.index}/${port}`, netns: scope, devIndex: dev.index, dev: dev.name, port,
    linkRate: info?.rate, linkLayer: info?.linkLayer, soft: facts.sysfs?.soft, driver, counters: [], notes, driverCounters: true,
    qpMode: ctx.mode(dev.index, port),
  };
  const p = portState(ctx, rd, dev, port, facts, notes);
  r.state = p && portStateName(p.state);
  r.physState = p && physStateName(p.physState);
  r.netdev = p?.netdev;
  const netdevIndex = p?.netdevIndex;
  const read = (source: CounterSource, values: Array<[string, bigint]>, pmaExtended = false) =>
    values.map(([name, raw]) => reading(name, source, raw, counterSpec(name, source, { driver, pmaExtended, value: raw }), mono));
  const pma = info?.pma;
  const pmaBytes = !!pma?.names.includes('port_rcv_data');
  if (pma) r.counters.push(...read('pma', readSysfsCounters(ctx.session, pma.every), info.pmaExtended));
  // The slow group: other PMA counters, and the driver's where PMA already gives the traffic.
  let slow = facts.slow.get(port);
  if (census || !slow) {
    slow = { readings: pma ? read('pma', readSysfsCounters(ctx.session, pma.slow), info.pmaExtended) : [], notes: [],
      driverCounters: true };
    if (pmaBytes) readDriverCounters(ctx, rd, dev, port, info, read, slow);
    facts.slow.set(port, slow);
  }
  r.counters.push(...slow.readings);
  notes.push(...slow.notes);
  r.driverCounters = slow.driverCounters;
  if (!pmaBytes) {
    const every = { readings: r.counters, notes, driverCounters: true };
    readDriverCounters(ctx, rd, dev, port, info, read, every);
    r.driverCounters = every.driverCounters;
  }
  // Without PMA data counters the bytes come from the netdev (in this namespace: the kernel
  // names the netdev only to a socket in the netdev's own namespace).
  if (!pmaBytes && netdevIndex !== undefined) {
    const stats = getLinkStats(ctx.scopeSession(scope), netdevIndex);
    if (stats) r.counters.push(...read('netdev', NETDEV_COUNTERS.filter((n) => stats.stats.has(n)).map((n) => [n,
      stats.stats.get(n)!] as [string, bigint])));
    else notes.push(`netdev ${r.netdev ?? netdevIndex} is gone`);
  } else if (!pmaBytes) notes.push('no byte counters: no PMA data counters and no netdev in this namespace');
  return r;
}

/** The driver's port counters: STAT_GET, else sysfs hw_counters/, else a note that there are none. */
function readDriverCounters(ctx: PortContext, rd: RdmaClient, dev: Device, port: number, info: SysfsPortInfo | undefined,
  read: (source: CounterSource, values: Array<[string, bigint]>) => Reading[], into: SlowGroup): void {
  try {
    into.readings.push(...read('netlink', getPortCounters(rd, dev.index, port).counters.map((c) => [c.name, c.value] as [string, bigint])));
  } catch (e) {
    if (!isKernelRefusal(e)) throw e;
    if (info?.hw.names.length) into.readings.push(...read('hw', readSysfsCounters(ctx.session, info.hw)));
    else {
      into.driverCounters = false;
      into.notes.push(`no driver counters (STAT_GET: ${errorText(e).replace(/^[^:]*: /, '')})`);
    }
  }
}

/**
 * The port's state and netdev. PORT_GET on census samples (and always for a
 * device sysfs does not show); in between, the state from sysfs (a pread
 * instead of a netlink round trip) with the netdev of the last PORT_GET.
 */
function portState(ctx: PortContext, rd: RdmaClient, dev: Device, port: number, facts: DeviceFacts, notes: string[]): Port | undefined {
  const last = facts.portGets.get(port);
  if (last && facts.sysfs) {
    const st = readPortState(ctx.session, dev.name, port);
    if (st) return { ...last, state: st.state, physState: st.physState };
  }
  try {
    const p = getPort(rd, dev.index, port);
    facts.portGets.set(port, p);
    return p;
  } catch (e) {
    if (!isKernelRefusal(e)) throw e;
    notes.push(`PORT_GET refused: ${errorText(e)}`);
    return undefined;
  }
}
