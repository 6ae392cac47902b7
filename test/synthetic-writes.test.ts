// Writes and events no lab kernel can show (FRMR pools, 7.0; optional
// counters, which rxe and siw lack; optional counters in QP auto mode, 6.15;
// SMI sub-devices, 6.11 with an IB HCA; monitor events on 6.1), replayed from
// synthetic recordings of a UAPI-level mlx5 kernel (fixtures/synthetic/
// mlx5-ib-writes.json, mlx5-ib-batch.json; `npm run fixtures:synthetic`).
// A replay answers only the exact request bytes the synthetic kernel
// accepted, so a changed encoding fails here; the expected request text is
// written out from the UAPI by hand.
import test from 'ava';
import { resolve } from 'node:path';
import { ROOT, rdmaTs, fixture } from './support/cli.js';
import { olderThan, RdmaClient } from '../src/model/client.js';
import { unbindAll } from '../src/model/stat.js';
import { A, CMD } from '../src/protocol/nldev-schema.js';
import { NetlinkError } from '../src/transport/errors.js';

const WRITES = fixture('mlx5-ib-writes');
const BATCH = resolve(ROOT, 'fixtures/synthetic/mlx5-ib-writes.batch');
const run = (...a: string[]) => rdmaTs(['--replay', WRITES, ...a]);

test('res set frmr_pools aging: FRMR_POOLS_SET with the aging period, accepted', (t) => {
  const r = run('res', 'set', 'frmr_pools', 'dev', 'mlx5_0', 'aging', '60');
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, '');
  t.is(run('--dry-run', 'res', 'set', 'frmr_pools', 'dev', 'mlx5_0', 'aging', '60').stdout,
    'dry-run: would send RDMA_NLDEV_CMD_FRMR_POOLS_SET: DEV_INDEX 0, FRMR_POOLS_AGING_PERIOD 60\n');
});

test('res set frmr_pools pinned: the key is sent as the FRMR_POOL_KEY nest', (t) => {
  t.is(run('--dry-run', 'res', 'set', 'frmr_pools', 'dev', 'mlx5_0', 'pinned', 'ab:1000:7:1', '4').stdout,
    'dry-run: would send RDMA_NLDEV_CMD_FRMR_POOLS_SET: DEV_INDEX 0, FRMR_POOL_KEY { FRMR_POOL_KEY_ATS 1, ' +
    'FRMR_POOL_KEY_ACCESS_FLAGS 7, FRMR_POOL_KEY_VENDOR_KEY 171, FRMR_POOL_KEY_NUM_DMA_BLOCKS 4096 }, FRMR_POOL_PINNED_HANDLES 4\n');
});

test('res set frmr_pools pinned on a key with no pool: ENOENT, and where the keys are', (t) => {
  const r = run('res', 'set', 'frmr_pools', 'dev', 'mlx5_0', 'pinned', '1:2:3:0', '5');
  t.is(r.status, 1);
  t.is(r.stderr,
    'error: No such file or directory\nhint: no FRMR pool with key 1:2:3:0 on this device (the keys: rdma-ts res show frmr_pools)\n');
});

const frmrErrors: Array<[string, string]> = [
  ['res set frmr_pools', 'Please provide device name.'],
  ['res set frmr_pools dev', 'No device name was supplied'],
  ['res set frmr_pools dev nosuch aging 1', 'Wrong device name - nosuch'],
  ['res set frmr_pools dev mlx5_0 aging', 'Please provide aging period value.'],
  ['res set frmr_pools dev mlx5_0 aging x', 'Invalid aging period value: x'],
  ['res set frmr_pools dev mlx5_0 aging 0', 'Setting the aging period to zero is not supported.'],
  ['res set frmr_pools dev mlx5_0 pinned', 'Please provide pool key and pinned value.'],
  ['res set frmr_pools dev mlx5_0 pinned 0:100:1f', 'Invalid pool key: 0:100:1f, expected 4 fields'],
  ['res set frmr_pools dev mlx5_0 pinned 0:100:zz:0 1', 'Invalid pool key: 0:100:zz:0'],
  ['res set frmr_pools dev mlx5_0 pinned 0:100:1f:2 1', 'Pool key field at index 3 value out of range'],
  ['res set frmr_pools dev mlx5_0 pinned 0:100:1f:0:5 1', 'Unsupported pool attributes passed in pool key'],
  ['res set frmr_pools dev mlx5_0 pinned 0:100:1f:0', 'Please provide pinned value.'],
  ['res set frmr_pools dev mlx5_0 pinned 0:100:1f:0 -1', 'Invalid pinned value: -1'],
  ['res set frmr_pools dev mlx5_0 bogus', "Unknown resource set frmr_pools command 'bogus'."],
  ['stat set link mlx5_0/1 optional-counters nosuch',
    "rdma-ts: mlx5_0/1 has no optional counter named 'nosuch' (optional counters there: cc_rx_ce_pkts, cc_rx_cnp_pkts, cc_tx_cnp_pkts)"],
];
for (const [argv, message] of frmrErrors) {
  test(`error: ${argv}`, (t) => {
    const r = run(...argv.split(' '));
    t.is(r.status, 1);
    t.is(r.stderr, `${message}\n`);
    t.is(r.stdout, '');
  });
}

