// Child process of the benchmark: replays a recording through the real CLI
// path with stdout to /dev/null and reports time and peak RSS on stderr.
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';
import { loadRecording } from '../src/transport/recording.js';

// Two phases: reading the recording file (JSON + hex, not the kernel's cost)
// and everything after it: framing, decode, filter, format, write.
const [file, ...argv] = process.argv.slice(2);
const t0 = performance.now();
loadRecording(file);
const t1 = performance.now();
const rc = main(['--replay', file, ...argv]);
const t2 = performance.now();
process.stderr.write(JSON.stringify({ rc, loadMs: t1 - t0, ms: t2 - t1, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
