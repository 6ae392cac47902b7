// One reading of every counter `top` shows, taken every interval: per port
// (PMA and driver counters, the netdev's bytes where the port has no PMA data
// counters), every bound QP counter, and, every few samples, a census of what
// changes slowly (namespaces, counter modes, who owns which QPs/MRs/CQs).
// The clock is read through the session, so a replay computes the same rates.
import { Session } from '../transport/session.js';
import { NetlinkError, TransportError, NetnsError } from '../transport/errors.js';
import { getLinkStats } from '../protocol/rtnl.js';
import { portStateName, physStateName, qpTypeName } from '../protocol/enums.js';
import { RdmaClient } from './client.js';
import { Device, dumpDevices } from './device.js';
import { getPort, Port } from './port.js';
import { getPortCounters, dumpQpCounters, getQpCounterMode, QpCounterMode, STAT_MODE } from './stat.js';
import { getSystem } from './system.js';
import { RESOURCE_KINDS, eachResource, ownerOf } from './resource.js';
import { CounterSource, CounterSpec, counterSpec } from './counter-spec.js';
import type { RateMark } from './rates.js';
import { sysfsDevice, sysfsPortInfo, readSysfsCounters, readPortState, SysfsDevice, SysfsPortInfo } from './sysfs.js';
import { Attributor, Attribution } from './attribution.js';
import { NetnsRef, ownScope, allScopes } from './netns-scope.js';

export interface Reading {
  name: string;
  source: CounterSource;
  /** As the kernel reports it. */
  raw: bigint;
  spec: CounterSpec;
  /** Monotonic ns of the sample that read it (a slow counter is carried between its reads). */
  at: bigint;
  /** Per second since the previous read of it, filled in by observe(); null until then or without one. */
  rate: number | null;
  mark?: RateMark;
}

/** A reading as the kernel gave it, before rates. */
export const reading = (name: string, source: CounterSource, raw: bigint, spec: CounterSpec, at: bigint): Reading => ({ name, source, raw, spec, at, rate: null, mark: undefined });

/**
 * PMA counters read every sample: a port's traffic. The others (errors,
 * discards, waits) are read on census samples and carried in between: on a
 * HCA each PMA file read is a MAD to the firmware.
 */
const PMA_EVERY_SAMPLE = new Set(['port_xmit_data', 'port_rcv_data', 'port_xmit_packets', 'port_rcv_packets']);

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

export interface BoundCounter {
  /** `DEVINDEX/PORT/CNTN/PID`: a counter id reused by another process is another counter. */
  key: string;
  netns: NetnsRef;
  devIndex: number;
  dev: string;
  port: number;
  cntn: number;
  pid?: number;
  comm?: string;
  qpType?: string;
  lqpns: number[];
  counters: Reading[];
  owner?: Attribution;
}

/** One process's (or kernel consumer's) RDMA objects, from the last census. */
export interface ProcessCensus {
  pid?: number;
  /** comm, or the kernel consumer's name for kernel objects. */
  comm?: string;
  kernel: boolean;
  netns?: string;
  qps: number;
  mrs: number;
  cqs: number;
  devices: string[];
  owner?: Attribution;
}

export interface Sample {
  /** 1, 2, ... */
  seq: number;
  /** Monotonic ns and wall ms at the start of the reading. */
  mono: bigint;
  wall: number;
  scopes: NetnsRef[];
  netnsMode?: 'shared' | 'exclusive';
  ports: PortReading[];
  counters: BoundCounter[];
  processes: ProcessCensus[];
  /** Problems that did not stop the reading (a namespace that vanished). */
  problems: string[];
}

/**
 * What a reading must include beyond the ports (what the shown views need):
 * bound QP counters (Counters, Processes) and the census of who owns which
 * QPs/MRs/CQs (Processes, Namespaces). Reading only what is shown is most of
 * top's economy: at scale the counters are ~1 MB a second to decode.
 */
export interface SampleWants {
  counters: boolean;
  owners: boolean;
}
export const WANT_ALL: SampleWants = { counters: true, owners: true };

