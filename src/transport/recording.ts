// Record and replay at the datagram level: what the kernel said, byte for
// byte, so that a replay drives the same framing, dump and decode paths.
import { readFileSync, writeFileSync } from 'node:fs';
import { DatagramSocket, Protocol } from './socket.js';
import { TransportError } from './errors.js';
import { parseMessages } from './framing.js';

export const RECORDING_FORMAT = 'rdma-ts-recording/1';

export interface RecordedExchange {
  protocol: Protocol;
  /** Namespace path the socket was opened in, or null for the caller's own. */
  netns: string | null;
  request: string; // hex; empty for a multicast subscription
  replies: string[]; // hex datagrams
  /** A multicast group joined instead of a request sent: replies are the events received. */
  join?: number;
}

export interface Recording {
  format: string;
  /** false for a capture from a real kernel; otherwise why it had to be synthesized. */
  synthetic: false | string;
  scenario?: string;
  kernel: string;
  argv: string[];
  recorded: string;
  exchanges: RecordedExchange[];
  /** Host files the answer depended on (e.g. /proc/PID/comm), null when absent (older recordings). */
  files?: Record<string, string | null>;
  /**
   * Every host read in order, per key: `file:PATH` (contents or null),
   * `dir:PATH` (sorted names or null), `link:PATH` (target or null),
   * `inode:PATH` (st_ino or null) and
   * `clock` ("MONO_NS WALL_MS"). A replay answers each key's reads in order
   * and repeats the last one after that; the clock has no last: it ends the replay.
   */
  host?: Record<string, HostValue[]>;
  [extra: string]: unknown;
}

export type HostValue = string | string[] | null;

export class Recorder {
  readonly exchanges: RecordedExchange[] = [];
  readonly host: Record<string, HostValue[]> = {};
  constructor(private readonly argv: string[], private readonly kernel: string) {}

  wrap(inner: DatagramSocket, netns: string | null): DatagramSocket {
    let current: RecordedExchange | undefined;
    const exchanges = this.exchanges;
    return {
      protocol: inner.protocol,
      finite: inner.finite,
      send(msg: Buffer) {
        current = { protocol: inner.protocol, netns, request: msg.toString('hex'), replies: [] };
        exchanges.push(current);
        inner.send(msg);
      },
      ready: () => inner.ready(),
      recv(timeoutMs: number) {
        const d = inner.recv(timeoutMs);
        current?.replies.push(d.toString('hex'));
        return d;
      },
      join(group: number) {
        current = { protocol: inner.protocol, netns, request: '', replies: [], join: group };
        exchanges.push(current);
        inner.join(group);
      },
      close: () => inner.close(),
    };
  }

  /** Notes one host read (see Recording.host). */
  read(key: string, value: HostValue): void {
    (this.host[key] ??= []).push(value);
  }

  save(file: string, scenario?: string): void {
    const rec: Recording = {
      format: RECORDING_FORMAT,
      synthetic: false,
      ...(scenario ? { scenario } : {}),
      kernel: this.kernel,
      argv: this.argv,
      recorded: new Date().toISOString(),
      exchanges: this.exchanges,
      host: this.host,
    };
    writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  }
}

const loaded = new Map<string, Recording>();

/** Parses a recording once per process (batch mode and benchmarks replay the same file repeatedly). */
export function loadRecording(file: string): Recording {
  const hit = loaded.get(file);
  if (hit) return hit;
  let rec: Recording;
  try {
    rec = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? `it is not JSON (${e.message})` : (e as Error).message;
    throw new TransportError(`cannot read recording ${file}: ${why}`);
  }
  if (rec?.format !== RECORDING_FORMAT) {
    throw new TransportError(`${file} is not an rdma-ts recording (format ${JSON.stringify(rec.format)})`);
  }
  loaded.set(file, rec);
  return rec;
}

/** Request bytes without seq (8..12) and port id (12..16), which differ run to run. */
function requestKey(hex: string): string {
  return hex.slice(0, 16) + hex.slice(32);
}

export class Replayer {
  private used = new Set<number>();
  /** Exchanges before this index are all used: long sessions (top) replay in order, so searches start here. */
  private firstUnused = 0;
  private readonly host: Record<string, HostValue[]>;
  private readonly cursor = new Map<string, number>();
  /** Reply datagrams decoded from hex, per exchange, when preload() ran. */
  private decoded = new Map<number, Buffer[]>();

  constructor(readonly recording: Recording, private readonly file: string) {
    this.host = { ...recording.host };
    for (const [path, v] of Object.entries(recording.files ?? {})) this.host[`file:${path}`] ??= [v];
  }

  /**
   * The next recorded answer to host read `key`: in order, then the last one
   * again; undefined if the recording never read it (or, for the clock, has
   * no reading left).
   */
  read(key: string): HostValue | undefined {
    const values = this.host[key];
    if (!values?.length) return undefined;
    const i = this.cursor.get(key) ?? 0;
    this.cursor.set(key, i + 1);
    if (i < values.length) return values[i];
    return key === 'clock' ? undefined : values[values.length - 1];
  }

  /**
   * Decodes every reply up front, so that answering costs no hex decoding (a benchmark's kernel
   * process answers as a kernel would: at once).
   */
  preload(): void {
    this.recording.exchanges.forEach((x, i) => this.decoded.set(i, x.replies.map((h) => Buffer.from(h, 'hex'))));
  }

  private replies(idx: number): Buffer[] {
    return this.decoded.get(idx)?.slice() ?? this.recording.exchanges[idx].replies.map((h) => Buffer.from(h, 'hex'));
  }

  private claim(match: (x: RecordedExchange) => boolean): number {
    const { exchanges } = this.recording;
    for (let i = this.firstUnused; i < exchanges.length; i++) {
      if (this.used.has(i) || !match(exchanges[i])) continue;
      this.used.add(i);
      while (this.used.has(this.firstUnused)) this.firstUnused++;
      return i;
    }
    return -1;
  }

  socket(protocol: Protocol, netns: string | null): DatagramSocket {
    let queue: Buffer[] = [];
    let seq: number | undefined = 0;
    const { recording, file } = this;
    const claim = (m: (x: RecordedExchange) => boolean) => this.claim(m);
    const replies = (idx: number) => this.replies(idx);
    return {
      protocol,
      finite: true,
      send(msg: Buffer) {
        seq = msg.readUInt32LE(8);
        const key = requestKey(msg.toString('hex'));
        const idx = claim((x) => x.join === undefined && x.protocol === protocol && x.netns === netns && requestKey(x.request) === key);
        if (idx < 0) {
          throw new TransportError(
            `replay: ${file} holds no reply to this ${protocol} request (type ${msg.readUInt16LE(4)}, ` +
              `${msg.length} bytes${netns ? `, netns ${netns}` : ''}); record it again with --record`,
          );
        }
        queue = replies(idx);
      },
      ready: () => queue.length > 0,
      recv() {
        const d = queue.shift();
        if (!d) throw new TransportError('no reply from the kernel within 0 ms (end of recording)', 110);
        if (seq === undefined) return d; // events keep their own (zero) sequence numbers
        for (const m of parseMessages(d)) {
          const off = m.payload.byteOffset - d.byteOffset - 16;
          d.writeUInt32LE(seq, off + 8);
        }
        return d;
      },
      join(group: number) {
        const idx = claim((x) => x.join === group && x.protocol === protocol && x.netns === netns);
        if (idx < 0) throw new TransportError(`replay: ${file} holds no ${protocol} multicast group ${group} subscription; ` +
          `record it again with --record`);
        seq = undefined;
        queue = replies(idx);
      },
      close() {},
    };
  }
}
