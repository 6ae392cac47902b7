// The default (iproute2 7.x) layout against real bytes: for each lab kernel,
// what iproute2 7.1 printed (NAME.rdma-7.1.json) is derived from what iproute2
// 6.1 printed for the same frozen state (NAME.rdma.json) by exactly the
// changes the layout table (src/views/layout.ts) claims, and rdma-ts replays
// to both. A change 7.1 makes that is not listed here fails the derivation.
import test from 'ava';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';

const LAB = resolve(ROOT, 'fixtures/lab');
const KERNELS = existsSync(LAB) ? readdirSync(LAB) : [];
interface Golden { argv: string[]; status: number; stdout: string }
const golden = (k: string, name: string, oracle: '6.1' | '7.1'): Golden =>
  JSON.parse(readFileSync(join(LAB, k, 'rping', `${name}.${oracle === '6.1' ? 'rdma' : 'rdma-7.1'}.json`), 'utf8')) as Golden;

/** 6.5: `protocol` right after node_type (roce for rxe's ca, iw for siw's rnic). */
const protocol = (s: string) => s.replace(/("?node_type"?[ :]"?ca"?)( |,)/g, (_, a: string, sep: string) =>
  sep === ',' ? `${a},"protocol":"roce",` : `${a} protocol roce `).replace(/("?node_type"?[ :]"?rnic"?)( |,)/g,
  (_, a: string, sep: string) => sep === ',' ? `${a},"protocol":"iw",` : `${a} protocol iw `);
/** 6.7: newline() is putchar('\n') after every record, JSON included (before the next `,` and the closing `]`). */
const recordNewlines = (s: string) => s.replace(/\},\{/g, '}\n,{').replace(/\}\]\n$/, '}\n]\n').replace(/\n {4}\} \]\n$/, '\n    }\n ]\n');
/** 6.7: each counter on a line of its own (newline_indent), the record's last line ending the record. */
const counterLines = (s: string) => s.split('\n').filter(Boolean).map((line) => {
  const [head, ...words] = line.replace(/^(link \S+) /, '$1\u0000').split('\u0000');
  const pairs = words.join('').trim().split(' ');
  let out = `${head} `;
  for (let i = 0; i < pairs.length; i += 2) out += `\n    ${pairs[i]} ${pairs[i + 1]} `;
  return `${out}\n`;
}).join('');
/** 6.7 privileged-qkey, 6.13 monitor (7.1 prints `monitor off` when the kernel does not send it). */
const systemWords = (qkey: string, monitor: string) => (s: string) =>
  s.replace('copy-on-fork', `privileged-qkey ${qkey} monitor ${monitor} copy-on-fork`);
/** 6.1 printed a user SRQ's QP list as its comm; 7.1 prints the process's comm. */
const srqComm = (comm: string) => (s: string) => s.replace(/comm [0-9,-]+ /g, `comm ${comm} `)
  .replace(/"comm":"[0-9,-]+"/g, `"comm":"${comm}"`);

interface Fact { fixture: string; what: string; from61: (s: string, k: string) => string }
const FACTS: Fact[] = [
  { fixture: 'dev', what: 'dev prints protocol after node_type', from61: protocol },
  { fixture: 'dev-d', what: '-d dev prints protocol after node_type', from61: protocol },
  { fixture: 'dev-j', what: '-j dev: protocol, and a newline after every record', from61: (s) => recordNewlines(protocol(s)) },
  { fixture: 'link', what: 'link: unchanged', from61: (s) => s },
  { fixture: 'link-jp', what: '-j -p link: a newline after every record', from61: recordNewlines },
  { fixture: 'res-j', what: '-j res: a newline after every record', from61: recordNewlines },
  { fixture: 'qp', what: 'res show qp: unchanged on rxe and siw (no subtype)', from61: (s) => s },
  { fixture: 'qp-j', what: '-j res show qp: a newline after every record', from61: recordNewlines },
  { fixture: 'stat-rxe0', what: 'statistic show link: each counter on its own line', from61: counterLines },
  { fixture: 'stat-j', what: '-j statistic show: a newline after every record', from61: recordNewlines },
  { fixture: 'stat-mr-j', what: '-j statistic mr: records end with print_nl(), so no record newline', from61: (s) => s },
  { fixture: 'srq', what: 'res show srq: the comm, where 6.1 printed the last QPN range', from61: srqComm('ibv_srq_pingpon') },
  { fixture: 'srq-j', what: '-j res show srq: the comm, and a newline after every record',
    from61: (s) => recordNewlines(srqComm('ibv_srq_pingpon')(s)) },
  { fixture: 'system', what: 'system: privileged-qkey and monitor (off when the kernel lacks it)',
    from61: (s, k) => systemWords('off', k.startsWith('6.12.') ? 'on' : 'off')(s) },
];

test('both lab kernels have 7.1 goldens for every fact', (t) => {
  t.true(KERNELS.some((k) => k.startsWith('6.1.')) && KERNELS.some((k) => k.startsWith('6.12.')), KERNELS.join(' '));
  for (const k of KERNELS) for (const f of FACTS) t.true(existsSync(join(LAB, k, 'rping', `${f.fixture}.rdma-7.1.json`)),
    `${k} ${f.fixture}`);
});

for (const k of KERNELS) {
  for (const f of FACTS) {
    test(`${k}: ${f.what}`, (t) => {
      const old = golden(k, f.fixture, '6.1');
      const now = golden(k, f.fixture, '7.1');
      t.is(now.status, old.status);
      t.true(now.stdout.length > 0, 'the golden has output');
      t.is(f.from61(old.stdout, k), now.stdout, 'iproute2 7.1 = iproute2 6.1 + exactly this change');
      const rec = join(LAB, k, 'rping', `${f.fixture}.json`);
      t.is(rdmaTs(['--replay', rec, ...now.argv]).stdout, now.stdout, 'rdma-ts, default layout');
      t.is(rdmaTs(['--compat', '6.1', '--replay', rec, ...old.argv]).stdout, old.stdout, 'rdma-ts --compat 6.1');
    });
  }

  test(`${k}: -o folds a record's inner lines with a backslash`, (t) => {
    const lines = golden(k, 'stat-rxe0', '7.1').stdout;
    const folded = golden(k, 'stat-rxe0-o', '7.1');
    t.is(folded.stdout, lines.replace(/\n(?!$)/g, '\\'), 'iproute2 7.1 -o = the counter lines joined by `\\`');
    t.is(rdmaTs(['--replay', join(LAB, k, 'rping', 'stat-rxe0-o.json'), ...folded.argv]).stdout, folded.stdout);
    const oneLineRecords = golden(k, 'qp-do', '7.1');
    t.is(oneLineRecords.stdout, golden(k, 'qp-d', '7.1').stdout, '-o changes nothing where a record has no inner line');
  });
}
