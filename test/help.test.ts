// oclif's --help: the root lists each object once (no helper module, no
// alias rows), aliases are named in the summary and still work.
import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';

const commandRows = (help: string) => help.split('\n').slice(help.split('\n').indexOf('COMMANDS') + 1)
  .filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0]);

test('rdma-ts --help lists every object once, with its alias in the summary, and nothing else', (t) => {
  const r = rdmaTs(['--help']);
  t.is(r.status, 0, r.stderr);
  const objects = readdirSync(join(ROOT, 'commands')).filter((f) => f.endsWith('.ts') && f !== 'shared.ts').map((f) => f.replace(/\.ts$/,
    '')).sort();
  t.deepEqual(commandRows(r.stdout), objects);
  t.false(/^ {2}(shared|res|stat|sys)\s/m.test(r.stdout));
  for (const [object, alias] of [['resource', 'res'], ['statistic', 'stat'], ['system', 'sys']]) {
    t.regex(r.stdout.replace(/\n\s+/g, ' '), new RegExp(`${object} .*\\(also: ${alias}\\)\\.`));
  }
});

test('an alias still gets its object\'s help, and an object\'s help shows its usage', (t) => {
  const res = rdmaTs(['res', '--help']);
  t.is(res.status, 0, res.stderr);
  t.true(res.stdout.startsWith('Show RDMA resources'));
  t.true(res.stdout.includes('rdma-ts resource show qp|cm_id|cq|mr|pd|ctx|srq'));
  const exp = rdmaTs(['exporter', '--help']);
  t.true(exp.stdout.replace(/\s+/g,
    ' ').includes('Usage: rdma-ts [ -n NETNS | --all-netns ] exporter [ --listen ADDR:PORT ] [ --timeout SECONDS ]'));
});