test('a batch of writes, each visible to the reads after it', (t) => {
  const r = rdmaTs(['--replay', fixture('mlx5-ib-batch'), '-b', BATCH]);
  t.is(r.status, 0, r.stderr);
  const dev0 = '0: mlx5_0: node_type ca protocol ib fw 20.31.1014 node_guid 248a:0703:009c:1a2b sys_image_guid 248a:0703:009c:1a2b \n';
  const smi0 = '1: smi0: node_type ca protocol ib node_guid 248a:0703:009c:1a2c sys_image_guid 248a:0703:009c:1a2c type smi ' +
    'parent mlx5_0 \n';
  const smi1 = '2: smi1: node_type ca protocol ib node_guid 248a:0703:009c:1a2b sys_image_guid 248a:0703:009c:1a2b type smi ' +
    'parent mlx5_0 \n';
  t.is(r.stdout, [
    // res set frmr_pools pinned: the second pool now pins 4 handles
    'dev mlx5_0 key 0:100:1f:0 queue 64 in_use 17 max_in_use 120 pinned 32 \n',
    'dev mlx5_0 key ab:1000:7:1 queue 8 in_use 0 max_in_use 8 pinned 4 \n',
    // stat set replaces the enabled set (cc_rx_cnp_pkts was on), stat qp set with optional-counters,
    // then stat unset clears all: `stat mode` prints no line for a port with none enabled
    'link mlx5_0/1 optional-counters \n    cc_rx_ce_pkts,\n    cc_tx_cnp_pkts \n',
    'link mlx5_0/1 mode qp auto type,pid on optional-counters on \n',
    // dev add smi1, then dev delete smi1
    dev0, smi0, smi1, dev0, smi0,
    // bind QP 453 to a new counter, 454 to the same; unbind without lqpn empties (and frees) it
    'link mlx5_0/1 cntn 1 \n    LQPN: <453,454>\n',
  ].join(''));
});

test('--dry-run of the counter writes: the requests as the UAPI spells them', (t) => {
  const dry = (argv: string) => run('--dry-run', ...argv.split(' ')).stdout;
  t.is(dry('stat set link mlx5_0/1 optional-counters cc_rx_ce_pkts,cc_tx_cnp_pkts'),
    'dry-run: would send RDMA_NLDEV_CMD_STAT_SET: DEV_INDEX 0, PORT_INDEX 1, STAT_HWCOUNTERS [ 2, 4 ]\n');
  t.is(dry('stat unset link mlx5_0/1 optional-counters'),
    'dry-run: would send RDMA_NLDEV_CMD_STAT_SET: DEV_INDEX 0, PORT_INDEX 1, STAT_HWCOUNTERS [  ]\n');
  t.is(dry('stat qp set link mlx5_0/1 auto type,pid on optional-counters off'),
    'dry-run: would send RDMA_NLDEV_CMD_STAT_SET: DEV_INDEX 0, PORT_INDEX 1, STAT_MODE 1, STAT_RES 19, STAT_AUTO_MODE_MASK 3, ' +
      'STAT_OPCOUNTER_ENABLED 0\n');
  t.is(dry('stat qp set link mlx5_0/1 auto off'),
    'dry-run: would send RDMA_NLDEV_CMD_STAT_SET: DEV_INDEX 0, PORT_INDEX 1, STAT_MODE 1, STAT_RES 19, STAT_AUTO_MODE_MASK 0\n');
  t.is(dry('stat qp bind link mlx5_0/1 lqpn 453 cntn 3'),
    'dry-run: would send RDMA_NLDEV_CMD_STAT_SET: DEV_INDEX 0, PORT_INDEX 1, RES_LQPN 453, STAT_MODE 2, STAT_RES 19, STAT_COUNTER_ID 3\n');
  t.is(dry('stat qp unbind link mlx5_0/1 cntn 3 lqpn 453'),
    'dry-run: would send RDMA_NLDEV_CMD_STAT_DEL: DEV_INDEX 0, PORT_INDEX 1, RES_LQPN 453, STAT_MODE 2, STAT_RES 19, STAT_COUNTER_ID 3\n');
});

