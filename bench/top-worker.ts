// One top session against the synthetic 64-port host (bench/top-host.ts; its
// kernel in a process of its own, bench/kernel-process.ts):
// usage: node top-worker.js sample|json|tui|tui-counters SECONDS [empty]
//   tui: the ink UI on its first view (Ports); tui-counters: on the Counters view
// Prints on stderr, as JSON: process CPU time over the steady-state wall time
// (from the first sample on), peak RSS, and the time from process start to
// the first sample and to the first rendered frame.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { topSysfs, FULL_LOAD, TopLoad } from './top-host.js';

const [mode, secondsArg, empty] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 60);
const load: TopLoad = empty ? { devices: 0, portsPerDevice: 1, qps: 0, counters: 0, processes: 1 } : FULL_LOAD;
const root = mkdtempSync(join(tmpdir(), 'rdmats-top-sysfs-'));
topSysfs(root, load);
process.env.RDMA_TS_SYSFS = root; // read when sysfs.js is first imported, below

const { Session } = await import('../src/transport/session.js');
const { startKernelProcess } = await import('./kernel-process.js');
const { Sampler } = await import('../src/model/sampler.js');
const { TopLoop } = await import('../src/cli/top-loop.js');
const { ndjsonLines } = await import('../src/views/top/ndjson.js');
const { VIEWS, wantsOf } = await import('../src/views/top/rows.js');

// The kernel answers from a process of its own (bench/kernel-process.ts): its work is not top's.
const kernel = startKernelProcess(join(root, 'kernel'), empty ? 'empty' : 'full');
Session.socketFactory = kernel.socket;
const session = new Session({});
const loop = new TopLoop(new Sampler(session, { allNetns: false }), { interval: 1, count: seconds + 1 });

let firstSampleMs = 0, firstFrameMs = 0;
let cpu0: NodeJS.CpuUsage | undefined, wall0 = 0;
const mark = () => {
  if (cpu0) return;
  firstSampleMs = performance.now();
  cpu0 = process.cpuUsage();
  wall0 = performance.now();
};
/** Writes to the fake terminal (or the NDJSON sink): a renderer that wrote nothing measured nothing. */
let frames = 0;
const sink = new Writable({ write(_chunk, _enc, cb) { frames++; if (!firstFrameMs) firstFrameMs = performance.now(); cb(); } });

if (mode === 'sample') {
  // Reading everything and the rate math only: what every renderer of all views pays.
  loop.onObservation = () => mark();
} else if (mode === 'json') {
  loop.onObservation = (o) => {
    mark();
    sink.write(ndjsonLines(o, VIEWS, {}));
  };
} else {
  // The ink UI rendered to a terminal that goes nowhere (TOP_TERM=COLSxROWS, default 120x40): React's and ink's whole cost, no tty needed.
  const [columns, rows] = (process.env.TOP_TERM ?? '120x40').split('x').map(Number);
  const view = mode === 'tui-counters' ? 'counters' : 'ports';
  loop.wants = wantsOf([view]); // as rdma-ts top sets it for its first view
  // As rdma-ts top runs it: set before React is first imported (its build is chosen then).
  process.env.NODE_ENV ??= 'production';
  const { createElement } = await import('react');
  const { render } = await import('ink');
  const { TopApp } = await import('../src/views/top/tui/app.js');
  const stdout = Object.assign(sink, { columns, rows, isTTY: true });
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  loop.onObservation = () => mark();
  render(createElement(TopApp, { feed: loop, options: {}, initialView: view, onQuit: () => loop.end() }),
    { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, exitOnCtrlC: false,
      patchConsole: false });
}
loop.start();
await loop.done;
const wall = performance.now() - wall0;
const cpu = process.cpuUsage(cpu0);
session.close();
kernel.child.kill();
process.stderr.write(JSON.stringify({
  mode, seconds, ports: load.devices * load.portsPerDevice, qps: load.qps, counters: load.counters,
  cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100, userPercent: (cpu.user / 1000 / wall) * 100,
    systemPercent: (cpu.system / 1000 / wall) * 100, maxRssMB: process.resourceUsage().maxRSS / 1024,
  heapMB: process.memoryUsage().heapUsed / 2 ** 20, heapTotalMB: process.memoryUsage().heapTotal / 2 ** 20,
    externalMB: process.memoryUsage().external / 2 ** 20,
  firstSampleMs, firstFrameMs, writes: frames, failure: loop.failure ? String(loop.failure) : undefined,
}) + '\n');
process.exit(0);
