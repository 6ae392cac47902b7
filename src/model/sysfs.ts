// What /sys/class/infiniband says about a device and its ports: the PMA
// counters (counters/), the driver counters (hw_counters/), the link rate,
// the driver and whether the device is software. Every read goes through the
// session, so it is recorded and replayed.
//
// sysfs shows the RDMA devices of the network namespace it was mounted in
// (ib_core tags its class directory by netns), so a device in another
// namespace is absent here even though netlink reaches it: callers fall back
// to netlink for those.
import { Session } from '../transport/session.js';

/** RDMA_TS_SYSFS moves the sysfs root (the benchmark's synthetic 64-port host). */
export const IB_SYSFS = `${process.env.RDMA_TS_SYSFS ?? '/sys'}/class/infiniband`;

export interface SysfsDevice {
  name: string;
  /** Kernel driver bound to the parent device (mlx5_core); undefined for software devices. */
  driver?: string;
  /** A software device (rxe, siw): its netdev carries its RDMA traffic. */
  soft: boolean;
}

/** The device as this process's sysfs shows it, or undefined when it does not. */
export function sysfsDevice(session: Session, name: string): SysfsDevice | undefined {
  const target = session.readHostLink(`${IB_SYSFS}/${name}`);
  if (target === undefined) return undefined;
  const driver = session.readHostLink(`${IB_SYSFS}/${name}/device/driver`);
  return { name, driver: driver?.split('/').pop(), soft: target.includes('/devices/virtual/') };
}

/** A port's counter files of one group: names and their paths (built once, read every sample). */
export interface CounterFiles {
  names: string[];
  paths: string[];
}

/** PMA counter files split by how often they are read (the sampler decides which). */
export interface PmaFiles extends CounterFiles {
  every: CounterFiles;
  slow: CounterFiles;
}

export interface SysfsPortInfo {
  /** `rate`, e.g. "100 Gb/sec (4X EDR)". */
  rate?: string;
  linkLayer?: string;
  /** counters/ (PMA); undefined when the port has none (rxe, siw). */
  pma?: PmaFiles;
  /** PortCountersExtended: 64-bit data counters (the unicast/multicast files exist). */
  pmaExtended: boolean;
  /** hw_counters/, without `lifespan`. */
  hw: CounterFiles;
}

function counterFiles(dir: string, names: string[]): CounterFiles {
  return { names, paths: names.map((n) => `${dir}/${n}`) };
}

const trim = (s: string | undefined) => s?.replace(/\n$/, '');

/** The port's static facts: rate, link layer and which counter files exist (read once per device). */
export function sysfsPortInfo(session: Session, dev: string, port: number, everySample: (pmaName: string) => boolean): SysfsPortInfo {
  const dir = `${IB_SYSFS}/${dev}/ports/${port}`;
  const pma = session.readHostDir(`${dir}/counters`) ?? [];
  const files = (names: string[]) => counterFiles(`${dir}/counters`, names);
  return {
    rate: trim(session.readHostFile(`${dir}/rate`)),
    linkLayer: trim(session.readHostFile(`${dir}/link_layer`)),
    pma: pma.length ? { ...files(pma), every: files(pma.filter(everySample)), slow: files(pma.filter((n) => !everySample(n))) } : undefined,
    pmaExtended: pma.includes('unicast_xmit_packets'),
    hw: counterFiles(`${dir}/hw_counters`, (session.readHostDir(`${dir}/hw_counters`) ?? []).filter((n) => n !== 'lifespan')),
  };
}

/** A counter file's value: decimal digits and a newline; anything else (`N/A (no PMA)`) is no value. */
function parseCounter(text: string): bigint | undefined {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 32)) end--;
  if (end === 0 || end > 20) return undefined;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  // Up to 15 digits fit a double exactly: the cheap conversion.
  return end <= 15 ? BigInt(Number(text.slice(0, end))) : BigInt(text.slice(0, end));
}

/** Reads a port's counter files; unreadable files (a PMA MAD that failed) are left out. */
export function readSysfsCounters(session: Session, files: CounterFiles): Array<[string, bigint]> {
  const out: Array<[string, bigint]> = [];
  for (let i = 0; i < files.paths.length; i++) {
    const text = session.readHostFile(files.paths[i], true);
    const v = text === undefined ? undefined : parseCounter(text);
    if (v !== undefined) out.push([files.names[i], v]);
  }
  return out;
}

/** ports/P/state and phys_state ("4: ACTIVE", "5: LinkUp"): the numbers PORT_GET also reports. */
export function readPortState(session: Session, dev: string, port: number): { state: number; physState: number } | undefined {
  const dir = `${IB_SYSFS}/${dev}/ports/${port}`;
  const num = (file: string) => {
    const m = /^(\d+):/.exec(session.readHostFile(`${dir}/${file}`, true) ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const state = num('state');
  const physState = num('phys_state');
  return state === undefined || physState === undefined ? undefined : { state, physState };
}
