// The default (iproute2 7.x) layout: what changed since 6.1, checked on the
// same recorded state the 6.1 goldens use.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, rdmaTs, fixture } from './support/cli.js';

const golden = (n: string) => readFileSync(resolve(ROOT, 'fixtures/golden/6.1', n), 'utf8');

test('JSON gets a newline after every record', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-dev'), '-j', 'dev']);
  const records = JSON.parse(golden('dev.json')) as object[];
  t.is(r.stdout, '[' + records.map((x) => JSON.stringify(withProtocol(x))).join('\n,') + '\n]\n');
});

function withProtocol(x: any) {
  // dev show prints the protocol attribute since iproute2 6.5, right after node_type.
  const { ifindex, ifname, node_type, ...rest } = x;
  return { ifindex, ifname, node_type, protocol: ifname.startsWith('rxe') ? 'roce' : 'iw', ...rest };
}

test('text dev show includes protocol', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-dev'), 'dev']);
  t.is(r.stdout, golden('dev.txt').replace('node_type ca ', 'node_type ca protocol roce ').replace('node_type rnic ',
    'node_type rnic protocol iw '));
});

test('counters are on their own lines', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-stat'), 'stat', 'show', 'link', 'rxe0/1']);
  const one = golden('stat-link.txt').trimEnd();
  const [head, ...pairs] = one.replace(/^link rxe0\/1 /, 'link rxe0/1 \u0000').split('\u0000');
  const counters = pairs.join('').trim().split(' ');
  let want = head;
  for (let i = 0; i < counters.length; i += 2) want += `\n    ${counters[i]} ${counters[i + 1]} `;
  t.is(r.stdout, want + '\n');
});

test('-o folds the counter lines with a backslash', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-stat'), '-o', 'stat', 'show', 'link', 'rxe0/1']);
  t.is(r.stdout.split('\n').length, 2);
  t.true(r.stdout.startsWith('link rxe0/1 \\    sent_pkts 0 \\    rcvd_pkts 0 '));
});

test('system shows privileged-qkey, and stays text with -j', (t) => {
  t.is(rdmaTs(['--replay', fixture('idle-system'), 'sys']).stdout, 'netns shared privileged-qkey off copy-on-fork on\n');
  t.is(rdmaTs(['--replay', fixture('idle-system'), '-j', 'sys']).stdout, 'netns shared privileged-qkey off copy-on-fork on\n');
});

test('pretty JSON keeps iproute2 json_writer spacing with record newlines', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-res'), '-j', '-p', 'res', 'show', 'qp']);
  t.is(r.stdout, '[ {\n        "ifindex": 0,\n        "ifname": "rxe0",\n        "port": 1,\n        "lqpn": 1,\n' +
    '        "type": "GSI",\n        "state": "RTS",\n        "sq-psn": 0,\n        "comm": "ib_core"\n    }\n ]\n');
});
