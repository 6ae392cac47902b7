// `cgroup show` recorded live in the kernel lab's `cgroup` scenario
// (fixtures/lab/KERNEL/cgroup/, `npm run fixtures`) while the lab pod's
// cgroup is limited to one HCA handle and an ibv_rc_pingpong holds it:
// replayed to the live run's bytes, and the live output held to that state.
import test from 'ava';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';
import { LAB_POD, LAB_POD_CGROUP } from '../src/lab/scenarios.js';

const LAB = resolve(ROOT, 'fixtures/lab');
const goldens = existsSync(LAB)
  ? readdirSync(LAB).flatMap((k) => (existsSync(join(LAB, k, 'cgroup')) ? readdirSync(join(LAB, k,
    'cgroup')).filter((f) => f.endsWith('.out.json')).map((f) => join(LAB, k, 'cgroup', f)) : []))
  : [];
interface Golden { argv: string[]; status: number; stdout: string }
const load = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Golden;
const PATH = LAB_POD_CGROUP.slice('/sys/fs/cgroup'.length);

test('cgroup recordings exist for both lab kernels', (t) => {
  const ks = goldens.filter((g) => g.endsWith('/cgroup-json.out.json')).map((g) => g.slice(LAB.length + 1).split('/')[0]);
  t.true(ks.some((k) => k.startsWith('6.1.')) && ks.some((k) => k.startsWith('6.12.')), `${ks}`);
});

for (const golden of goldens) {
  const name = golden.slice(LAB.length + 1).replace(/\.out\.json$/, '');
  test(`cgroup replay ${name}: the live run's bytes`, (t) => {
    const g = load(golden);
    const r = rdmaTs(['--replay', golden.replace(/\.out\.json$/, '.json'), ...g.argv]);
    t.is(g.status, name.includes('/doctor-') ? 2 : 0, 'doctor reports a failing state with 2; the rest succeed');
    t.is(r.status, g.status, r.stderr);
    t.is(r.stdout, g.stdout);
  });
}

for (const golden of goldens.filter((g) => g.endsWith('/cgroup-json.out.json'))) {
  const kernel = golden.slice(LAB.length + 1).split('/')[0];
  test(`${kernel} cgroup-json: the pod's cgroup with its limit of 1 handle in use, named by pod and container; its ancestors ` +
    `carry the charge, unlimited`, (t) => {
    const recs = JSON.parse(load(golden).stdout) as Array<Record<string, unknown>>;
    const pod = recs.find((x) => x.cgroup === PATH && x.dev === 'cgs0');
    t.like(pod, { hierarchy: 'v2', container: LAB_POD.container, container_id: LAB_POD.id, runtime: 'containerd',
      pod_namespace: LAB_POD.namespace, pod_name: LAB_POD.name, pod_uid: LAB_POD.uid,
      hca_handle: 1, hca_handle_max: 1, hca_handle_limit: 1, hca_handle_limit_cgroup: PATH, hca_object_max: 'max',
        hca_object_limit: 'max' });
    t.true(Number(pod?.hca_object) > 0, 'the program holds verbs objects');
    const ancestors = recs.filter((x) => x.dev === 'cgs0' && PATH.startsWith(`${String(x.cgroup)}/`));
    t.deepEqual(ancestors.map((x) => x.cgroup), ['/kubepods.slice', '/kubepods.slice/kubepods-besteffort.slice', PATH.slice(0,
      PATH.lastIndexOf('/'))]);
    for (const a of ancestors) t.like(a, { hca_handle: 1, hca_handle_max: 'max', hca_object: pod?.hca_object });
    t.false(recs.some((x) => x.cgroup === '/'), 'the root has no rdma files');
  });
}

for (const golden of goldens.filter((g) => g.endsWith('/cgroup-container.out.json'))) {
  test(`${golden.slice(LAB.length + 1).split('/')[0]} cgroup-container: an id prefix finds the container's own cgroup, every ` +
    `device listed`, (t) => {
    const lines = load(golden).stdout.trimEnd().split('\n');
    t.regex(lines[0], /^CGROUP +CONTAINER +DEV +HCA_HANDLE +HCA_OBJECT +EVENTS$/);
    const rows = lines.slice(1);
    t.true(rows.every((l) => l.startsWith(`${PATH} ${LAB_POD.namespace}/${LAB_POD.name}/${LAB_POD.container} `)), rows.join('\n'));
    t.regex(rows.find((l) => / cgs0 /.test(l)) ?? '', / cgs0 +1\/1 +\d+\/max +- *$/);
  });
}
