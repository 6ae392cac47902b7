// The exporter's HTTP side on a replayed lab reading: /metrics answers with
// the reading, concurrent scrapes share one reading, a failed reading is
// answered with the last values marked stale, and a slow one (a blocked
// collector thread, RDMA_TS_EXPORTER_DELAY_MS) within --timeout, never a hang.
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ROOT, BIN } from './support/cli.js';
import { startExporter, stopExporter, seriesValue } from './support/exporter.js';

const REC = `${ROOT}/fixtures/lab/6.1.0-56-amd64/counters/top-json.json`;

const start = (args: string[], env: Record<string, string> = {}) => startExporter(REC, args, env);
const stop = stopExporter;
const value = seriesValue;

test('a scrape answers with the reading; concurrent scrapes share one; then a failed reading gives the last values, stale', async (t) => {
  const { p, url } = await start([]);
  const first = await (await fetch(url)).text();
  t.is(value(first, 'rdma_exporter_stale'), 0);
  t.is(value(first, 'node_infiniband_state_id{device="rxe0",port="1"}'), 4);
  const tx = value(first, 'rdma_port_netdev_tx_bytes_total{device="rxe0",port="1",netdev="veth0"}');
  t.true(tx > 0);
  // The recording holds top's readings, not the exporter's: the next reading fails; the values stay, marked stale.
  const many = await Promise.all(Array.from({ length: 5 }, () => fetch(url).then((r) => r.text())));
  for (const m of many) {
    t.is(value(m, 'rdma_exporter_stale'), 1);
    t.is(value(m, 'rdma_port_netdev_tx_bytes_total{device="rxe0",port="1",netdev="veth0"}'), tx);
  }
  t.is((await fetch(url.replace('/metrics', '/nope'))).status, 404);
  t.is(await stop(p), 0, 'SIGTERM ends it with exit 0');
});

test('a reading slower than --timeout: answered in time with stale 1; once it lands its values are shown, still stale while the ' +
  'next one is late', async (t) => {
  const { p, url } = await start(['--timeout', '0.3'], { RDMA_TS_EXPORTER_DELAY_MS: '1500' });
  const t0 = Date.now();
  const text = await (await fetch(url)).text();
  t.true(Date.now() - t0 < 1200, `answered after ${Date.now() - t0} ms`);
  t.is(value(text, 'rdma_exporter_stale'), 1);
  t.is(value(text, 'rdma_exporter_last_success_timestamp_seconds'), 0, 'no reading yet');
  await new Promise((r) => setTimeout(r, 1600));
  // The late reading has landed: it is shown (its values, its time), still marked stale as this scrape's own reading is late too.
  const later = await (await fetch(url)).text();
  t.is(value(later, 'rdma_exporter_stale'), 1);
  t.true(value(later, 'rdma_exporter_last_success_timestamp_seconds') > 0);
  t.true(value(later, 'rdma_exporter_read_seconds') >= 1.4);
  t.is(value(later, 'node_infiniband_state_id{device="rxe0",port="1"}'), 4);
  await stop(p);
});

test('--listen and --timeout are checked', async (t) => {
  for (const [args, msg] of [[['--listen', 'nohost'], "exporter: --listen takes ADDR:PORT"], [['--timeout', '0'],
    "exporter: --timeout takes 0.1 to 600 seconds, not '0'"], [['--bogus'], "exporter: unknown option '--bogus'"]] as const) {
    const p = spawn(process.execPath, [BIN, '--replay', REC, 'exporter', ...args], { cwd: ROOT });
    let err = '';
    p.stderr!.on('data', (d) => { err += d; });
    const [code] = await once(p, 'exit');
    t.is(code, 1);
    t.true(err.startsWith(msg), err);
  }
});
