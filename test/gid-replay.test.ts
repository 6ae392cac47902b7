// `gid show` recorded live in the kernel lab's `gids` scenario
// (fixtures/lab/KERNEL/gids/gid-*.json, `npm run fixtures`): replayed to the
// live run's bytes, and the live output itself held to the scenario's known
// state: rxeg, a v1+v2 rxe with 16 slots, on gid0 with nine macvlan
// containers; ctr3 in a Kubernetes pod's cgroup, the ninth unnamed; room for
// seven, so the 8th and 9th are stranded.
import test from 'ava';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';
import { POD_LABEL } from './lab/top-cases.js';
import { GID_NET } from '../src/lab/scenarios.js';

const LAB = resolve(ROOT, 'fixtures/lab');
const goldens = existsSync(LAB)
  ? readdirSync(LAB).flatMap((k) => (existsSync(join(LAB, k, 'gids')) ? readdirSync(join(LAB, k,
    'gids')).filter((f) => f.endsWith('.out.json')).map((f) => join(LAB, k, 'gids', f)) : []))
  : [];
interface Golden { argv: string[]; status: number; stdout: string }
const load = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Golden;
const named = (name: string) => goldens.filter((g) => g.endsWith(`/${name}.out.json`));
type Rec = Record<string, unknown> & { kind: string; dev: string };

test('gid recordings exist for both lab kernels: JSON, text and from inside a container', (t) => {
  for (const name of ['gid-json', 'gid-text', 'gid-ctr3']) {
    const ks = named(name).map((g) => g.slice(LAB.length + 1).split('/')[0]);
    t.true(ks.some((k) => k.startsWith('6.1.')) && ks.some((k) => k.startsWith('6.12.')), `${name}: ${ks}`);
  }
});

for (const golden of goldens) {
  const name = golden.slice(LAB.length + 1).replace(/\.out\.json$/, '');
  test(`gid replay ${name}: the live run's bytes`, (t) => {
    const g = load(golden);
    const r = rdmaTs(['--replay', golden.replace(/\.out\.json$/, '.json'), ...g.argv]);
    t.is(r.status, g.status, r.stderr);
    t.is(g.status, name.includes('/doctor-') ? 2 : 0, 'doctor reports a failing state with 2; the rest succeed');
    t.is(r.stdout, g.stdout);
  });
}

for (const golden of named('gid-json')) {
  const kernel = golden.slice(LAB.length + 1).split('/')[0];
  const recs = JSON.parse(load(golden).stdout) as Rec[];
  const rxeg = recs.filter((x) => x.dev === 'rxeg');

  test(`${kernel} gid-json: the rxeg summary is the full 16-slot table the scenario makes`, (t) => {
    const s = rxeg.find((x) => x.kind === 'summary')!;
    t.like(s, { port: 1, netdev: 'gid0', netns: 'init', roce: true, size: 16, used: 16, free: 0, default: 2, v1: 8, v2: 8,
      types: ['IB/RoCE v1', 'RoCE v2'], types_reported: false, wanted_ips: 9, fit_v1_on: 0, fit_v1_off: 6, stranded: 2 });
  });

  test(`${kernel} gid-json: every entry has the keys scripts rely on; each container IP is owned by its macvlan's namespace`, (t) => {
    const entries = rxeg.filter((x) => x.kind === 'entry');
    t.is(entries.length, 16);
    for (const e of entries) for (const k of ['dev', 'port', 'index', 'gid', 'type', 'netdev', 'netns',
      'default']) t.true(k in e, `${k} in ${JSON.stringify(e)}`);
    for (let i = 1; i <= 7; i++) {
      const mine = entries.filter((e) => e.ipv4 === `${GID_NET.prefix}.${i}`);
      t.deepEqual(mine.map((e) => [e.type, e.netdev, e.netns]), [['IB/RoCE v1', `mv${i}`, `ctr${i}`], ['RoCE v2', `mv${i}`, `ctr${i}`]]);
      t.deepEqual([...new Set(mine.map((e) => e.container))], [i === 3 ? POD_LABEL : null]);
    }
    t.deepEqual(entries.filter((e) => e.default).map((e) => [e.index, e.netdev, e.netns]), [[0, 'gid0', 'init'], [1, 'gid0', 'init']]);
  });

  test(`${kernel} gid-json: exactly the 8th (named) and 9th (unnamed) containers are stranded, with no entry`, (t) => {
    const s = rxeg.filter((x) => x.kind === 'stranded');
    t.deepEqual(s.map((x) => [x.ip, x.netdev, x.missing, x.reason]), [
      [`${GID_NET.prefix}.8`, 'mv8', ['IB/RoCE v1', 'RoCE v2'], 'no entry: the table is full'],
      [`${GID_NET.prefix}.9`, 'mv9', ['IB/RoCE v1', 'RoCE v2'], 'no entry: the table is full'],
    ]);
    t.is(s[0].netns, 'ctr8');
    t.regex(String(s[1].netns), /^pid:\d+\(sleep\)$/);
  });
}

for (const golden of named('gid-ctr3')) {
  test(`${golden.slice(LAB.length + 1).split('/')[0]} gid-ctr3: from inside ctr3, type v2: the 8 v2 entries, the summary and ` +
    `stranded lines whole`, (t) => {
    const out = load(golden).stdout;
    const rows = out.split('\n').filter((l) => /^\s+\d+ /.test(l));
    t.is(rows.length, 8, out);
    t.true(rows.every((l) => l.includes(' RoCE v2 ')), out);
    t.regex(out, /rxeg\/1 netdev gid0 \(netns init\): 16 slots, 16 used \(2 default, v1 8, v2 8\), 0 free\n/);
    t.is(out.match(/  no GID: /g)?.length, 2);
  });
}
