// top's command line: every bad input gets a specific error and a non-zero
// exit before anything is read; help goes to stdout.
import test from 'ava';
import { rdmaTs } from './support/cli.js';
import { socket } from './support/host.js';

const errors: Array<[string[], string]> = [
  [['top', '-i', '0.1'], "top: the interval must be 0.2 to 60 seconds, not '0.1'"],
  [['top', '-i', '61'], "top: the interval must be 0.2 to 60 seconds, not '61'"],
  [['top', '--interval=abc'], "top: the interval must be 0.2 to 60 seconds, not 'abc'"],
  [['top', '-c', '0'], "top: the count must be a whole number of samples, 1 or more, not '0'"],
  [['top', '-c2.5'], "top: the count must be a whole number of samples, 1 or more, not '2.5'"],
  [['top', '-c'], 'top: -c needs a value'],
  [['top', '--view', 'ports,bogus'], "top: unknown view 'bogus' (views: ports, counters, processes, namespaces, all)"],
  [['top', '--bind-auto', 'all'], "top: --bind-auto takes pid, type or type,pid, not 'all'"],
  [['top', 'bogus'], "top: unknown option 'bogus'"],
  [['top', '--frobnicate'], "top: unknown option '--frobnicate'"],
  [['-n', 'x', '--all-netns', 'top'], '-n and --all-netns cannot be used together: -n runs in one namespace, --all-netns in every one'],
  [['-c', '3', 'top'], "invalid option -- 'c'"],
];
for (const [argv, message] of errors) {
  test(`rdma-ts ${argv.join(' ')}: ${message}`, (t) => {
    const r = rdmaTs(argv);
    t.is(r.status, 1);
    t.true(r.stderr.includes(message), r.stderr);
    t.is(r.stdout, '', 'nothing on stdout');
  });
}

test('top help (and --help) print top\'s usage on stdout, exit 0', (t) => {
  const r = rdmaTs(['top', 'help']);
  t.is(r.status, 0, r.stderr);
  t.true(r.stdout.startsWith('Usage: rdma-ts [ -j ] [ -n NETNS | --all-netns ] top [ -i SECONDS ] [ -c COUNT ] [ --no-tui ]\n'));
  t.true(r.stdout.includes('--bind-auto M'));
});

test('the object list names rdma-ts\'s own objects: gid, cgroup, doctor, exporter, top', (t) => {
  t.true(rdmaTs(['help']).stdout.includes('OBJECT := { dev | link | resource | monitor | system | statistic | gid | cgroup | ' +
    'doctor | exporter | top | help }'));
});

const rdmaHere = socket('rdma') === 0;
(rdmaHere ? test.skip : test)(`top on a kernel without RDMA netlink: says which module is missing, exit ` +
  `1${rdmaHere ? ' (skipped: this host has RDMA netlink)' : ''}`, (t) => {
  const r = rdmaTs(['top', '--no-tui', '-c', '1']);
  t.is(r.status, 1);
  t.true(r.stderr.includes('this kernel has no RDMA netlink'), r.stderr);
  t.is(r.stdout, '');
});
