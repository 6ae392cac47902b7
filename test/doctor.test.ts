// doctor: the exit status rule and the text layout (pure), and the doctor
// recorded live in the lab (fixtures/lab/KERNEL/{gids,cgroup}/doctor-*.json)
// while the GID table is full and while the pod's cgroup is at its limit:
// replayed, each failing state named.
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { ROOT, rdmaTs } from './support/cli.js';
import { socket } from './support/host.js';
import { worst, finding } from '../src/model/doctor/finding.js';
import { printDoctorText } from '../src/views/doctor.js';
import { Output } from '../src/views/output.js';
import { layoutFor } from '../src/views/layout.js';

test('the exit status is the worst check: ok 0, warn 1, fail 2; skip counts as ok', (t) => {
  t.is(worst([finding('a', 'ok', ''), finding('b', 'skip', '')]), 0);
  t.is(worst([finding('a', 'ok', ''), finding('b', 'warn', '')]), 1);
  t.is(worst([finding('a', 'warn', ''), finding('b', 'fail', ''), finding('c', 'ok', '')]), 2);
  t.is(worst([]), 0);
});

test('text: one line per check; evidence and fix only under warn and fail; the verdict last', (t) => {
  const out = new Output({ json: false, pretty: false, oneline: false, layout: layoutFor(undefined) });
  let text = '';
  out.raw = (s: string) => { text += s; };
  printDoctorText(out, 'netns ctr8', [finding('devices', 'ok', 'rxeg visible', ['hidden']), finding('gid', 'fail',
    'no RoCE v2 GID', ['10.98.0.8 on mv8'], 'free entries')], 2);
  t.is(text, 'rdma-ts doctor: netns ctr8\nok    devices       rxeg visible\nfail  gid           no RoCE v2 GID\n      10.98.0.8 ' +
    'on mv8\n      fix: free entries\nfail (exit 2)\n');
});

const LAB = resolve(ROOT, 'fixtures/lab');
const recordings = (scenario: string, name: string) => (existsSync(LAB) ? readdirSync(LAB).map((k) => join(LAB, k, scenario,
  `${name}.out.json`)).filter(existsSync) : []);
interface Rec { check: string; status: string; summary: string; evidence: string[] }

test('doctor recordings exist for both lab kernels', (t) => {
  for (const [s, n] of [['gids', 'doctor-ctr8'], ['cgroup', 'doctor-container']]) t.is(recordings(s, n).length, 2, `${s}/${n}`);
});

for (const golden of recordings('gids', 'doctor-ctr8')) {
  test(`${golden.slice(LAB.length + 1)}: the full table's stranded container: gid fails, gid-v1 warns, the rest apply or are ` +
    `skipped`, (t) => {
    const g = JSON.parse(readFileSync(golden, 'utf8')) as { argv: string[]; stdout: string; status: number };
    t.is(g.status, 2);
    const text = g.stdout;
    t.regex(text, /^rdma-ts doctor: netns ctr8\n/);
    t.regex(text, /\nfail  gid           no RoCE v2 GID for 10\.98\.0\.8 on mv8: /);
    t.regex(text, /\nwarn  gid-v1        the GID table of rxeg\/1 is full/);
    t.regex(text, /\nok    devices       /);
    t.regex(text, /\nskip  memlock       no process in netns ctr8\n/);
    t.true(text.endsWith('fail (exit 2)\n'));
  });
}

for (const golden of recordings('cgroup', 'doctor-container')) {
  test(`${golden.slice(LAB.length + 1)}: the pod at its hca_handle limit: cgroup fails with the numbers`, (t) => {
    const g = JSON.parse(readFileSync(golden, 'utf8')) as { stdout: string; status: number };
    const recs = JSON.parse(g.stdout) as Rec[];
    const cg = recs.find((r) => r.check === 'cgroup');
    t.is(cg?.status, 'fail');
    t.true(cg?.evidence.some((e) => /: cgs0 hca_handle 1\/1$/.test(e)), JSON.stringify(cg));
    t.deepEqual(recs.map((r) => r.check), ['netns-mode', 'devices', 'char-devices', 'ports', 'memlock', 'cgroup', 'gid', 'gid-v1']);
  });
}

const rdmaHere = socket('rdma') === 0;
(rdmaHere ? test.skip : test)(`doctor on a kernel without RDMA netlink: one fail finding, exit ` +
  `2${rdmaHere ? ' (skipped: this host has RDMA netlink)' : ''}`, (t) => {
  const r = rdmaTs(['-j', 'doctor']);
  t.is(r.status, 2, r.stderr);
  const [f, ...rest] = JSON.parse(r.stdout) as Rec[];
  t.like(f, { check: 'rdma-core', status: 'fail', summary: 'this kernel has no RDMA netlink: no RDMA core (ib_core) is loaded' });
  t.is(rest.length, 0);
});
