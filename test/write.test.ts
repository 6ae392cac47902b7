// Write commands without a kernel: argv errors, --dry-run requests decoded
// from the bytes that would be sent, the --persist confirmation, boot-time
// netns mode, and the EBUSY explanation. Their kernel behaviour is tested in
// the lab (test/lab/cases.ts: WRITE_CASES, WRITE_CHECKS, MOVE_CHECKS).
import test from 'ava';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';
import { bootNetnsMode } from '../src/model/boot-config.js';
import { describeBlockers } from '../src/views/namespaces.js';

const LAB = resolve(ROOT, 'fixtures/lab/6.1.0-56-amd64/rping');
const DEV = join(LAB, 'dev.json');
const SYS = join(LAB, 'system.json');

const dry: Array<[string, string]> = [
  ['dev set rxe0 name rxe9', 'RDMA_NLDEV_CMD_SET: DEV_INDEX 0, DEV_NAME "rxe9"'],
  ['dev set siw0 adaptive-moderation off', 'RDMA_NLDEV_CMD_SET: DEV_INDEX 1, DEV_DIM 0'],
  ['dev add smi0 type smi parent rxe0', 'RDMA_NLDEV_CMD_NEWDEV: DEV_INDEX 0, DEV_NAME "smi0", DEV_TYPE 1'],
  ['dev delete siw0', 'RDMA_NLDEV_CMD_DELDEV: DEV_INDEX 1'],
  ['link add rxe5 type rxe netdev veth0', 'RDMA_NLDEV_CMD_NEWLINK: DEV_NAME "rxe5", NDEV_NAME "veth0", LINK_TYPE "rxe"'],
  ['link delete rxe0', 'RDMA_NLDEV_CMD_DELLINK: DEV_INDEX 0'],
];
for (const [argv, request] of dry) {
  test(`--dry-run ${argv}`, (t) => {
    const r = rdmaTs(['--replay', DEV, '--dry-run', ...argv.split(' ')]);
    t.is(r.stdout, `dry-run: would send ${request}\n`);
    t.is(r.status, 0, r.stderr);
  });
}

test('--dry-run system set netns exclusive', (t) => {
  const r = rdmaTs(['--replay', SYS, '--dry-run', 'system', 'set', 'netns', 'exclusive']);
  t.is(r.stdout, 'dry-run: would send RDMA_NLDEV_CMD_SYS_SET: SYS_ATTR_NETNS_MODE 0\n');
});

const errors: Array<[string, string]> = [
  ['dev set', 'Please provide device name.'],
  ['dev set rxe0 name', 'Please provide device new name.'],
  ['dev set nosuch name x', 'Wrong device name - nosuch'],
  ['dev set rxe0 netns nosuch', 'Cannot open network namespace "nosuch": No such file or directory (/var/run/netns/nosuch)'],
  ['dev set rxe0 bogus', "Unknown parameter 'bogus'."],
  ['dev add smi0 type bogus parent rxe0', 'Invalid device type bogus\nrdma-ts: the device types are: smi'],
  ['dev add smi0 type smi', 'dev add: parent DEV is missing'],
  ['link add', 'Please provide a link name to add.'],
  ['link add rxe5 type rxe netdev', 'Please provide a net device name.'],
  ['link delete nosuch', 'Wrong device name - nosuch'],
];
for (const [argv, message] of errors) {
  test(`error: ${argv}`, (t) => {
    const r = rdmaTs(['--replay', DEV, ...argv.split(' ')]);
    t.true(r.stderr.includes(message), r.stderr);
    t.is(r.status, 1);
  });
}

test('an incomplete change prints usage and exits 1', (t) => {
  const r = rdmaTs(['--replay', DEV, 'link', 'add', 'rxe5', 'type', 'rxe']);
  t.true(r.stdout.startsWith('Usage: rdma-ts link show'));
  t.is(r.status, 1);
});

test('system set netns with a bad mode', (t) => {
  const r = rdmaTs(['--replay', SYS, 'system', 'set', 'netns', 'bogus']);
  t.is(r.stderr, 'valid options are: { shared | exclusive }\n');
  t.is(r.status, 1);
});

test('--persist without a terminal asks for --yes and changes nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'modprobe-'));
  const r = rdmaTs(['--replay', SYS, 'system', 'set', 'netns', 'exclusive', '--persist'], { RDMA_TS_MODPROBE_DIR: dir }, '');
  t.true(r.stderr.includes('no terminal to ask on; add --yes to confirm'), r.stderr);
  t.is(r.status, 1);
  t.false(existsSync(join(dir, 'rdma-ts-netns.conf')));
});

test('boot-time netns mode: modprobe.d, later files win, the kernel command line wins over both', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'modprobe-'));
  process.env.RDMA_TS_MODPROBE_DIR = dir;
  t.is(bootNetnsMode('', dir), undefined);
  writeFileSync(join(dir, 'a.conf'), 'options ib_core netns_mode=1\n');
  writeFileSync(join(dir, 'b.conf'), '# x\noptions ib_core foo=1 netns_mode=0\n');
  t.deepEqual(bootNetnsMode('', dir), { mode: 0, source: join(dir, 'b.conf') });
  t.deepEqual(bootNetnsMode('quiet ib_core.netns_mode=1', dir), { mode: 1, source: '/proc/cmdline' });
});

test('the EBUSY explanation lists named and unnamed namespaces and the way out', (t) => {
  const text = describeBlockers({
    named: [{ name: 'pod-a', inode: 4026532300 }],
    unnamed: [{ inode: 4026532400, holders: [{ pid: 42, comm: 'pause' }] }],
  }, 'exclusive');
  t.true(text.includes('named   pod-a (/var/run/netns/pod-a, net:[4026532300])'));
  t.true(text.includes('unnamed net:[4026532400], held by PID 42 (pause)'));
  t.true(text.includes('rdma-ts system set netns exclusive --persist'));
});