export interface SamplerOptions {
  /** -n NS: one namespace other than the caller's own. */
  netns?: string;
  /** --all-netns: every named and unnamed namespace. */
  allNetns: boolean;
  /** A census every this many samples (namespaces, modes, device facts, owners; default 5). */
  censusEvery?: number;
}

interface DeviceFacts {
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

export class Sampler {
  private seq = 0;
  private scopes: NetnsRef[] = [];
  private netnsMode?: 'shared' | 'exclusive';
  private facts = new Map<string, DeviceFacts>();
  private modes = new Map<string, QpCounterMode>();
  private processes: ProcessCensus[] = [];
  /** Sample number of the last owners census (0: none yet). */
  private ownersAt = 0;
  private attributor?: Attributor;
  private readonly censusEvery: number;

  constructor(private readonly session: Session, private readonly opts: SamplerOptions) {
    this.censusEvery = opts.censusEvery ?? 5;
  }

  /** The next reading; undefined when a replayed session has no more. */
  sample(wants: SampleWants = WANT_ALL): Sample | undefined {
    const clock = this.session.clock();
    if (!clock) return undefined;
    const seq = ++this.seq;
    const census = (seq - 1) % this.censusEvery === 0;
    const problems: string[] = [];
    if (census) this.refresh(problems);
    // Owners on the census beat, or at once when a view first needs them.
    if (wants.owners && (census || !this.ownersAt || seq - this.ownersAt >= this.censusEvery)) this.takeOwners(problems, seq);
    const ports: PortReading[] = [];
    const counters: BoundCounter[] = [];
    const seen = new Set<number>();
    this.forEachDevice(problems, (rd, dev, scope) => {
      if (seen.has(dev.index)) return; // shared mode: the same device in every namespace
      seen.add(dev.index);
      const facts = this.deviceFacts(dev, census);
      for (let p = 1; p <= dev.portCount; p++) ports.push(this.readPort(rd, scope, dev, p, facts, clock.mono, census));
      if (wants.counters && this.hasCounters(dev)) counters.push(...this.readCounters(rd, scope, dev, problems, clock.mono));
    });
    return {
      seq, mono: clock.mono, wall: clock.wall, scopes: this.scopes, netnsMode: this.netnsMode,
      ports, counters, processes: this.processes, problems,
    };
  }

  /** Where devices are read: in shared mode every namespace sees the same devices, so only the first. */
  private deviceScopes(): NetnsRef[] {
    return this.netnsMode === 'shared' ? this.scopes.slice(0, 1) : this.scopes;
  }

  private scopeSession(scope: NetnsRef): Session {
    return scope.path === this.session.netns ? this.session : this.session.inNetns(scope.path);
  }

  /** What changes slowly and costs little: the namespaces, the netns mode, counter modes, device facts. */
  private refresh(problems: string[]): void {
    const s = this.session;
    this.scopes = this.opts.allNetns ? allScopes(s) : [ownScope(s, this.opts.netns)];
    try {
      const mode = getSystem(new RdmaClient(s)).netnsMode;
      this.netnsMode = mode === 1 ? 'shared' : mode === 0 ? 'exclusive' : undefined;
    } catch (e) {
      if (!isKernelRefusal(e)) throw e;
      this.netnsMode = undefined;
    }
    this.facts.clear();
    this.modes.clear();
    this.attributor = new Attributor(s);
    this.forEachDevice(problems, (rd, dev) => {
      for (let p = 1; p <= dev.portCount; p++) {
        try {
          this.modes.set(`${dev.index}/${p}`, getQpCounterMode(rd, dev.index, p));
        } catch (e) {
          if (!isKernelRefusal(e)) throw e;
        }
      }
    });
  }

