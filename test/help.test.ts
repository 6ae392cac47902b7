// oclif's --help: the root lists each object once (no helper module, no
// alias rows), aliases are named in the summary and still work.
import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, BIN, rdmaTs } from './support/cli.js';
import { VERSION } from '../src/cli/version.js';

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

// --help without oclif: the pages oclif rendered at build time (dist/help.json) must be what
// oclif itself prints for the same command line, and printing them must not import oclif.
const oclifRun = (argv: string[]) => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const { run, flush, handle } = await import('@oclif/core');
    await run(${JSON.stringify(argv)}, ${JSON.stringify(ROOT)}).then(() => flush()).catch((e) => handle(e));`],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: '' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
};
/** A resolve hook that fails any import of @oclif/core. */
const hook = 'export async function resolve(s, c, next) { if (s === "@oclif/core") throw new Error("oclif imported"); return next(s, c); }';
const noOclif = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module';
  register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`)}`;
const withoutOclif = (argv: string[]) => {
  const r = spawnSync(process.execPath, ['--import', noOclif, BIN, ...argv], { cwd: ROOT, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
};

const PREBUILT = [[], ['dev'], ['dev', 'show'], ['res'], ['resource', 'show', 'qp'], ['stat'], ['statistic'], ['sys'], ['system'],
  ['link'], ['monitor'], ['gid'], ['cgroup'], ['doctor'], ['exporter'], ['top'], ['lab'], ['lab', 'run'], ['lab', 'shell'],
  ['lab', 'run', 'extra']];
for (const words of PREBUILT) {
  test(`rdma-ts ${[...words, '--help'].join(' ')}: oclif's page from dist/help.json, byte for byte, without importing oclif`, (t) => {
    const argv = [...words, '--help'];
    const ours = withoutOclif(argv);
    t.is(ours.status, 0, ours.stderr);
    t.deepEqual(ours, oclifRun(argv));
    t.true(ours.stdout.length > 100);
  });
}

// Where oclif must answer (its errors), the bin hands over to it.
for (const words of [['nosuch'], ['lab', 'nosuch'], ['-j', 'dev']]) {
  test(`rdma-ts ${[...words, '--help'].join(' ')}: answered by oclif itself`, (t) => {
    const argv = [...words, '--help'];
    t.regex(withoutOclif(argv).stderr, /oclif imported/);
    t.deepEqual(rdmaTs(argv), oclifRun(argv));
  });
}

test('the root page carries this node\'s version line, filled in at run time', (t) => {
  t.true(withoutOclif(['--help']).stdout.includes(`\n  rdma-ts/${VERSION} ${process.platform}-${process.arch} node-${process.version}\n`));
});
