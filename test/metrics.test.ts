// Readings as Prometheus metrics, on a SYNTHETIC reading of a HCA port with
// PMA counters (the lab's rxe and siw have none: node_exporter's PMA names
// cannot be shown there) and a bound QP counter of a pod's process: the
// node_exporter-compatible names and units, rdma-ts's own families, and the
// exposition promtool accepts (when this host has it).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { toMetrics, rateBytesPerSecond, metricSafe, LabelSets } from '../src/model/metrics.js';
import promClient from 'prom-client';
import { exposition } from '../src/views/prometheus.js';
import { counterSpec } from '../src/model/counter-spec.js';
import { reading } from '../src/model/reading.js';
import type { Sample } from '../src/model/sampler.js';

const INIT = { label: 'init', kind: 'init' as const };
const pma = (name: string, raw: bigint) => reading(name, 'pma', raw, counterSpec(name, 'pma', { pmaExtended: true }), 0n);
const sample: Sample = {
  seq: 1, mono: 0n, wall: 0, scopes: [INIT], wants: { counters: true, owners: true }, problems: [], processes: [],
  ports: [{
    key: '0/1', netns: INIT, devIndex: 0, dev: 'mlx5_0', port: 1, state: 'ACTIVE', physState: 'LINK_UP',
      linkRate: '100 Gb/sec (4X EDR)', linkLayer: 'InfiniBand',
    driverCounters: true, notes: [],
    counters: [pma('port_rcv_data', 1000n), pma('port_xmit_data', 250n), pma('symbol_error', 3n), pma('VL15_dropped', 1n),
      reading('out_of_buffer', 'hw', 7n, counterSpec('out_of_buffer', 'hw'), 0n)],
  }],
  counters: [{
    key: '0/1/4/4242', netns: { label: 'pod-a', kind: 'named' }, devIndex: 0, dev: 'mlx5_0', port: 1, cntn: 4, pid: 4242,
      comm: 'ib_write_bw', lqpns: [17],
    counters: [reading('rx_write_requests', 'netlink', 99n, counterSpec('rx_write_requests', 'netlink'), 0n)],
    owner: { pid: 4242, container: { runtime: 'containerd', id: 'ab'.repeat(32), name: 'trainer' }, pod: { uid: 'u',
      namespace: 'ml', name: 'job-0' } },
  }],
};

test('PMA counters keep node_exporter\'s names and labels; data counters are 4-octet words turned into bytes', (t) => {
  const f = toMetrics({ sample });
  const v = (name: string) => f.find((x) => x.name === name)?.samples;
  t.deepEqual(v('node_infiniband_port_data_received_bytes_total'), [{ labels: { device: 'mlx5_0', port: '1' }, value: 4000 }]);
  t.deepEqual(v('node_infiniband_port_data_transmitted_bytes_total'), [{ labels: { device: 'mlx5_0', port: '1' }, value: 1000 }]);
  t.is(v('node_infiniband_symbol_error_total')?.[0].value, 3);
  t.is(v('node_infiniband_vl15_dropped_total')?.[0].value, 1);
  t.is(v('node_infiniband_state_id')?.[0].value, 4);
  t.is(v('node_infiniband_physical_state_id')?.[0].value, 5);
  t.is(v('node_infiniband_rate_bytes_per_second')?.[0].value, 100 * 125_000_000);
  t.is(f.find((x) => x.name === 'node_infiniband_port_data_received_bytes_total')?.type, 'counter');
});

test('driver counters and bound QP counters are rdma_* families, QP counters labelled with process, container, pod and netns', (t) => {
  const f = toMetrics({ sample });
  t.deepEqual(f.find((x) => x.name === 'rdma_port_hw_out_of_buffer_total')?.samples, [{ labels: { device: 'mlx5_0', port: '1',
    source: 'hw' }, value: 7 }]);
  t.deepEqual(f.find((x) => x.name === 'rdma_qp_rx_write_requests_total')?.samples, [{
    labels: { device: 'mlx5_0', port: '1', cntn: '4', pid: '4242', comm: 'ib_write_bw', container: 'trainer',
      pod_namespace: 'ml', pod_name: 'job-0', netns: 'pod-a' }, value: 99 }]);
});

test('link rates and counter names', (t) => {
  t.is(rateBytesPerSecond('10 Gb/sec (1X FDR10)'), 1_250_000_000);
  t.is(rateBytesPerSecond('2.5 Gb/sec (1X SDR)'), 312_500_000);
  t.is(rateBytesPerSecond(undefined), undefined);
  t.is(metricSafe('rdma.rx.bytes'), 'rdma_rx_bytes');
  t.is(metricSafe('VL15_dropped'), 'vl15_dropped');
});

const promtool = spawnSync('promtool', ['--version']).status === 0;
(promtool ? test : test.skip)(`the exposition passes promtool check ` +
  `metrics${promtool ? '' : ' (skipped: no promtool here; .ci/run installs Debian\'s prometheus)'}`, async (t) => {
  const text = await exposition(toMetrics({ sample }));
  t.regex(text, /^# HELP node_infiniband_state_id /);
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr + r.stdout);
  t.is(r.stderr, '');
});

test('label sets are kept from one reading to the next (one object per set), and a set no reading asks for is dropped', (t) => {
  const sets = new LabelSets();
  const qpLabels = (f: ReturnType<typeof toMetrics>) => f.find((x) => x.name === 'rdma_qp_rx_write_requests_total')!.samples[0].labels;
  const first = toMetrics({ sample }, sets);
  const second = toMetrics({ sample }, sets);
  t.is(qpLabels(second), qpLabels(first), 'the same object, so prom-client formats it once');
  t.not(qpLabels(toMetrics({ sample })), qpLabels(first), 'a fresh LabelSets starts over');
  // A reading without the QP counter, then one with it again: the set was forgotten in between.
  toMetrics({ sample: { ...sample, counters: [] } }, sets);
  const back = toMetrics({ sample }, sets);
  t.not(qpLabels(back), qpLabels(first));
  t.deepEqual(qpLabels(back), qpLabels(first));
});

test('labels given as sharedLabels are written exactly as prom-client writes ordinary labels, escapes included', async (t) => {
  // A comm with a quote, a backslash and a newline (a process can name itself so).
  const odd = { ...sample, counters: [{ ...sample.counters[0], comm: 'a"b\\c\nd' }] };
  const ours = await exposition(toMetrics({ sample: odd }));
  const reg = new promClient.Registry();
  for (const f of toMetrics({ sample: odd })) {
    const g = new promClient.Gauge({ name: f.name, help: f.help, labelNames: Object.keys(f.samples[0].labels), registers: [reg] });
    for (const x of f.samples) g.set(x.labels, x.value);
    (g as unknown as { type: string }).type = f.type;
  }
  t.is(ours, await reg.metrics());
  t.true(ours.includes('comm="a\\"b\\\\c\\nd"'));
});
