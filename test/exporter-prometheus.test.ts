// The exporter on its lab recordings (fixtures/lab/KERNEL/counters/exporter.json,
// recorded with rping traffic live by test/lab/exporter-recording.ts): the
// replay answers each scrape with the recorded one, promtool accepts the real
// output, and a real Prometheus server (Debian's) scraping the replay stores
// exactly the recorded values, with rate() of rxe2's netdev rx bytes agreeing
// with the sysfs deltas read in the guest at each scrape.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/cli.js';
import { startExporter, stopExporter, seriesValue } from './support/exporter.js';
import { withoutSelf, ExporterRecordingOut } from './lab/exporter-recording.js';

const LAB = join(ROOT, 'fixtures/lab');
const kernels = readdirSync(LAB).filter((k) => existsSync(join(LAB, k, 'counters/exporter.out.json')));
const SERIES = 'rdma_port_netdev_rx_bytes_total{device="rxe2",port="1",netdev="veth1"}';
const has = (cmd: string) => spawnSync(cmd, ['--version']).status === 0;
const prometheus = has('prometheus');
const promtool = has('promtool');
const SKIP = ' (skipped: not on this host; .ci/run installs Debian\'s prometheus)';

const load = (k: string) => ({
  rec: join(LAB, k, 'counters/exporter.json'),
  out: JSON.parse(readFileSync(join(LAB, k, 'counters/exporter.out.json'), 'utf8')) as ExporterRecordingOut,
});

test('there are exporter recordings from both lab kernels', (t) => {
  t.deepEqual(kernels.map((k) => k.split('.').slice(0, 2).join('.').replace(/\.\d+-.*/, '')).sort(), ['6.1', '6.12']);
});

for (const k of kernels) {
  test(`${k}: the replay answers each scrape with the recorded one, then the last values marked stale; rx bytes grow`, async (t) => {
    const { rec, out } = load(k);
    const { p, url } = await startExporter(rec);
    for (const s of out.scrapes) {
      const body = await (await fetch(url)).text();
      t.is(withoutSelf(body), withoutSelf(s.body));
      t.is(seriesValue(body, 'rdma_exporter_stale'), 0);
    }
    const after = await (await fetch(url)).text();
    t.is(seriesValue(after, 'rdma_exporter_stale'), 1, 'the recording has no more readings');
    t.is(withoutSelf(after), withoutSelf(out.scrapes.at(-1)!.body));
    const rx = out.scrapes.map((s) => seriesValue(s.body, SERIES));
    t.true(rx.every((v, i) => v > 0 && (i === 0 || v > rx[i - 1])), `rx bytes with traffic live: ${rx}`);
    t.is(await stopExporter(p), 0);
  });

  (promtool ? test : test.skip)(`${k}: promtool check metrics accepts every recorded scrape${promtool ? '' : SKIP}`, (t) => {
    for (const s of load(k).out.scrapes) {
      const r = spawnSync('promtool', ['check', 'metrics'], { input: s.body, encoding: 'utf8' });
      t.is(r.status, 0, r.stdout + r.stderr);
      t.is(r.stdout + r.stderr, '');
    }
  });

  (prometheus ? test : test.skip)(`${k}: a real Prometheus scraping the replay stores the recorded values, and rate() of the rx ` +
    `bytes agrees with the guest's sysfs deltas${prometheus ? '' : SKIP}`, async (t) => {
    t.timeout(120_000);
    const { rec, out } = load(k);
    const n = out.scrapes.length;
    const exporter = await startExporter(rec);
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'rdmats-prom-'));
    writeFileSync(join(dir, 'prom.yml'), `global: {scrape_interval: ${out.intervalS}s, scrape_timeout: ${out.intervalS}s}\n`
      + `scrape_configs: [{job_name: rdma, static_configs: [{targets: ['${new URL(exporter.url).host}']}]}]\n`);
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prom.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    const promExit = new Promise((r) => prom.once('exit', r));
    const api = `http://127.0.0.1:${port}/api/v1/query`;
    const query = async (q: string, time?: number) => {
      const u = new URL(api);
      u.searchParams.set('query', q);
      if (time !== undefined) u.searchParams.set('time', String(time));
      const r = await fetch(u).then((x) => x.json(), () => undefined) as { data?: { result: Array<{ value?: [number,
        string]; values?: Array<[number, string]> }> } } | undefined;
      return r?.data?.result ?? [];
    };
    try {
      // n fresh scrapes, then one more (stale, the recording is spent).
      const want = n + 1;
      let samples: Array<[number, string]> = [];
      for (let i = 0; i < 200 && samples.length < want; i++) {
        await new Promise((r) => setTimeout(r, 500));
        samples = (await query(`${SERIES}[10m]`))[0]?.values ?? [];
      }
      t.true(samples.length >= want, `Prometheus stored ${samples.length} samples`);
      const recorded = out.scrapes.map((s) => seriesValue(s.body, SERIES));
      t.deepEqual(samples.slice(0, n).map(([, v]) => Number(v)), recorded, 'the stored samples are the recorded values, in order');
      t.is(Number(samples[n][1]), recorded[n - 1], 'the stale answer repeats the last values');
      const up = await query('up{job="rdma"}');
      t.is(up[0]?.value?.[1], '1');
      // rate() over a window holding samples 1..n, at the n-th (half an interval of slack before the first).
      const [t1] = samples[0], [tn] = samples[n - 1];
      const window = Math.ceil(tn - t1 + out.intervalS / 2);
      const rate = Number((await query(`rate(${SERIES}[${window}s])`, tn))[0]?.value?.[1]);
      const first = out.scrapes[0], last = out.scrapes[n - 1];
      const sysfs = (last.sysfsRxBytes - first.sysfsRxBytes) / (last.at - first.at);
      t.true(sysfs > 1000, `traffic in the guest: ${sysfs} B/s`);
      const off = Math.abs(rate - sysfs) / sysfs;
      t.log(`rate() ${rate.toFixed(0)} B/s, sysfs delta ${sysfs.toFixed(0)} B/s: ${(off * 100).toFixed(1)}% off`);
      t.true(off <= 0.25, `rate() ${rate} B/s vs sysfs ${sysfs} B/s`);
    } finally {
      prom.kill('SIGTERM');
      await stopExporter(exporter.p);
      await promExit;
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
