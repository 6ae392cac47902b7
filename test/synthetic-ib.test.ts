// What the rxe/siw lab cannot show, on a synthetic mlx5 InfiniBand recording
// (fixtures/synthetic/mlx5-ib.json). Expected text follows iproute2 7.1's printers.
import test from 'ava';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rdmaTs, fixture } from './support/cli.js';

const run = (...a: string[]) => rdmaTs(['--replay', fixture('mlx5-ib'), ...a]);

test('dev: protocol, fw, and an SMI sub-device with its parent', (t) => {
  t.is(run('dev').stdout,
    '0: mlx5_0: node_type ca protocol ib fw 20.31.1014 node_guid 248a:0703:009c:1a2b sys_image_guid 248a:0703:009c:1a2b \n' +
    '1: smi0: node_type ca protocol ib node_guid 248a:0703:009c:1a2c sys_image_guid 248a:0703:009c:1a2c type smi parent mlx5_0 \n');
  t.is(run('--compat', '6.1', 'dev', 'show', 'smi0').stdout,
    '1: smi0: node_type ca node_guid 248a:0703:009c:1a2c sys_image_guid 248a:0703:009c:1a2c \n', '6.1 knows neither protocol nor type');
});

test('link: InfiniBand attributes and port capabilities with upstream spellings', (t) => {
  t.is(run('-d', 'link', 'show', 'mlx5_0/1').stdout,
    'link mlx5_0/1 subnet_prefix fe80:0000:0000:0000 lid 3 sm_lid 1 lmc 0 state ACTIVE physical_state LINK_UP netdev ib0 ' +
      'netdev_index 4 \n' +
    '    caps: <CM, CLIENT_REG, LINK_SPPED_WIDTH, MULT_PKER_TRAP>\n');
  t.deepEqual(JSON.parse(run('-j', '-d', 'link', 'show', 'mlx5_0/1').stdout)[0].caps, ['CM', 'CLIENT_REG', 'LINK_SPPED_WIDTH',
    'MULT_PKER_TRAP']);
});

test('system: exclusive mode, privileged-qkey and monitor', (t) => {
  t.is(run('sys').stdout, 'netns exclusive privileged-qkey on monitor on copy-on-fork on\n');
  t.is(run('--compat', '6.1', 'sys').stdout, 'netns exclusive copy-on-fork on\n');
});

test('-dd: driver tables on their own line, hex print type, JSON ints', (t) => {
  t.is(run('-dd', 'res', 'show', 'qp').stdout,
    'link mlx5_0/1 lqpn 453 type UD state RTS sq-psn 42 pdn 1 pid 4242 comm ib_send_bw \n    drv_sq_wqe_cnt 128 drv_qpc 0x1a2b \n' +
    'link mlx5_0/1 lqpn 454 type DRIVER subtype DCT state RTS sq-psn 0 pdn 1 pid 4242 comm ib_send_bw \n    drv_backlog -3 drv_mode dc \n');
  const j = JSON.parse(run('-j', '-dd', 'res', 'show', 'qp').stdout);
  t.is(j[0].drv_qpc, 0x1a2b);
  t.is(j[1].drv_backlog, -3);
  t.is(j[1].drv_mode, 'dc');
  t.is(run('-d', 'res', 'show', 'qp').stdout.includes('drv_'), false, 'one -d shows no driver table');
  t.is(run('--compat', '6.1', '-dd', 'res', 'show', 'qp').stdout.split('\n')[0],
    'link mlx5_0/1 lqpn 453 type UD state RTS sq-psn 42 pdn 1 pid 4242 comm ib_send_bw drv_sq_wqe_cnt 128 drv_qpc 0x1a2b ',
    '6.1 keeps the table on the record line unless -p');
});

test('frmr_pools: key, -d key fields, filters', (t) => {
  t.is(run('res', 'show', 'frmr_pools').stdout,
    'dev mlx5_0 key 0:100:1f:0 queue 64 in_use 17 max_in_use 120 pinned 32 \n' +
    'dev mlx5_0 key ab:1000:7:1 queue 8 in_use 0 max_in_use 8 pinned 0 \n');
  t.is(run('-d', 'res', 'show', 'frmr_pools', 'ats', '1').stdout,
    'dev mlx5_0 key ab:1000:7:1 ats 1 access_flags 7 vendor_key 171 num_dma_blocks 4096 queue 8 in_use 0 max_in_use 8 pinned 0 \n');
  t.is(run('res', 'show', 'frmr_pools', 'in_use', '1-20').stdout.split('\n').filter(Boolean).length, 1);
  t.deepEqual(JSON.parse(run('-j', 'res', 'show', 'frmr_pools').stdout).map((p: { key: string }) => p.key), ['0:100:1f:0', 'ab:1000:7:1']);
});

test('unknown attributes are kept silently, and reported with --debug', (t) => {
  // Append attribute 200 (not in the UAPI yet) to the recorded SYS_GET reply.
  const rec = JSON.parse(readFileSync(fixture('mlx5-ib'), 'utf8'));
  const x = rec.exchanges.find((e: { request: string }) => Buffer.from(e.request, 'hex').readUInt16LE(4) === 5120 + 6);
  const msg = Buffer.concat([Buffer.from(x.replies[0], 'hex'), Buffer.from([8, 0, 200, 0, 1, 2, 3, 4])]);
  msg.writeUInt32LE(msg.length, 0);
  x.replies[0] = msg.toString('hex');
  const file = join(mkdtempSync(join(tmpdir(), 'rdmats-')), 'unknown.json');
  writeFileSync(file, JSON.stringify(rec));
  const quiet = rdmaTs(['--replay', file, 'sys']);
  t.is(quiet.stdout, 'netns exclusive privileged-qkey on monitor on copy-on-fork on\n');
  t.is(quiet.stderr, '');
  const loud = rdmaTs(['--replay', file, '--debug', 'sys']);
  t.is(loud.stdout, quiet.stdout);
  t.is(loud.stderr, 'debug: RDMA_NLDEV_CMD_SYS_GET reply, top level: unknown attribute 200 (4 bytes: 01020304)\n');
});

// -r: mlx5's fill_res_*_entry_raw (rxe and siw have none: the lab's -r forms print nothing and exit 1, on
// both iproute2 releases). The layout is iproute2's print_raw_data(): bytes as %d with no separator,
// then `>`; a raw entry has no PORT_INDEX, so a QP prints `link DEV/-`.
test('-r: raw contexts as rdmatool prints them, text and JSON, and EINVAL where the driver has no raw op', (t) => {
  t.is(run('-r', 'res', 'show', 'qp', 'link', 'mlx5_0').stdout, 'link mlx5_0/- 012254255>\nlink mlx5_0/- 1632>\n');
  t.is(run('--compat', '6.1', '-r', 'res', 'show', 'qp', 'link', 'mlx5_0').stdout, 'link mlx5_0/- 012254255>\nlink mlx5_0/- 1632>\n');
  t.is(run('-j', '-r', 'res', 'show', 'cq', 'dev', 'mlx5_0').stdout, '[{"ifindex":0,"ifname":"mlx5_0","data":[7,0,128]}\n]\n');
  t.deepEqual(JSON.parse(run('-j', '-r', 'res', 'show', 'qp', 'link', 'mlx5_0').stdout).map((q: { data: number[] }) => q.data),
    [[0, 1, 2, 254, 255], [16, 32]]);
  const mr = run('-r', 'res', 'show', 'mr', 'dev', 'mlx5_0');
  t.is(mr.status, 1);
  t.is(mr.stdout, '');
  t.true(mr.stderr.startsWith('error: Invalid argument\n'), mr.stderr);
});
