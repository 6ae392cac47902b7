// One run's netlink sockets: one channel per (protocol, namespace), backed by
// the kernel, by the kernel with recording, or by a recording alone.
import { readFileSync } from 'node:fs';
import { Channel } from './channel.js';
import { withNetns } from './netns.js';
import { KernelSocket, Protocol, DatagramSocket } from './socket.js';
import { Recorder, Replayer, loadRecording } from './recording.js';
import { Subscription } from './subscription.js';

export interface SessionOptions {
  /** Namespace path every socket opens in (undefined: the caller's own). */
  netns?: string;
  record?: string;
  replay?: string;
  argv?: string[];
}

export type SocketFactory = (protocol: Protocol, netns: string | undefined) => DatagramSocket;

export class Session {
  /** Where kernel sockets come from; the fixture synthesizer substitutes a UAPI encoder here. */
  static socketFactory: SocketFactory = (protocol, netns) => new KernelSocket(protocol, netns);
  private channels = new Map<string, Channel>();
  /**
   * Set by --dry-run: write() describes each request here instead of sending
   * it. Shared by every session derived with inNetns().
   */
  dryRun?: (request: string) => void;
  private recorder?: Recorder;
  private replayer?: Replayer;

  constructor(readonly options: SessionOptions = {}) {
    if (options.replay) this.replayer = new Replayer(loadRecording(options.replay), options.replay);
    else if (options.record) this.recorder = new Recorder(options.argv ?? [], kernelRelease());
  }

  get netns(): string | undefined {
    return this.options.netns;
  }

  /** The kernel release the answers come from (the recording's, when replaying). */
  get kernel(): string {
    return this.replayer ? this.replayer.recording.kernel : kernelRelease();
  }

  /** A channel in this session's namespace, or in `netns` when given. */
  channel(protocol: Protocol, netns: string | undefined = this.options.netns): Channel {
    const key = `${protocol}\0${netns ?? ''}`;
    let ch = this.channels.get(key);
    if (!ch) {
      ch = new Channel(this.openSocket(protocol, netns));
      this.channels.set(key, ch);
    }
    return ch;
  }

  /** A socket from the recording, or from the kernel (recorded when --record is on). */
  private openSocket(protocol: Protocol, netns: string | undefined): DatagramSocket {
    const ns = netns ?? null;
    if (this.replayer) return this.replayer.socket(protocol, ns);
    const sock = Session.socketFactory(protocol, netns);
    return this.recorder ? this.recorder.wrap(sock, ns) : sock;
  }

  /**
   * Joins multicast `group` on a socket of its own in this session's
   * namespace (events are sent into the namespace of their object).
   * Recorded and replayed like requests.
   */
  subscribe(protocol: Protocol, group: number): Subscription {
    const sock = this.openSocket(protocol, this.options.netns);
    try {
      sock.join(group);
    } catch (e) {
      sock.close();
      throw e;
    }
    const sub = new Subscription(sock);
    this.subscriptions.push(sub);
    return sub;
  }

  private subscriptions: Subscription[] = [];

  /**
   * Runs fn with the calling thread inside this session's namespace. Needed
   * where the kernel checks the caller's namespace rather than the socket's:
   * a device move (rdma_dev_change_netns compares current->nsproxy->net_ns
   * with the device's namespace, ENODEV otherwise).
   */
  inside<T>(fn: () => T): T {
    return this.replayer || this.options.netns === undefined ? fn() : withNetns(this.options.netns, fn);
  }

  /**
   * A request that changes kernel state: sent and acknowledged with the thread
   * inside the session's namespace, or, under --dry-run, only described as
   * `LABEL[ in netns PATH]: DESCRIPTION` (describe() is called only then).
   */
  write(protocol: Protocol, type: number, payload: Buffer, label: string, describe: () => string): void {
    if (this.dryRun) {
      this.dryRun(`${label}${this.netns ? ` in netns ${this.netns}` : ''}: ${describe()}`);
      return;
    }
    const ch = this.channel(protocol);
    this.inside(() => ch.doit(type, payload, label));
  }

  /** A session like this one in another namespace, sharing the recorder/replayer. */
  inNetns(netns: string | undefined): Session {
    const s = new Session({ ...this.options, record: undefined, replay: undefined, netns });
    s.recorder = this.recorder;
    s.dryRun = this.dryRun;
    s.replayer = this.replayer;
    s.channels = this.channels; // closed once, by the parent
    return s;
  }

  /** Reads a host file the output depends on; recorded, and answered from the recording on replay. */
  readHostFile(path: string): string | undefined {
    if (this.replayer) {
      const v = this.replayer.recording.files?.[path];
      return v === null || v === undefined ? undefined : v;
    }
    let v: string | undefined;
    try {
      v = readFileSync(path, 'utf8');
    } catch {
      v = undefined;
    }
    if (this.recorder) this.recorder.files[path] = v ?? null;
    return v;
  }

  close(): void {
    for (const ch of this.channels.values()) ch.socket.close();
    for (const sub of this.subscriptions.splice(0)) sub.close();
    this.channels.clear();
    if (this.recorder && this.options.record) this.recorder.save(this.options.record, process.env.RDMA_TS_SCENARIO);
  }
}

let release: string | undefined;
export function kernelRelease(): string {
  if (release === undefined) {
    try {
      release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    } catch {
      release = 'unknown';
    }
  }
  return release;
}
