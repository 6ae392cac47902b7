// The synthetic 64-port kernel (bench/top-host.ts) in a process of its own,
// as a real kernel is outside the process it serves: its encoding work is
// not charged to top. The measured process talks to it through two FIFOs
// with the datagram interface of a netlink socket (synchronous, like
// KernelSocket): a request is [u32 length][bytes]; the answer is [u32 count]
// then count x [u32 length][bytes]. Counters move on once a second.
//   child:  node kernel-process.js REQ_FIFO REPLY_FIFO [empty]
import { openSync, writeSync, createReadStream, readSync, mkdirSync } from 'node:fs';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatagramSocket } from '../src/transport/socket.js';
import { answeringSocket } from '../test/support/uapi-kernel.js';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

/** Starts the kernel process; returns a socket factory for Session.socketFactory. */
export function startKernelProcess(dir: string, empty: boolean): { socket: () => DatagramSocket; child: ChildProcess } {
  mkdirSync(dir, { recursive: true });
  const req = join(dir, 'req'), rep = join(dir, 'rep');
  spawnSync('mkfifo', [req, rep]);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), req, rep, ...(empty ? ['empty'] : [])], { stdio: 'inherit' });
  const out = openSync(req, 'w'); // blocks until the child opens it
  const inp = openSync(rep, 'r');
  const readFully = (n: number) => {
    const b = Buffer.alloc(n);
    for (let off = 0; off < n;) off += readSync(inp, b, off, n - off, null);
    return b;
  };
  const socket = (): DatagramSocket => answeringSocket((msg) => {
    writeSync(out, Buffer.concat([u32(msg.length), msg]));
    const count = readFully(4).readUInt32LE(0);
    return Array.from({ length: count }, () => readFully(readFully(4).readUInt32LE(0)));
  });
  return { socket, child };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [req, rep, empty] = process.argv.slice(2);
  const { topKernel, advance, FULL_LOAD } = await import('./top-host.js');
  const { answer } = await import('../test/support/uapi-kernel.js');
  const state = topKernel(empty ? { devices: 0, portsPerDevice: 1, qps: 0, counters: 0, processes: 1 } : FULL_LOAD);
  setInterval(() => advance(state, 1000), 1000).unref();
  // Same order as the parent (request FIFO, then reply FIFO): each open waits for its peer.
  const input = createReadStream('', { fd: openSync(req, 'r') });
  const output = openSync(rep, 'w');
  let pending = Buffer.alloc(0);
  input.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
      const len = pending.readUInt32LE(0);
      const replies = answer(state, pending.subarray(4, 4 + len));
      pending = pending.subarray(4 + len);
      writeSync(output, Buffer.concat([u32(replies.length), ...replies.flatMap((r) => [u32(r.length), r])]));
    }
  });
  input.on('end', () => process.exit(0));
}
