// A kernel in a process of its own, as a real kernel is outside the process it
// serves: its encoding work and its memory are not charged to the measured
// process. Two kinds: the synthetic 64-port host (bench/top-host.ts, counters
// move on once a second) and a recording replayed (the QP throughput bench:
// the measured process then holds no recording, as a live dump holds none).
// The measured process talks to it through two FIFOs with the datagram
// interface of a netlink socket, synchronously like KernelSocket: a request is
// [u32 length][u32 protocol: 0 rdma, 1 route][bytes]; the answer is [u32 count]
// then count x [u32 length][bytes], which recv() reads one datagram at a time
// (the pipe holds 64 KiB: the kernel process writes as the reader drains it,
// as netlink_dump() fills one skb per recv()).
//   child:  node kernel-process.js REQ_FIFO REPLY_FIFO full|empty|replay:FILE
import { openSync, writeSync, createReadStream, readSync, mkdirSync } from 'node:fs';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatagramSocket, Protocol } from '../src/transport/socket.js';
import { TransportError } from '../src/transport/errors.js';

/** What the kernel process serves: the synthetic host (loaded or empty) or a recording. */
export type KernelSource = 'full' | 'empty' | { replay: string };

const PROTOCOLS: Protocol[] = ['rdma', 'route'];
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

/** Starts the kernel process; returns a socket factory for Session.socketFactory. */
export function startKernelProcess(dir: string, source: KernelSource): { socket: (protocol?: Protocol) => DatagramSocket;
  child: ChildProcess } {
  mkdirSync(dir, { recursive: true });
  const req = join(dir, 'req'), rep = join(dir, 'rep');
  spawnSync('mkfifo', [req, rep]);
  const mode = typeof source === 'string' ? source : `replay:${source.replay}`;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), req, rep, mode], { stdio: 'inherit' });
  const out = openSync(req, 'w'); // blocks until the child opens it
  const inp = openSync(rep, 'r');
  const head = Buffer.alloc(4);
  const readU32 = () => {
    for (let off = 0; off < 4;) off += readSync(inp, head, off, 4 - off, null);
    return head.readUInt32LE(0);
  };
  const readFully = (n: number) => {
    const b = Buffer.allocUnsafe(n);
    for (let off = 0; off < n;) off += readSync(inp, b, off, n - off, null);
    return b;
  };
  // One pipe for every socket: the datagrams of the last answer not read yet.
  let remaining = 0;
  const drain = () => {
    for (; remaining > 0; remaining--) readFully(readU32());
  };
  const socket = (protocol: Protocol = 'rdma'): DatagramSocket => ({
    protocol,
    finite: true,
    send(msg) {
      drain();
      writeSync(out, Buffer.concat([u32(msg.length), u32(PROTOCOLS.indexOf(protocol)), msg]));
      remaining = readU32();
    },
    ready: () => remaining > 0,
    recv() {
      if (remaining === 0) throw new TransportError('no reply within 0 ms', 110);
      remaining--;
      return readFully(readU32());
    },
    join() {
      drain();
    },
    close() {},
  });
  return { socket, child };
}

/** The child: answers each request from the synthetic host or the recording. */
async function serve(req: string, rep: string, mode: string): Promise<void> {
  let answer: (protocol: Protocol, msg: Buffer) => Buffer[];
  if (mode.startsWith('replay:')) {
    const { Replayer, loadRecording } = await import('../src/transport/recording.js');
    const file = mode.slice('replay:'.length);
    const replayer = new Replayer(loadRecording(file), file);
    replayer.preload();
    answer = (protocol, msg) => {
      const sock = replayer.socket(protocol, null);
      sock.send(msg);
      const replies: Buffer[] = [];
      while (sock.ready()) replies.push(sock.recv(0));
      return replies;
    };
  } else {
    const { topKernel, advance, FULL_LOAD } = await import('./top-host.js');
    const { answer: hostAnswer } = await import('../test/support/uapi-kernel.js');
    const state = topKernel(mode === 'empty' ? { devices: 0, portsPerDevice: 1, qps: 0, counters: 0, processes: 1 } : FULL_LOAD);
    setInterval(() => advance(state, 1000), 1000).unref();
    answer = (_protocol, msg) => hostAnswer(state, msg);
  }
  // Same order as the parent (request FIFO, then reply FIFO): each open waits for its peer.
  const input = createReadStream('', { fd: openSync(req, 'r') });
  const output = openSync(rep, 'w');
  let pending = Buffer.alloc(0);
  input.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 8 && pending.length >= 8 + pending.readUInt32LE(0)) {
      const len = pending.readUInt32LE(0);
      const replies = answer(PROTOCOLS[pending.readUInt32LE(4)], pending.subarray(8, 8 + len));
      pending = pending.subarray(8 + len);
      writeSync(output, u32(replies.length));
      // Written one datagram at a time: the pipe blocks this process until the reader takes it.
      for (const r of replies) writeSync(output, Buffer.concat([u32(r.length), r]));
    }
  });
  input.on('end', () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [req, rep, mode] = process.argv.slice(2);
  await serve(req, rep, mode ?? 'full');
}
