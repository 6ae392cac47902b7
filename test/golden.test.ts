// Every real iproute2 6.1 output captured in the lab, reproduced by
// `rdma-ts --compat 6.1` replaying the same kernel state.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, rdmaTs, fixture } from './support/cli.js';

const dir = resolve(ROOT, 'fixtures/golden/6.1');
const { cases } = JSON.parse(readFileSync(resolve(dir, 'cases.json'), 'utf8')) as {
  cases: Array<{ fixture: string; argv: string; stdout: string; rc: number; stderr: string[] }>;
};

for (const c of cases) {
  test(`6.1 golden: rdma ${c.argv} (${c.stdout})`, (t) => {
    const r = rdmaTs(['--compat', '6.1', '--replay', fixture(c.fixture), ...c.argv.split(' ')]);
    t.is(r.stdout, readFileSync(resolve(dir, c.stdout), 'utf8'));
    t.is(r.status, c.rc);
    for (const line of c.stderr) t.true(r.stderr.includes(line), `stderr has ${line}: ${r.stderr}`);
  });
}

test('RDMA_TS_COMPAT selects the 6.1 layout like --compat', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-dev'), '-j', 'dev'], { RDMA_TS_COMPAT: '6.1' });
  t.is(r.stdout, readFileSync(resolve(dir, 'dev.json'), 'utf8'));
});