const EVENTS_TEXT = [
  '[REGISTER]\tdev 2 smi1', '[RENAME]\tdev 0 mlx5_9', '[NETDEV_DETACH]\tdev 0 mlx5_9 port 1', '[NETDEV_RENAME]\t netdev 4 ib9',
  '[NETDEV_ATTACH]\tdev 0 mlx5_9 port 1 netdev 4 ib9', '[UNREGISTER]\tdev 2 smi1', '[UNKNOWN 0x09]\tdev 0',
].map((l) => `${l}\n`).join('');

test('monitor: every event type in rdmatool\'s text, until the stream ends', (t) => {
  const r = run('monitor');
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, EVENTS_TEXT);
});

test('monitor -j: one JSON object per line with rdmatool\'s keys', (t) => {
  const r = run('-j', 'monitor');
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  t.is(lines.length, 7);
  t.deepEqual(lines[0], { event_type: '[REGISTER]', rdma_index: 2, rdma_dev: 'smi1' });
  t.deepEqual(lines[4], { event_type: '[NETDEV_ATTACH]', rdma_index: 0, rdma_dev: 'mlx5_9', port: 1, netdev_idx: 4, netdev_name: 'ib9' });
  t.deepEqual(lines[3], { event_type: '[NETDEV_RENAME]', netdev_idx: 4, netdev_name: 'ib9' });
});

test('monitor on the real 6.1 kernel (lab recording): not supported, and since when', (t) => {
  const r = rdmaTs(['--replay', resolve(ROOT, 'fixtures/lab/6.1.0-56-amd64/rping/system.json'), 'monitor']);
  t.is(r.status, 1);
  t.is(r.stderr, 'RDMA monitoring is not supported by the kernel\n' +
    'hint: device events need Linux 6.13 or newer (RDMA_NLDEV_CMD_MONITOR); this kernel is 6.1.0-56-amd64\n');
});

test('monitor refuses batch mode: it streams', (t) => {
  const r = rdmaTs(['--replay', WRITES, '-b', '-'], {}, 'monitor\n');
  t.is(r.status, 1);
  t.regex(r.stderr, /monitor runs on its own, not in batch mode/);
});

test('olderThan reads kernel releases as the late-command hint needs', (t) => {
  t.true(olderThan('6.1.0-56-amd64', [6, 11]));
  t.true(olderThan('6.12.117+deb12-amd64', [7, 0]));
  t.false(olderThan('6.12.117+deb12-amd64', [6, 11]));
  t.false(olderThan('7.1.0', [7, 0]));
  t.false(olderThan('unknown', [7, 0]), 'an unreadable release gives no hint rather than a wrong one');
});

test('unbind without lqpn is all or nothing: a failure rebinds what was already unbound', (t) => {
  // Model logic over a recorded-call stand-in: no lab kernel has a driver with per-QP counters (rxe and
  // siw answer ENOMEM), and the synthetic kernel does not fail on purpose.
  const sent: string[] = [];
  const rd = {
    write(cmd: number, attrs: Array<[number, unknown]>) {
      const a = Object.fromEntries(attrs);
      sent.push(`${cmd === CMD.STAT_DEL ? 'del' : 'bind'} ${a[A.RES_LQPN]}`);
      if (cmd === CMD.STAT_DEL && a[A.RES_LQPN] === 12) throw new NetlinkError(22, 'error: Invalid argument');
    },
  } as unknown as RdmaClient;
  t.throws(() => unbindAll(rd, { devIndex: 0, port: 1 }, 3, [10, 11, 12, 13]), { instanceOf: NetlinkError });
  t.deepEqual(sent, ['del 10', 'del 11', 'del 12', 'bind 11', 'bind 10']);
});
