// Child process of the benchmark: runs the real CLI path against a kernel in a process of its own
// that answers from a recording (bench/kernel-process.ts), as a live dump would be read: the
// recording is not in this process, and each datagram is received as the kernel sends it.
// stdout goes to /dev/null; time and peak RSS are reported on stderr.
//   qp-worker.js REC ARGV...
import { performance } from 'node:perf_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { Session } from '../src/transport/session.js';
import { startKernelProcess } from './kernel-process.js';

const [file, ...argv] = process.argv.slice(2);
const kernel = startKernelProcess(join(mkdtempSync(join(tmpdir(), 'rdmats-qp-')), 'kernel'), { replay: file });
Session.socketFactory = kernel.socket;
// Everything after the kernel is up: requests, framing, decode, filter, format, write.
const t0 = performance.now();
const rc = main(argv);
const ms = performance.now() - t0;
kernel.child.kill();
process.stderr.write(JSON.stringify({ rc, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
