// The exporter's cost per scrape on the synthetic 64-port host (bench/top-host.ts;
// its kernel in a process of its own): one reading (ports, 1,000 bound QP
// counters of 10,000 QPs' owners, GID tables and cgroups where the host has
// them) turned into the exposition, as /metrics does it, SCRAPES times.
// usage: node exporter-worker.js SCRAPES [empty]   (CENSUS_EVERY=N: the sampler's census every N readings; the exporter's is 1)
// Prints on stderr, as JSON: CPU ms per scrape (process CPU, all threads), and the exposition size.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topSysfs, FULL_LOAD, TopLoad } from './top-host.js';

const [scrapesArg, empty] = process.argv.slice(2);
const scrapes = Number(scrapesArg ?? 20);
const load: TopLoad = empty ? { devices: 0, portsPerDevice: 1, qps: 0, counters: 0, processes: 1 } : FULL_LOAD;
const root = mkdtempSync(join(tmpdir(), 'rdmats-exp-sysfs-'));
topSysfs(root, load);
process.env.RDMA_TS_SYSFS = root;

const { Session } = await import('../src/transport/session.js');
const { startKernelProcess } = await import('./kernel-process.js');
const { Sampler } = await import('../src/model/sampler.js');
const { readMetrics } = await import('../src/cli/exporter/reading.js');
const { exposition } = await import('../src/views/prometheus.js');

const kernel = startKernelProcess(join(root, 'kernel'), empty ? 'empty' : 'full');
Session.socketFactory = kernel.socket;
const session = new Session({});
const sampler = new Sampler(session, { allNetns: false, censusEvery: Number(process.env.CENSUS_EVERY ?? 1) });
const { LabelSets } = await import('../src/model/metrics.js');
const sets = new LabelSets();
let bytes = 0;
let series = 0;
let readMs = 0;
let exposeMs = 0;
const scrape = async () => {
  const a = performance.now();
  const r = readMetrics(session, sampler, sets);
  if ('error' in r) throw new Error(r.error);
  const b = performance.now();
  series = r.families.reduce((n, f) => n + f.samples.length, 0);
  bytes = (await exposition(r.families)).length;
  readMs += b - a;
  exposeMs += performance.now() - b;
};
await scrape(); // warm-up: the first census and JIT
readMs = exposeMs = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < scrapes; i++) await scrape();
const cpu = process.cpuUsage(cpu0);
session.close();
kernel.child.kill();
process.stderr.write(JSON.stringify({ scrapes, cpuMsPerScrape: (cpu.user + cpu.system) / 1000 / scrapes,
  userMs: cpu.user / 1000 / scrapes, sysMs: cpu.system / 1000 / scrapes, wallMsPerScrape: (performance.now() - t0) / scrapes,
    readMs: readMs / scrapes, exposeMs: exposeMs / scrapes, series, bytes }) + '\n');
process.exit(0);