  /** Who owns which QPs, MRs and CQs: full resource dumps, so only when a view shows them. */
  private takeOwners(problems: string[], seq: number): void {
    this.ownersAt = seq;
    const labelOf = new Map(this.scopes.map((x) => [x.inode, x.label]));
    const byOwner = new Map<string, ProcessCensus>();
    this.forEachDevice(problems, (rd, dev, scope) => {
      for (const [kind, field] of [['qp', 'qps'], ['mr', 'mrs'], ['cq', 'cqs']] as const) {
        try {
          eachResource(rd, RESOURCE_KINDS[kind], { devIndex: dev.index }, (r) => {
            const o = ownerOf(r);
            const key = o.pid !== undefined ? `pid ${o.pid}` : `kernel ${o.kernel ?? '?'}`;
            let c = byOwner.get(key);
            if (!c) {
              const owner = o.pid !== undefined ? this.attributor!.of(o.pid) : undefined;
              c = {
                pid: o.pid, comm: owner?.comm ?? o.kernel, kernel: o.pid === undefined, owner,
                netns: owner?.netnsInode !== undefined ? labelOf.get(owner.netnsInode) ?? `net:[${owner.netnsInode}]` : scope.label,
                qps: 0, mrs: 0, cqs: 0, devices: [],
              };
              byOwner.set(key, c);
            }
            c[field]++;
            if (!c.devices.includes(dev.name)) c.devices.push(dev.name);
          });
        } catch (e) {
          if (!isKernelRefusal(e)) throw e;
          problems.push(`${dev.name}: ${kind} dump refused: ${errorText(e)}`);
        }
      }
    });
    this.processes = [...byOwner.values()];
  }

  /** Every device of the namespaces devices are read in (a vanished namespace is a problem, not an error). */
  private forEachDevice(problems: string[], fn: (rd: RdmaClient, dev: Device, scope: NetnsRef) => void): void {
    for (const scope of this.deviceScopes()) {
      const rd = new RdmaClient(this.scopeSession(scope));
      let devices: Device[];
      try {
        devices = dumpDevices(rd);
      } catch (e) {
        if (!(e instanceof NetnsError || e instanceof TransportError || isKernelRefusal(e))) throw e;
        problems.push(`netns ${scope.label}: ${errorText(e)}`);
        continue;
      }
      for (const dev of devices) fn(rd, dev, scope);
    }
  }

  private deviceFacts(dev: Device, census: boolean): DeviceFacts {
    const key = `${dev.index}:${dev.name}`;
    let f = this.facts.get(key);
    if (!f || census) {
      const sysfs = sysfsDevice(this.session, dev.name);
      f = { sysfs, ports: new Map(), portGets: new Map(), slow: new Map() };
      if (sysfs) for (let p = 1; p <= dev.portCount; p++) f.ports.set(p, sysfsPortInfo(this.session, dev.name, p, (n) => PMA_EVERY_SAMPLE.has(n)));
      this.facts.set(key, f);
    }
    return f;
  }

  /** Whether a device can have bound counters: some port not in mode NONE (auto or manual). */
  private hasCounters(dev: Device): boolean {
    for (let p = 1; p <= dev.portCount; p++) {
      const m = this.modes.get(`${dev.index}/${p}`);
      if (!m || m.mode !== STAT_MODE.NONE) return true;
    }
    return false;
  }

