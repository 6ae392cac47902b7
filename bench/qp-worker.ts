// Child process of the benchmark: replays a recording through the real CLI
// path with stdout to /dev/null and reports time and peak RSS on stderr.
//   qp-worker.js REC ARGV...       the command
//   qp-worker.js --load-only REC   only reading the recording (what a replay costs that a live dump does not)
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';
import { loadRecording } from '../src/transport/recording.js';

const loadOnly = process.argv[2] === '--load-only';
const [file, ...argv] = process.argv.slice(loadOnly ? 3 : 2);
// Two phases: reading the recording file (JSON + hex, not the kernel's cost)
// and everything after it: framing, decode, filter, format, write.
const t0 = performance.now();
loadRecording(file);
const t1 = performance.now();
const rc = loadOnly ? 0 : main(['--replay', file, ...argv]);
const t2 = performance.now();
process.stderr.write(JSON.stringify({ rc, loadMs: t1 - t0, ms: t2 - t1, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
