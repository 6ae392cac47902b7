// The RDMA cgroup files' format (kernel/cgroup/rdma.c: rdmacg_resource_read,
// rdmacg_parse_limits) and the path rules of `cgroup show|set`, on SYNTHETIC
// file contents written as the kernel prints them. rdma.peak and rdma.events
// are newer than the lab's kernels, so their lines here follow the reference
// (shared/reference/monitoring-and-containers.md) and are labelled as such.
// The real files are read in the lab's `cgroup` scenario and its recordings
// replay in cgroup-replay.test.ts.
import test from 'ava';
import { parseRdmaFile, ancestorsOf, hasRdma, limitOf, RdmaCgroup } from '../src/model/rdma-cgroup.js';
import { normalizeCgroupPath, effectiveLimit } from '../src/model/cgroup-survey.js';
import { parseLimit, CgroupError, LIMIT_MAX } from '../src/model/rdma-cgroup-set.js';

const H = { version: 2 as const, mount: '/sys/fs/cgroup' };

test('rdma.max and rdma.current: one line per registered device, values by resource', (t) => {
  const max = parseRdmaFile('mlx5_0 hca_handle=2 hca_object=max\nrxe0 hca_handle=max hca_object=max\n');
  t.deepEqual([...max.keys()], ['mlx5_0', 'rxe0']);
  t.deepEqual(max.get('mlx5_0'), { hca_handle: '2', hca_object: 'max' });
  t.is(limitOf(max.get('mlx5_0')!.hca_handle), 2);
  t.is(limitOf(max.get('mlx5_0')!.hca_object), 'max');
  t.deepEqual(parseRdmaFile(''), new Map());
});

test('rdma.events (newer kernels; the reference\'s form, synthetic): dotted keys kept as the kernel names them', (t) => {
  t.deepEqual(parseRdmaFile('mlx5_0 hca_handle.max=5 hca_handle.alloc_fail=3\n').get('mlx5_0'), { 'hca_handle.max': '5',
    'hca_handle.alloc_fail': '3' });
  t.deepEqual(parseRdmaFile('hca_handle.max=5\n').get(''), { 'hca_handle.max': '5' }, 'a line without a device is kept under ""');
});

test('a cgroup counts as limiting or using RDMA only with a limit other than max or a count other than 0', (t) => {
  const cg = (max: string, current: string): RdmaCgroup => ({ path: '/a', dir: '/sys/fs/cgroup/a', max: parseRdmaFile(max),
    current: parseRdmaFile(current) });
  t.false(hasRdma(cg('rxe0 hca_handle=max hca_object=max', 'rxe0 hca_handle=0 hca_object=0')));
  t.true(hasRdma(cg('rxe0 hca_handle=1 hca_object=max', 'rxe0 hca_handle=0 hca_object=0')));
  t.true(hasRdma(cg('rxe0 hca_handle=max hca_object=max', 'rxe0 hca_handle=0 hca_object=7')));
  t.false(hasRdma({ path: '/', dir: '/sys/fs/cgroup' }), 'the root has neither file');
});

test('ancestors nearest first, the root last; paths given as cgroup paths or under the mount', (t) => {
  t.deepEqual(ancestorsOf('/a/b/c'), ['/a/b', '/a', '/']);
  t.deepEqual(ancestorsOf('/'), []);
  t.is(normalizeCgroupPath(H, '/sys/fs/cgroup/kubepods.slice/x.scope/'), '/kubepods.slice/x.scope');
  t.is(normalizeCgroupPath(H, 'kubepods.slice'), '/kubepods.slice');
  t.is(normalizeCgroupPath(H, '/sys/fs/cgroup'), '/');
  t.is(normalizeCgroupPath(H, '/'), '/');
});

test('limits: a count up to INT_MAX or max; anything else is refused with what is allowed', (t) => {
  t.is(parseLimit('0', 'hca_handle'), 0);
  t.is(parseLimit(String(LIMIT_MAX), 'hca_object'), LIMIT_MAX);
  t.is(parseLimit('max', 'hca_handle'), 'max');
  for (const bad of ['-1', '2147483648', '1.5', 'unlimited', undefined]) {
    const e = t.throws(() => parseLimit(bad, 'hca_handle'), { instanceOf: CgroupError });
    t.is(e?.message, `hca_handle takes a count (0 to ${LIMIT_MAX}) or max, not ${bad === undefined ? 'nothing' : `'${bad}'`}`);
  }
});

test('the limit that applies is the tighter of the cgroup\'s own and its ancestors\'', (t) => {
  t.is(effectiveLimit({ current: 1, max: 'max', inherited: { max: 2, cgroup: '/pod' } }), 2);
  t.is(effectiveLimit({ current: 1, max: 3 }), 3);
  t.is(effectiveLimit({ current: 0 }), 'max');
});
