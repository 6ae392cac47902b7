// Replays every recording `npm run fixtures` made in the kernel lab and
// requires what iproute2's `rdma` printed for the same kernel state at the
// same moment: 6.1's under --compat 6.1 (fixtures/lab/KERNEL/SCENARIO/NAME.rdma.json)
// and upstream 7.1's in the default layout (NAME.rdma-7.1.json).
import test from 'ava';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';

const LAB = resolve(ROOT, 'fixtures/lab');
interface Golden { argv: string[]; status: number; stdout: string }
interface Recording { argv: string[]; kernel: string; scenario?: string }

/** NAME.rdma.json (iproute2 6.1) or NAME.rdma-7.1.json (iproute2 7.1). */
const GOLDEN = /\.rdma(-7\.1)?\.json$/;
const recordings = existsSync(LAB)
  ? readdirSync(LAB).flatMap((k) => readdirSync(join(LAB, k)).flatMap((s) =>
    readdirSync(join(LAB, k, s)).filter((f) => GOLDEN.test(f)).map((f) => join(LAB, k, s, f))))
  : [];

test('the lab recordings exist for both lab kernels', (t) => {
  const kernels = existsSync(LAB) ? readdirSync(LAB) : [];
  t.true(kernels.some((k) => k.startsWith('6.1.')), `6.1 recordings in ${LAB}: ${kernels}`);
  t.true(kernels.some((k) => k.startsWith('6.12.')), `6.12 recordings in ${LAB}: ${kernels}`);
  t.true(recordings.length >= 40, `${recordings.length} recordings`);
  for (const k of kernels) {
    const upstream = recordings.filter((f) => f.includes(`/${k}/`) && f.endsWith('.rdma-7.1.json')).length;
    t.true(upstream >= 20, `${upstream} iproute2 7.1 goldens for ${k}`);
  }
});

for (const golden of recordings) {
  const file = golden.replace(GOLDEN, '.json');
  const upstream = golden.endsWith('.rdma-7.1.json');
  const name = golden.slice(LAB.length + 1).replace(GOLDEN, '');
  test(`lab replay ${name} against iproute2 ${upstream ? '7.1 (default layout)' : '6.1 (--compat 6.1)'}`, (t) => {
    const g = JSON.parse(readFileSync(golden, 'utf8')) as Golden;
    const rec = JSON.parse(readFileSync(file, 'utf8')) as Recording;
    const [kernel, scenario] = name.split('/');
    t.is(rec.kernel, kernel, 'the recording carries its kernel release');
    t.is(rec.scenario, scenario, 'the recording carries its scenario');
    t.deepEqual(rec.argv, g.argv);
    const r = rdmaTs([...(upstream ? [] : ['--compat', '6.1']), '--replay', file, ...g.argv]);
    t.is(r.stdout, g.stdout);
    t.is(r.status, g.status, r.stderr);
  });
}
