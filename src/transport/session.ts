// One run's netlink sockets: one channel per (protocol, namespace), backed by
// the kernel, by the kernel with recording, or by a recording alone.
import { readFileSync, readdirSync, readlinkSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { Channel } from './channel.js';
import { withNetns, withSysfsOf } from './netns.js';
import { KernelSocket, Protocol, DatagramSocket } from './socket.js';
import { Recorder, Replayer, loadRecording, HostValue } from './recording.js';
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
   * Set by --dry-run: write() and hostChange() describe each change here
   * (`send REQUEST`, `write FILE ...`) instead of making it. Shared by every
   * session derived with inNetns().
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
      this.dryRun(`send ${label}${this.netns ? ` in netns ${this.netns}` : ''}: ${describe()}`);
      return;
    }
    const ch = this.channel(protocol);
    this.inside(() => ch.doit(type, payload, label));
  }

  /** This session in the caller's own namespace (itself when it is there): where /proc paths and scope paths resolve. */
  home(): Session {
    return this.netns === undefined ? this : this.inNetns(undefined);
  }

  /** A session like this one in another namespace, sharing the recorder/replayer. */
  inNetns(netns: string | undefined): Session {
    const s = new Session({ ...this.options, record: undefined, replay: undefined, netns });
    s.recorder = this.recorder;
    s.dryRun = this.dryRun;
    s.replayer = this.replayer;
    s.channels = this.channels; // closed once, by the parent
    s.open = this.open;
    return s;
  }

  /**
   * A host read the output depends on (a /proc or /sys file, a directory
   * listing, a symlink): done live, recorded with --record, answered from the
   * recording with --replay. `live` returns null for "absent".
   */
  private hostRead<T extends HostValue>(kind: string, path: string, live: () => T | null): T | undefined {
    // The key (`file:PATH`, or `clock`) is built only when recording or replaying: a sample reads thousands.
    const key = () => (path ? `${kind}${this.view ? `@${this.view}` : ''}:${path}` : kind);
    if (this.replayer) {
      const v = this.replayer.read(key());
      return v === null || v === undefined ? undefined : (v as T);
    }
    const v = live();
    this.recorder?.read(key(), v);
    return v ?? undefined;
  }

  /** The namespace whose sysfs host reads see (withSysfsOf), when not our own. */
  private view?: string;

  /**
   * Runs fn with host reads seeing /sys as mounted in the network namespace
   * at `netns` (withSysfsOf); recorded under that view. Our own when undefined.
   */
  withSysfsOf<T>(netns: string | undefined, fn: () => T): T {
    if (netns === undefined) return fn();
    const prev = this.view;
    this.view = netns;
    try {
      return this.replayer ? fn() : withSysfsOf(netns, fn);
    } finally {
      this.view = prev;
    }
  }

  /**
   * A change to a host file system (configfs) that a command needs: done live,
   * described under --dry-run (`LABEL`, a verb phrase: `write "RoCE v2" to FILE`),
   * skipped in a replay (the reads around it are answered from the recording).
   */
  hostChange(label: string, fn: () => void): void {
    if (this.dryRun) this.dryRun(label);
    else if (!this.replayer) fn();
  }

  /** A step a read needs that changes nothing lasting (a configfs mkdir undone at once): skipped in a replay. */
  hostProbe(fn: () => void): void {
    if (!this.replayer) fn();
  }

  readHostFile(path: string, keep = false): string | undefined {
    return this.hostRead('file', path, () => attempt(() => (keep ? this.pread(path) : readFileSync(path, 'utf8'))));
  }

  private open = new Map<string, number>();

  private pread(path: string): string {
    let fd = this.open.get(path);
    if (fd === undefined) this.open.set(path, (fd = openSync(path, 'r')));
    try {
      const n = readSync(fd, preadBuf, 0, preadBuf.length, 0);
      return preadBuf.toString('utf8', 0, n);
    } catch (e) {
      closeSync(fd); // the device went away: open afresh next time
      this.open.delete(path);
      throw e;
    }
  }

  /** A directory's entries, sorted (so a replay does not depend on readdir order). */
  readHostDir(path: string): string[] | undefined {
    return this.hostRead('dir', path, () => attempt(() => readdirSync(path).sort()));
  }

  /** The subdirectories of a directory, sorted (a cgroup's child cgroups). */
  readHostSubdirs(path: string): string[] | undefined {
    return this.hostRead('subdirs', path, () => attempt(() => readdirSync(path,
      { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()));
  }

  /**
   * Whether a file opens read-write (a character device: uverbs answers EPERM
   * when the device is not in the opener's network namespace), opened with
   * the thread in this session's namespace: 'ok' or the errno code. Closed at
   * once; recorded like a read.
   */
  tryOpen(path: string): string {
    return this.hostRead(`open${this.options.netns ? `@${this.options.netns}` : ''}`, path, () => {
      try {
        this.inside(() => closeSync(openSync(path, 'r+')));
        return 'ok';
      } catch (e) {
        return (e as NodeJS.ErrnoException).code ?? 'EIO';
      }
    }) ?? 'ENOENT';
  }

  readHostLink(path: string): string | undefined {
    return this.hostRead('link', path, () => attempt(() => readlinkSync(path)));
  }

  /** The inode a path names (a namespace's identity: what `net:[N]` shows). */
  readHostInode(path: string): number | undefined {
    const v = this.hostRead('inode', path, () => attempt(() => String(statSync(path).ino)));
    return v === undefined ? undefined : Number(v);
  }

  /**
   * Monotonic time (ns, for rates) and wall time (ms, for timestamps),
   * recorded so that a replay computes the same rates. Undefined when a
   * replay has no reading left: the recorded session ends there.
   */
  clock(): { mono: bigint; wall: number } | undefined {
    const v = this.hostRead<string>('clock', '', () => `${process.hrtime.bigint()} ${Date.now()}`);
    if (v === undefined) return undefined;
    const [mono, wall] = v.split(' ');
    return { mono: BigInt(mono), wall: Number(wall) };
  }

  /** True when answers come from a recording (time then comes from it too). */
  get replaying(): boolean {
    return !!this.replayer;
  }

  /**
   * Another session (the exporter's worker thread) records under this one's
   * --record file: this one then records nothing and writes nothing at close,
   * which would otherwise overwrite that file with an empty recording.
   */
  handOverRecording(): void {
    this.recorder = undefined;
  }

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
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

/** sysfs attributes are at most a page. */
const preadBuf = Buffer.alloc(4096);

/** fn(), or null when it throws (a file that is absent or unreadable). */
function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