  private readPort(rd: RdmaClient, scope: NetnsRef, dev: Device, port: number, facts: DeviceFacts, mono: bigint, census: boolean): PortReading {
    const notes: string[] = [];
    const info = facts.ports.get(port);
    const driver = facts.sysfs?.driver;
    const r: PortReading = {
      key: `${dev.index}/${port}`, netns: scope, devIndex: dev.index, dev: dev.name, port,
      linkRate: info?.rate, linkLayer: info?.linkLayer, soft: facts.sysfs?.soft, driver, counters: [], notes, driverCounters: true,
      qpMode: this.modes.get(`${dev.index}/${port}`),
    };
    const p = this.portState(rd, dev, port, facts, notes);
    r.state = p && portStateName(p.state);
    r.physState = p && physStateName(p.physState);
    r.netdev = p?.netdev;
    const netdevIndex = p?.netdevIndex;
    const read = (source: CounterSource, values: Array<[string, bigint]>, pmaExtended = false) =>
      values.map(([name, raw]) => reading(name, source, raw, counterSpec(name, source, { driver, pmaExtended, value: raw }), mono));
    const pma = info?.pma;
    const pmaBytes = !!pma?.names.includes('port_rcv_data');
    if (pma) r.counters.push(...read('pma', readSysfsCounters(this.session, pma.every), info.pmaExtended));
    // The slow group: other PMA counters, and the driver's where PMA already gives the traffic.
    let slow = facts.slow.get(port);
    if (census || !slow) {
      slow = { readings: pma ? read('pma', readSysfsCounters(this.session, pma.slow), info.pmaExtended) : [], notes: [], driverCounters: true };
      if (pmaBytes) this.readDriverCounters(rd, dev, port, info, read, slow);
      facts.slow.set(port, slow);
    }
    r.counters.push(...slow.readings);
    notes.push(...slow.notes);
    r.driverCounters = slow.driverCounters;
    if (!pmaBytes) {
      const every = { readings: r.counters, notes, driverCounters: true };
      this.readDriverCounters(rd, dev, port, info, read, every);
      r.driverCounters = every.driverCounters;
    }
    // Without PMA data counters the bytes come from the netdev (in this namespace: the kernel
    // names the netdev only to a socket in the netdev's own namespace).
    if (!pmaBytes && netdevIndex !== undefined) {
      const stats = getLinkStats(this.scopeSession(scope), netdevIndex);
      if (stats) r.counters.push(...read('netdev', NETDEV_COUNTERS.filter((n) => stats.stats.has(n)).map((n) => [n, stats.stats.get(n)!] as [string, bigint])));
      else notes.push(`netdev ${r.netdev ?? netdevIndex} is gone`);
    } else if (!pmaBytes) notes.push('no byte counters: no PMA data counters and no netdev in this namespace');
    return r;
  }

  /** The driver's port counters: STAT_GET, else sysfs hw_counters/, else a note that there are none. */
  private readDriverCounters(rd: RdmaClient, dev: Device, port: number, info: SysfsPortInfo | undefined,
    read: (source: CounterSource, values: Array<[string, bigint]>) => Reading[], into: SlowGroup): void {
    try {
      into.readings.push(...read('netlink', getPortCounters(rd, dev.index, port).counters.map((c) => [c.name, c.value] as [string, bigint])));
    } catch (e) {
      if (!isKernelRefusal(e)) throw e;
      if (info?.hw.names.length) into.readings.push(...read('hw', readSysfsCounters(this.session, info.hw)));
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
  private portState(rd: RdmaClient, dev: Device, port: number, facts: DeviceFacts, notes: string[]): Port | undefined {
    const last = facts.portGets.get(port);
    if (last && facts.sysfs) {
      const st = readPortState(this.session, dev.name, port);
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

  private readCounters(rd: RdmaClient, scope: NetnsRef, dev: Device, problems: string[], mono: bigint): BoundCounter[] {
    let list;
    try {
      list = dumpQpCounters(rd, dev.index);
    } catch (e) {
      if (!isKernelRefusal(e)) throw e;
      problems.push(`${dev.name}: QP counters refused: ${errorText(e)}`);
      return [];
    }
    const driver = this.facts.get(`${dev.index}:${dev.name}`)?.sysfs?.driver;
    return list.map((c) => {
      const owner = c.pid !== undefined ? this.attributor?.of(c.pid) : undefined;
      return {
        key: `${dev.index}/${c.port}/${c.id}/${c.pid ?? c.comm ?? ''}`, netns: scope, devIndex: dev.index, dev: dev.name,
        port: c.port ?? 0, cntn: c.id, pid: c.pid, comm: c.comm ?? owner?.comm, qpType: c.qpType === undefined ? undefined : qpTypeName(c.qpType),
        lqpns: c.lqpns, owner,
        counters: c.counters.map((x) => reading(x.name, 'netlink', x.value, counterSpec(x.name, 'netlink', { driver }), mono)),
      };
    });
  }
}
