// What one command invocation works with: the session, the NLDEV client,
// the output, the global options and rdmatool's device map.
import { Session } from '../transport/session.js';
import { RdmaClient } from '../model/client.js';
import { comm as processComm } from '../model/netns-scope.js';
import { Device, dumpDevices } from '../model/device.js';
import { Output } from '../views/output.js';
import { GlobalOptions } from './options.js';
import { CliError } from './errors.js';
import { matches } from './grammar.js';

export class RunContext {
  readonly rd: RdmaClient;
  /** A command that completes but reports a state (doctor: 1 warn, 2 fail) sets its exit status here. */
  exitStatus = 0;
  private devs?: Device[];

  /**
   * `standalone`: this run owns its session and output (not a batch line or
   * one namespace of --all-netns), so a streaming command may run.
   */
  constructor(readonly session: Session, readonly out: Output, readonly opts: GlobalOptions, readonly standalone = false) {
    this.rd = new RdmaClient(session);
    if (opts.dryRun) session.dryRun = (req) => process.stdout.write(`dry-run: would ${req}\n`);
  }

  /**
   * An incomplete change: usage on stdout like rdmatool, and on stderr what
   * is missing, with exit 1 (rdmatool: 0) so a runbook sees it.
   */
  incomplete(usage: string, missing: string): never {
    this.out.raw(usage);
    throw new CliError(missing);
  }

  /** The next word, or a CliError with rdmatool's message for a missing one. */
  static need(args: string[], i: number, message: string): string {
    if (args[i] === undefined) throw new CliError(message);
    return args[i];
  }

  /** rdmatool starts every run with a GET dump: name -> index and port count. */
  get devices(): Device[] {
    return (this.devs ??= dumpDevices(this.rd));
  }

  deviceByName(name: string): Device | undefined {
    return this.devices.find((d) => d.name === name);
  }

  /** rd_exec_dev(): a named device, or `Wrong device name - X`. */
  requireDevice(name: string): Device {
    const d = this.deviceByName(name);
    if (!d) throw new CliError(`Wrong device name - ${name}`);
    return d;
  }

  private comms = new Map<number, string | undefined>();

  /** /proc/PID/comm, read once per PID (a 100k-QP dump names a handful of processes). */
  comm(pid: number): string | undefined {
    if (this.comms.has(pid)) return this.comms.get(pid);
    const c = processComm(this.session, pid);
    this.comms.set(pid, c);
    return c;
  }

  get details(): boolean {
    return this.opts.details >= 1;
  }

  get driverDetails(): boolean {
    return this.opts.details >= 2;
  }
}

export interface LinkSelection {
  device: Device;
  /** Ports to visit, in order. */
  ports: number[];
  /** The explicit port, 0 for `DEV/-`, undefined for all ports. */
  port?: number;
}

/** Port numbers 1..N of a device. */
export function portsOf(device: Device): number[] {
  return Array.from({ length: device.portCount }, (_, i) => i + 1);
}

/** Every port of every device: what a command without `link DEV[/PORT]` visits. */
export function everyLink(ctx: RunContext): LinkSelection[] {
  return ctx.devices.map((device) => ({ device, ports: portsOf(device) }));
}

/**
 * DEV/PORT as rdmatool reads it: `dev` or `dev/` = every port, `dev/N` = port
 * N, `dev/-` = no port (port 0: nothing to visit). Where rdmatool wants a real
 * port (strictPort: link show, stat bind/unbind/set/unset) only `dev/N` is
 * accepted, anything else is "Wrong device name" (checked against 6.1 in the lab).
 */
export function parseDevPort(ctx: RunContext, arg: string, strictPort: boolean): LinkSelection {
  const slash = arg.lastIndexOf('/');
  const name = slash >= 0 ? arg.slice(0, slash) : arg;
  const suffix = slash >= 0 ? arg.slice(slash + 1) : '';
  const device = ctx.deviceByName(name);
  let port: number | undefined;
  let bad = strictPort && !/^\d/.test(suffix);
  if (slash >= 0 && suffix !== '') {
    if (suffix.startsWith('-')) {
      if (strictPort) bad = true;
      else port = 0;
    } else {
      const m = /^(\d+)/.exec(suffix);
      port = m ? Number(m[1]) : 0;
      if (!port) bad = true;
    }
  }
  if (!device || bad || (port !== undefined && port > device.portCount)) throw new CliError('Wrong device name');
  return { device, ports: port === undefined ? portsOf(device) : port ? [port] : [], port };
}

/**
 * rd_set_arg_to_devname(): the position of the device name after the first
 * `dev`/`link` word, or -1 when there is none.
 */
export function devArgIndex(args: string[]): number {
  const i = args.findIndex((w) => matches(w, 'dev') || matches(w, 'link'));
  if (i < 0) return -1;
  if (i + 1 >= args.length) throw new CliError('No device name was supplied');
  return i + 1;
}

/** Finds `dev X` / `link X` among the remaining words. */
export function findDevArg(args: string[]): string | undefined {
  const i = devArgIndex(args);
  return i < 0 ? undefined : args[i];
}
