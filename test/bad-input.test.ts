// The bad-input catalogue: wrong command lines, each of which must end with
// a specific message on stderr (its first line, asserted exactly) and a
// non-zero exit, never usage alone. Device-dependent lines run on real 6.1
// recordings (fixtures/lab/6.1.0-56-amd64/rping: rxe0 and siw0).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, BIN, rdmaTs } from './support/cli.js';
import { Session } from '../src/transport/session.js';
import { main } from '../src/cli/main.js';
import { answeringSocket, errMsg } from './support/uapi-kernel.js';

const LAB = resolve(ROOT, 'fixtures/lab/6.1.0-56-amd64/rping');
const REC = { dev: join(LAB, 'dev.json'), qp: join(LAB, 'qp.json'), link: join(LAB, 'link.json') } as const;
const dir = mkdtempSync(join(tmpdir(), 'rdmats-bad-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

type Case = [recording: keyof typeof REC | null, argv: string[], firstLine: string | RegExp];
const w = (s: string) => s.split(' ');

const CATALOGUE: Array<[group: string, cases: Case[]]> = [
  ['bad DEV/PORT', [
    ['link', w('link show rxe0/9'), 'Wrong device name'],
    ['link', w('link show rxe0/x'), 'Wrong device name'],
    ['link', w('link show rxe0/'), 'Wrong device name'],
    ['link', w('link show rxe0/-'), 'Wrong device name'],
    ['qp', w('res show qp link rxe0/9'), 'Wrong device name'],
    ['link', w('stat qp bind link rxe0 lqpn 1'), 'Wrong device name'],
    ['dev', w('link set rxe0/9 roce-v1 off'), 'Wrong device name'],
    [null, w('gid show rxe0/x'), "gid: 'rxe0/x' is not DEV or DEV/PORT (for example mlx5_0/1)"],
  ]],
  ['unknown devices', [
    ['link', w('link show nosuch/1'), 'Wrong device name'],
    ['dev', w('dev show nosuch'), 'Wrong device name - nosuch'],
    ['dev', w('dev set nosuch name x'), 'Wrong device name - nosuch'],
    ['qp', w('res show cq dev nosuch'), 'Wrong device name - nosuch'],
    ['qp', w('res show qp link nosuch/1'), 'Wrong device name'],
    ['link', w('stat show link nosuch/1'), 'Wrong device name'],
  ]],
  ['unknown keywords and values', [
    [null, w('frob'), "Unknown object 'frob'."],
    ['dev', w('dev frob'), "Unknown dev command 'frob'."],
    ['dev', w('link frob'), "Unknown link command 'frob'."],
    ['dev', w('res frob'), "Unknown resource command 'frob'."],
    ['dev', w('stat frob'), "Unknown statistic command 'frob'."],
    ['dev', w('system frob'), "Unknown system command 'frob'."],
    ['qp', w('res show bogus'), "Unknown parameter 'bogus'."],
    ['dev', w('dev set rxe0 frob 1'), "Unknown parameter 'frob'."],
    ['dev', w('dev set rxe0 adaptive-moderation maybe'), "Unknown parameter 'maybe'."],
    ['dev', w('system set frob on'), "Unknown parameter 'frob'."],
    ['dev', w('system set netns sometimes'), 'valid options are: { shared | exclusive }'],
    ['dev', w('system set privileged-qkey maybe'), 'Error: argument of "privileged-qkey" must be one of "off", "on", not "maybe"'],
    ['dev', w('link set rxe0/1 cm-roce-mode v3'), "link set rxe0/1 cm-roce-mode: the mode is v2 or v1, not 'v3'"],
    ['dev', w('link set rxe0/1 roce-v1 maybe'), "link set rxe0/1 roce-v1: off or on, not 'maybe'"],
    ['dev', w('link set rxe0/1 mtu 9000'), "link set: unknown setting 'mtu' (settings: cm-roce-mode, roce-v1)"],
    ['link', w('stat qp set link rxe0/1 auto sometimes'), "Unknown auto mode 'sometimes'."],
    [null, w('top --view nope'), "top: unknown view 'nope' (views: ports, counters, processes, namespaces, all)"],
    [null, w('gid show type v3'), "gid: type must be v1 or v2, not 'v3'"],
    [null, w('doctor expect maybe'), "doctor: expect takes shared or exclusive, not 'maybe'"],
    [null, w('exporter --frob'), "exporter: unknown option '--frob'"],
    [null, w('--frob'), "rdma-ts: unrecognized option '--frob'"],
    [null, w('-q dev'), "rdma-ts: invalid option -- 'q'"],
  ]],
  ['missing words', [
    ['dev', w('dev set rxe0 name'), 'Please provide device new name.'],
    ['dev', w('dev set rxe0 netns'), 'Please provide device name.'],
    ['dev', w('dev set rxe0'), 'dev set: what to set is missing (name, netns or adaptive-moderation)'],
    ['dev', w('link add x type'), 'Please provide a value for type.'],
    ['dev', w('link add x type rxe netdev'), 'Please provide a net device name.'],
    ['dev', w('link add x netdev veth0'), 'link add: type TYPE is missing'],
    ['dev', w('link delete'), 'Please provide device name.'],
    ['dev', w('link set'), 'link set: DEV/PORT is missing (settings: cm-roce-mode, roce-v1)'],
    ['dev', w('system set'), 'system set: what to set is missing (netns or privileged-qkey)'],
    ['link', w('stat qp bind link rxe0/1'), 'statistic: nothing after link rxe0/1'],
    ['link', w('stat qp bind'), 'statistic: link DEV/PORT is missing'],
    [null, w('cgroup set /x'), 'cgroup set: DEV is missing'],
    [null, w('cgroup set /x rxe0'), 'cgroup set: no limit given (hca_handle N|max, hca_object M|max)'],
    [null, w('doctor container'), 'doctor: container takes an id (a prefix of at least 4 hex digits) or a name'],
    [null, w('-n'), "rdma-ts: option requires an argument -- 'n'"],
    [null, w('-b'), "rdma-ts: option requires an argument -- 'b'"],
  ]],
  ['out-of-range and malformed numbers', [
    ['qp', w('res show qp lqpn 4294967313'), "lqpn takes a number from 0 to 4294967295, not '4294967313'"],
    ['link', w('stat qp bind link rxe0/1 lqpn 4294967313'), "lqpn takes a number from 0 to 4294967295, not '4294967313'"],
    ['link', w('stat qp bind link rxe0/1 lqpn 1-3'), "The parameter lqpn shouldn't include range"],
    ['link', w('stat qp unbind link rxe0/1 cntn x'), 'cntn filter accepts "1234567890,-" characters only'],
    [null, w('cgroup set /x rxe0 hca_handle -1'), "cgroup set: hca_handle takes a count (0 to 2147483647) or max, not '-1'"],
    [null, w('cgroup set /x rxe0 hca_object lots'), "cgroup set: hca_object takes a count (0 to 2147483647) or max, not 'lots'"],
    [null, w('top -i 0'), "top: the interval must be 0.2 to 60 seconds, not '0'"],
    [null, w('top -c x'), "top: the count must be a whole number of samples, 1 or more, not 'x'"],
    [null, w('exporter --timeout 0'), "exporter: --timeout takes 0.1 to 600 seconds, not '0'"],
    [null, w('exporter --listen 1.2.3.4:99999'),
      "exporter: --listen takes ADDR:PORT (0.0.0.0:9879, [::1]:9879, :9879; port 0: any free one), not '1.2.3.4:99999'"],
    [null, w('doctor pid abc'), "doctor: pid takes a process id, not 'abc'"],
    [null, w('cgroup show pid abc'), "cgroup: pid takes a process id, not 'abc'"],
    [null, w('cgroup show container abc'), "cgroup: container id prefix 'abc' is too short (at least 4 hex digits)"],
  ]],
  ['bad filters', [
    ['qp', w('res show qp bogus 1'), 'Unsupported filter option: bogus'],
    ['qp', w('res show qp lqpn x1'), 'lqpn filter accepts "1234567890,-" characters only'],
    ['qp', w('res show qp lqpn'), 'No filter data was supplied to filter option lqpn'],
    ['qp', w('res show qp lqpn 1 type'), 'There is filter option without data'],
    ['qp', w('res show qp link'), 'No filter data was supplied to filter option link'],
    ['qp', w('res show qp pid abc'), 'pid filter accepts "1234567890,-" characters only'],
    ['qp', w('res show cq frob 1'), 'Unsupported filter option: frob'],
  ]],
  ['bad netns', [
    [null, ['-n', '', 'dev'], 'rdma-ts: empty network namespace name'],
    [null, w('-n nosuchns dev'), 'rdma-ts: cannot open network namespace /var/run/netns/nosuchns: does not exist'],
    [null, w('-n 999999999 dev'), 'rdma-ts: cannot open network namespace /proc/999999999/ns/net: does not exist'],
    [null, w('-n /nonexistent/path dev'), 'rdma-ts: cannot open network namespace /nonexistent/path: does not exist'],
  ]],
  ['conflicting options', [
    [null, w('-n ns1 --all-netns dev'), '-n and --all-netns cannot be used together: -n runs in one namespace, --all-netns in every one'],
    [null, w('--record /tmp/a.json --replay /tmp/b.json dev'),
      '--record and --replay cannot be used together: a replay has no kernel to record'],
    [null, w('--compat 5.0 dev'), "--compat takes 6.1 (iproute2 6.1's layout) or upstream (7.x, the default), not '5.0'"],
  ]],
  ['bad batch files and recordings', [
    [null, w('-b /nonexistent'), "Cannot open file \"/nonexistent\" for reading: ENOENT: no such file or directory, open '/nonexistent'"],
    [null, w('--replay /nonexistent dev'),
      "rdma-ts: cannot read recording /nonexistent: ENOENT: no such file or directory, open '/nonexistent'"],
    [null, ['--replay', file('not-json.json', '{ nope'), 'dev'],
      new RegExp(`^rdma-ts: cannot read recording ${join(dir, 'not-json.json')}: it is not JSON \\(.+\\)$`)],
    [null, ['--replay', file('not-recording.json', '[1]'), 'dev'],
      `rdma-ts: ${join(dir, 'not-recording.json')} is not an rdma-ts recording (format undefined)`],
    ['dev', ['-b', file('unknown-line.txt', 'dev\nfrob\n')], "Unknown object 'frob'."],
    ['dev', ['-b', file('bad-option-line.txt', '-q dev\n')], "rdma-ts: invalid option -- 'q'"],
    ['dev', ['-b', file('bad-device-line.txt', 'dev show nosuch\n')], 'Wrong device name - nosuch'],
  ]],
];

let n = 0;
for (const [group, cases] of CATALOGUE) {
  for (const [rec, argv, first] of cases) {
    n++;
    test(`${group}: rdma-ts ${argv.join(' ')}`, (t) => {
      const r = rdmaTs([...(rec ? ['--replay', REC[rec]] : []), ...argv]);
      t.not(r.status, 0, 'exit status');
      const lines = r.stderr.split('\n');
      // A batch prints the good lines' output first; the failing line's message is the first stderr line.
      if (typeof first === 'string') t.is(lines[0], first, r.stderr);
      else t.regex(lines[0], first);
      t.false(/internal error|\n\s+at /.test(r.stderr), 'no stack');
    });
  }
}

test('the catalogue has at least 60 wrong command lines', (t) => {
  t.true(n >= 60, `${n} cases`);
});

test('missing privilege: entering a namespace without CAP_SYS_ADMIN says so (setpriv to nobody)', (t) => {
  const ns = `rdmats-bad-${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) return t.fail('ip netns add failed (the host tier runs as root)');
  try {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, '-n', ns, 'dev'],
      { encoding: 'utf8', cwd: ROOT });
    t.is(r.status, 1);
    t.is(r.stderr,
      `rdma-ts: cannot enter network namespace /var/run/netns/${ns}: Operation not permitted (entering a network namespace ` +
        `needs CAP_SYS_ADMIN; run as root)\n`);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
});

test('missing privilege: a write the kernel refuses with EPERM names CAP_NET_ADMIN (synthetic answer: the lab runs as root)', (t) => {
  // The device dump comes from the real recording; the SET gets -EPERM, as from a kernel without CAP_NET_ADMIN.
  const recorded = (JSON.parse(spawnSync('cat', [REC.dev],
    { encoding: 'utf8' }).stdout) as { exchanges: Array<{ replies: string[] }> }).exchanges[0].replies;
  const factory = Session.socketFactory;
  Session.socketFactory = () => answeringSocket((req) => {
    const cmd = req.readUInt16LE(4) & 0x3ff;
    return cmd === 1 ? recorded.map((h) => { const b = Buffer.from(h, 'hex'); b.writeUInt32LE(req.readUInt32LE(8),
      8); return b; }) : [errMsg(req, 1)];
  });
  let stderr = '';
  const ew = process.stderr.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    t.is(main(['dev', 'set', 'rxe0', 'name', 'rxe9']), 1);
  } finally {
    process.stderr.write = ew;
    Session.socketFactory = factory;
  }
  t.is(stderr,
    'error: Operation not permitted\nhint: this needs CAP_NET_ADMIN in the user namespace that owns the network namespace (run as root)\n');
});
