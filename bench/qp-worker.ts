// Child process of the benchmark: replays a recording through the real CLI
// path with stdout to /dev/null and reports time and peak RSS on stderr.
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';

const [file, ...argv] = process.argv.slice(2);
const t0 = performance.now();
const rc = main(['--replay', file, ...argv]);
const ms = performance.now() - t0;
process.stderr.write(JSON.stringify({ rc, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
