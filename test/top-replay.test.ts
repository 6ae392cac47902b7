// top sessions recorded live in the kernel lab (fixtures/lab/KERNEL/SCENARIO/top-*.json,
// `npm run fixtures`), replayed: the same bytes as the live run printed,
// deterministically; a closed pipe; the end of a recording; and the TUI in
// a real terminal (tmux) on a replay.
import test from 'ava';
import { readdirSync, readFileSync, existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { ROOT, BIN, rdmaTs } from './support/cli.js';
import { topRecordings } from './support/top-feed.js';
import { TUI_SCRIPT, tuiExpect, POD_LABEL } from './lab/top-cases.js';

const LAB = resolve(ROOT, 'fixtures/lab');
const goldens = existsSync(LAB)
  ? readdirSync(LAB).flatMap((k) => readdirSync(join(LAB, k)).flatMap((s) =>
    readdirSync(join(LAB, k, s)).filter((f) => /^top-.*\.out\.json$/.test(f)).map((f) => join(LAB, k, s, f))))
  : [];

test('top recordings exist for both lab kernels, JSON, plain and --all-netns', (t) => {
  const names = goldens.map((g) => g.slice(LAB.length + 1));
  for (const want of [/^6\.1\.[^/]+\/counters\/top-json/, /^6\.12\.[^/]+\/counters\/top-plain/, /^6\.12\.[^/]+\/netns\/top-all-netns/,
    /^6\.1\.[^/]+\/netns\/top-all-netns/]) {
    t.true(names.some((n) => want.test(n)), `${want} in ${names}`);
  }
});

for (const golden of goldens) {
  const name = golden.slice(LAB.length + 1).replace(/\.out\.json$/, '');
  test(`top replay ${name}: the live run's bytes, twice`, (t) => {
    const g = JSON.parse(readFileSync(golden, 'utf8')) as { argv: string[]; status: number; stdout: string };
    const file = golden.replace(/\.out\.json$/, '.json');
    for (let i = 0; i < 2; i++) {
      const r = rdmaTs(['--replay', file, ...g.argv]);
      t.is(r.status, g.status, r.stderr);
      t.is(r.stdout, g.stdout);
    }
  });
}

const [json] = topRecordings('top-json');

test('replay: every JSON row has the documented schema; rates only from the second sample', (t) => {
  const g = JSON.parse(readFileSync(json.replace(/\.json$/, '.out.json'), 'utf8')) as { stdout: string };
  const rows = g.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const views = new Set(rows.map((r) => r.view));
  t.deepEqual([...views].sort(), ['counters', 'namespaces', 'ports', 'processes']);
  for (const r of rows) {
    t.true(Number.isInteger(r.sample) && r.sample >= 1);
    t.regex(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    t.is(r.elapsed === null, r.sample === 1);
    for (const [name, c] of Object.entries(r.counters as Record<string, { raw: number; rate: number | null; source: string }>)) {
      t.true(['pma', 'hw', 'netlink', 'netdev'].includes(c.source), `${name}: ${c.source}`);
      t.true(Number.isInteger(c.raw), name);
      if (r.sample === 1) t.is(c.rate, null);
      else t.true(c.rate === null || c.rate >= 0, `${name} ${c.rate}`);
    }
  }
  for (const p of rows.filter((r) => r.view === 'ports')) for (const k of ['dev', 'port', 'netns', 'rx_bytes_per_s',
    'tx_bytes_per_s']) t.true(k in p, k);
});

test('replay: a session ends with its recording (exit 0, said on stderr) even when -c asks for more', (t) => {
  const r = rdmaTs(['--replay', json, '-j', 'top', '-c', '50', '-i', '0.2']);
  t.is(r.status, 0, r.stderr);
  t.is(new Set(r.stdout.trim().split('\n').map((l) => JSON.parse(l).sample)).size, 4);
  t.is(r.stderr, 'top: end of the recording (4 samples)\n');
});

test('replay: -c stops after N samples', (t) => {
  const r = rdmaTs(['--replay', json, '-j', 'top', '-c', '2', '-i', '0.2', '--view', 'ports']);
  t.is(r.status, 0, r.stderr);
  t.deepEqual([...new Set(r.stdout.trim().split('\n').map((l) => JSON.parse(l).sample))], [1, 2]);
});

test('a closed pipe (top | head -n 1) ends top with exit 0', (t) => {
  const r = spawnSync('bash', ['-c',
    `"${process.execPath}" "${BIN}" --replay "${json}" top --no-tui -i 0.2 | head -n 1; echo "top exit \${PIPESTATUS[0]}"`],
    { encoding: 'utf8', cwd: ROOT, timeout: 30000 });
  t.regex(r.stdout, /^rdma-ts top - sample 1, .*\ntop exit 0\n$/);
  t.is(r.stderr, '');
});

test('a replay asked for what it did not record names the file and exits 1', (t) => {
  const r = rdmaTs(['--replay', json, '-n', 'ns1', '-j', 'top', '-c', '1']);
  t.is(r.status, 1);
  t.regex(r.stderr, new RegExp('^rdma-ts: replay: \\S+top-json\\.json holds no reply to this rdma request \\(type \\d+, \\d+ bytes, ' +
    'netns /var/run/netns/ns1\\); record it again with --record\\n$'));
});

const tmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
(tmux ? test : test.skip)(`the TUI in a real terminal (tmux) on a replay: every key, exit 0, terminal ` +
  `restored${tmux ? '' : ' (skipped: no tmux)'}`, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rdmats-tmux-'));
  const script = join(dir, 'tui.sh');
  // A private tmux server (-L) with no user config; the pane runs a plain bash.
  writeFileSync(script, TUI_SCRIPT(`$RDMA_TS --replay ${json} top -i 1`).replace(/-L lab/g,
    `-L rdmats-${process.pid}`).replace(/\/tmp\/tmux\.conf/g, join(dir, 'tmux.conf')));
  const r = spawnSync('sh', [script], { encoding: 'utf8', timeout: 120000, env: { ...process.env,
    RDMA_TS: `${process.execPath} ${BIN}`, CI: '' } });
  const wrong = tuiExpect(new RegExp(`^rxe0/1 +\\d+ +\\d+ rping +${POD_LABEL} `, 'm'))({ stdout: r.stdout, stderr: r.stderr,
    status: r.status ?? -1 });
  t.falsy(wrong, wrong);
});

test('without a terminal on stdout, top prints plain frames by itself', (t) => {
  const r = rdmaTs(['--replay', json, 'top', '-c', '1', '-i', '0.2', '--view', 'ports']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^rdma-ts top - sample 1, .*\n\nPorts:\nDEV\/PORT /);
});

/** A resolve hook that reports every import of ink, react and their renderer. */
const HOOK = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(spec, ctx, next) {
  if (/^(ink|react|react-reconciler|yoga-layout)(\\\\/|$)/.test(spec)) process.stderr.write('LOADED ' + spec + '\\\\n');
  return next(spec, ctx);
}\`));
`;

test('plain and JSON modes never load ink or react (~0.9 s of start-up); the TUI module does', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rdmats-hook-'));
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, HOOK);
  for (const argv of [['top', '--no-tui', '-c', '2', '-i', '0.2'], ['-j', 'top', '-c', '2', '-i', '0.2'], ['top', '-c', '1',
    '-i', '0.2']]) {
    const r = spawnSync(process.execPath, ['--import', hook, BIN, '--replay', json, ...argv], { encoding: 'utf8', cwd: ROOT,
      timeout: 30000 });
    t.is(r.status, 0, r.stderr);
    t.notRegex(r.stderr, /LOADED/, argv.join(' '));
    t.truthy(r.stdout);
  }
  const tui = spawnSync(process.execPath, ['--import', hook, '--input-type=module', '-e',
    `await import(${JSON.stringify(resolve(ROOT, 'dist/src/views/top/tui/run.js'))})`],
    { encoding: 'utf8', cwd: ROOT, timeout: 30000 });
  t.regex(tui.stderr, /LOADED ink\n/, 'the hook sees ink when the TUI is loaded');
});

(tmux ? test : test.skip)(`in a real terminal the header and the selected row are inverse bars, the title ` +
  `bold${tmux ? '' : ' (skipped: no tmux)'}`, (t) => {
  const sock = `rdmats-sgr-${process.pid}`;
  const tm = (...a: string[]) => spawnSync('tmux', ['-L', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  tm('new', '-d', '-s', 's', '-x', '120', '-y', '30', `env -u CI TERM=xterm-256color ${process.execPath} ${BIN} --replay ${json} top -i 1`);
  let screen = '';
  for (let i = 0; i < 300 && !screen.includes('DEV/PORT'); i++) {
    spawnSync('sleep', ['0.05']);
    screen = tm('capture-pane', '-p', '-e', '-t', 's').stdout;
  }
  tm('kill-server');
  const lines = screen.split('\n');
  t.regex(lines[0], /^\x1b\[1mrdma-ts top \[Ports\]/, 'bold title');
  t.regex(lines.find((l) => l.includes('DEV/PORT')) ?? '', /\x1b\[(0;)?1;7m/, 'bold inverse header');
  t.regex(lines.find((l) => /siw0\/1|rxe0\/1/.test(l)) ?? '', /\x1b\[(0;)?7m/, 'inverse first row (the cursor)');
});
