// The npm package as a user gets it: `npm pack` from this checkout (prepack builds it and writes
// the oclif manifest, man pages and completions), installed with `npm install -g --prefix`, then
// run: -V, --help, a replayed `dev`, its man pages, and bash and zsh completion.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, existsSync, mkdirSync, copyFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { ROOT } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'rdmats-pack-'));
const REPLAY = join(ROOT, 'fixtures/lab/6.1.0-56-amd64/rping/dev.json');
const GOLDEN = JSON.parse(readFileSync(join(ROOT, 'fixtures/lab/6.1.0-56-amd64/rping/dev.rdma-7.1.json'), 'utf8')) as { stdout: string };

interface Packed { filename: string; files: { path: string }[] }
let packed: Packed;
let prefix: string;

test.before(() => {
  // A clean copy of the tracked files (as a fresh clone has them), so that prepack's build does not
  // rewrite dist/ under the tests running alongside; node_modules is shared.
  const clone = join(work, 'clone');
  mkdirSync(clone);
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 }).split('\0').filter(Boolean);
  for (const f of tracked) {
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(clone, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  // prepack builds and writes the manifest, man pages and completions; its progress goes to stderr, stdout is npm's JSON.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone, encoding: 'utf8', maxBuffer: 1 << 26 });
  packed = (JSON.parse(out) as Packed[])[0];
  prefix = join(work, 'prefix');
  // Offline first: `npm ci` has the dependencies in npm's cache.
  execFileSync('npm', ['install', '-g', '--prefix', prefix, join(work, packed.filename), '--prefer-offline', '--no-audit', '--no-fund',
    '--loglevel=error'], { encoding: 'utf8' });
});

const bin = () => join(prefix, 'bin/rdma-ts');

test('the tarball holds what runs: no tests, fixtures, benchmarks or sources', (t) => {
  const paths = packed.files.map((f) => f.path);
  for (const want of ['bin/rdma-ts.js', 'bin/package.json', 'dist/bundle/rdma-ts.cjs', 'dist/bundle/tui.js', 'dist/bundle/collector.js',
    'dist/help.json', 'dist/src/cli/main.js',
    'dist/commands/dev.js', 'oclif.manifest.json', 'dist/man/rdma-ts.8',
    'dist/man/rdma-ts-dev.8', 'dist/completion/rdma-ts.bash', 'dist/completion/_rdma-ts', 'package.json', 'README.md']) {
    t.true(paths.includes(want), `missing ${want}`);
  }
  const stray = paths.filter((p) => /^(dist\/(test|bench)\/|test\/|fixtures\/|src\/|commands\/|bench\/|\.ci\/|deploy\/)|\.ts$/.test(p));
  t.deepEqual(stray, []);
});

test('package.json lists every generated man page', (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string[] };
  const pages = packed.files.map((f) => f.path).filter((p) => p.startsWith('dist/man/')).map((p) => `./${p}`).sort();
  t.deepEqual([...pkg.man].sort(), pages);
});

test('installed: -V, --help and a replayed dev print what they should', (t) => {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  t.is(execFileSync(bin(), ['-V'], { encoding: 'utf8' }), `rdma-ts utility, rdma-ts-${version}\n`);
  const help = execFileSync(bin(), ['--help'], { encoding: 'utf8' });
  for (const object of ['dev', 'link', 'resource', 'statistic', 'system', 'monitor', 'gid', 'cgroup', 'doctor', 'exporter', 'top']) {
    t.regex(help, new RegExp(`^ {2}${object} `, 'm'), `--help lists ${object}`);
  }
  t.is(execFileSync(bin(), ['--replay', REPLAY, 'dev'], { encoding: 'utf8' }), GOLDEN.stdout, 'iproute2 7.1 printed the same');
});

