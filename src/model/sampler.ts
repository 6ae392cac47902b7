// One reading of every counter `top` shows, taken every interval: per port
// (PMA and driver counters, the netdev's bytes where the port has no PMA data
// counters), every bound QP counter, and, every few samples, a census of what
// changes slowly (namespaces, counter modes, who owns which QPs/MRs/CQs).
// The clock is read through the session, so a replay computes the same rates.
import { Session } from '../transport/session.js';
import { NetlinkError, TransportError, NetnsError } from '../transport/errors.js';
import { qpTypeName } from '../protocol/enums.js';
import { RdmaClient } from './client.js';
import { Device, dumpDevices } from './device.js';
import { dumpQpCounters, getQpCounterMode, QpCounterMode, STAT_MODE } from './stat.js';
import { getSystem } from './system.js';
import { RESOURCE_KINDS, eachResource, ownerOf } from './resource.js';
import { counterSpec } from './counter-spec.js';
import { sysfsDevice, sysfsPortInfo } from './sysfs.js';
import { Attributor, Attribution } from './attribution.js';
import { Reading, reading } from './reading.js';
import { PortReading, PortContext, DeviceFacts, readPort, PMA_EVERY_SAMPLE } from './port-reading.js';
import { NetnsRef, ownScope, allScopes } from './netns-scope.js';

export type { Reading } from './reading.js';
export type { PortReading } from './port-reading.js';

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
  /** What this reading holds beyond the ports. */
  wants: SampleWants;
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

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isKernelRefusal = (e: unknown) => e instanceof NetlinkError;

export class Sampler implements PortContext {
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

  constructor(readonly session: Session, private readonly opts: SamplerOptions) {
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
      for (let p = 1; p <= dev.portCount; p++) ports.push(readPort(this, rd, scope, dev, p, facts, clock.mono, census));
      if (wants.counters && this.hasCounters(dev)) counters.push(...this.readCounters(rd, scope, dev, problems, clock.mono));
    });
    return {
      seq, mono: clock.mono, wall: clock.wall, scopes: this.scopes, netnsMode: this.netnsMode,
      ports, counters, processes: this.processes, problems, wants,
    };
  }

  /** Where devices are read: in shared mode every namespace sees the same devices, so only the first. */
  private deviceScopes(): NetnsRef[] {
    return this.netnsMode === 'shared' ? this.scopes.slice(0, 1) : this.scopes;
  }

  scopeSession(scope: NetnsRef): Session {
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
      if (sysfs) for (let p = 1; p <= dev.portCount; p++) f.ports.set(p, sysfsPortInfo(this.session, dev.name, p,
        (n) => PMA_EVERY_SAMPLE.has(n)));
      this.facts.set(key, f);
    }
    return f;
  }

  mode(devIndex: number, port: number): QpCounterMode | undefined {
    return this.modes.get(`${devIndex}/${port}`);
  }

  /** Whether a device can have bound counters: some port not in mode NONE (auto or manual). */
  private hasCounters(dev: Device): boolean {
    for (let p = 1; p <= dev.portCount; p++) {
      const m = this.modes.get(`${dev.index}/${p}`);
      if (!m || m.mode !== STAT_MODE.NONE) return true;
    }
    return false;
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
        port: c.port ?? 0, cntn: c.id, pid: c.pid, comm: c.comm ?? owner?.comm,
          qpType: c.qpType === undefined ? undefined : qpTypeName(c.qpType),
        lqpns: c.lqpns, owner,
        counters: c.counters.map((x) => reading(x.name, 'netlink', x.value, counterSpec(x.name, 'netlink', { driver }), mono)),
      };
    });
  }
}