test('installed: man finds rdma-ts(8) and a page per object', (t) => {
  const man = join(prefix, 'share/man');
  for (const page of ['rdma-ts', 'rdma-ts-dev', 'rdma-ts-resource', 'rdma-ts-top']) {
    const r = spawnSync('man', ['-w', page], { encoding: 'utf8', env: { ...process.env, MANPATH: man } });
    t.is(r.status, 0, `${page}: ${r.stderr}`);
  }
  const text = spawnSync('man', ['rdma-ts-dev'], { encoding: 'utf8', env: { ...process.env, MANPATH: man, MANWIDTH: '200' } }).stdout;
  t.regex(text, /rdma-ts dev add NAME type smi parent DEV/);
  t.regex(text, /rdma-ts dev set mlx5_1 netns pod-a --with-netdev/, 'the examples, with ASCII hyphens');
});

/** A `rdma-ts` on PATH that answers from a lab recording: completion asks it for device names. */
function replayingPath(): string {
  const dir = join(work, 'path');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'rdma-ts'), `#!/bin/sh\necho "$*" >> '${join(work, 'calls')}'\nexec '${bin()}' --replay '${REPLAY}' "$@"\n`);
    chmodSync(join(dir, 'rdma-ts'), 0o755);
  }
  return `${dir}:${process.env.PATH}`;
}

const LINES: Array<[string, string[]]> = [
  ['rdma-ts ', ['help', 'dev', 'link', 'resource', 'system', 'statistic', 'monitor', 'gid', 'cgroup', 'doctor', 'exporter', 'top']],
  ['rdma-ts d', ['dev', 'doctor']],
  ['rdma-ts dev ', ['show', 'list', 'set', 'add', 'delete', 'help']],
  ['rdma-ts dev show ', ['rxe0', 'siw0']],
  ['rdma-ts -j res show ', ['qp', 'cm_id', 'cq', 'mr', 'pd', 'ctx', 'srq', 'frmr_pools', 'rxe0', 'siw0']],
  ['rdma-ts stat qp ', ['show', 'list', 'mode', 'set', 'bind', 'unbind']],
  ['rdma-ts sys set ', ['netns', 'privileged-qkey']],
];

test('bash completion: objects, commands and keywords from the tables, device names from the kernel', (t) => {
  const script = join(prefix, 'lib/node_modules/rdma-ts/dist/completion/rdma-ts.bash');
  for (const [line, want] of LINES) {
    const r = spawnSync('bash', ['-c', `source '${script}'; read -ra COMP_WORDS <<< "$LINE"; [ "\${LINE: -1}" = " " ] && ` +
      'COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _rdma_ts; printf "%s\\n" "${COMPREPLY[@]}"'],
    { encoding: 'utf8', env: { ...process.env, PATH: replayingPath(), LINE: line } });
    t.deepEqual(r.stdout.split('\n').filter(Boolean), want, `${JSON.stringify(line)}: ${r.stderr}`);
  }
});

test('bash completion asks for device names inside the -n namespace of the line', (t) => {
  const script = join(prefix, 'lib/node_modules/rdma-ts/dist/completion/rdma-ts.bash');
  spawnSync('bash', ['-c', `source '${script}'; COMP_WORDS=(rdma-ts -n pod-a dev show ''); COMP_CWORD=5; _rdma_ts`],
    { encoding: 'utf8', env: { ...process.env, PATH: replayingPath() } });
  t.true(readFileSync(join(work, 'calls'), 'utf8').split('\n').includes('-n pod-a dev'));
});

const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;
(hasZsh ? test : test.skip)('zsh completion: the same candidates through compadd (skipped where zsh is not installed)', (t) => {
  const script = join(prefix, 'lib/node_modules/rdma-ts/dist/completion/_rdma-ts');
  for (const [line, want] of LINES) {
    // Outside a completion widget: words/CURRENT set by hand, compadd prints what it would offer.
    const r = spawnSync('zsh', ['-c', 'compadd() { shift; local c; for c in "$@"; do [[ $c == ${words[CURRENT]}* ]] && print -- $c; ' +
      'done; true; }; words=(${=LINE}); [[ $LINE == *" " ]] && ' +
      `words+=(""); CURRENT=\${#words}; source '${script}'`], { encoding: 'utf8', env: { ...process.env, PATH: replayingPath(),
        LINE: line } });
    t.deepEqual(r.stdout.split('\n').filter(Boolean), want, `${JSON.stringify(line)}: ${r.stderr}`);
  }
});
