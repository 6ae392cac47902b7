import test from 'ava';
import { parseGlobalOptions } from '../src/cli/options.js';
import { matches } from '../src/cli/grammar.js';
import { buildFilters, numericMatches, stringMatches, accepts } from '../src/cli/filters.js';
import { splitLine } from '../src/cli/main.js';
import { rdmaTs, fixture } from './support/cli.js';

test('global options anywhere, combined short flags, -dd, values', (t) => {
  const { opts, args } = parseGlobalOptions(['res', '-jp', 'show', '-dd', 'qp', '-n', 'pod-a', '--compat=6.1']);
  t.deepEqual(args, ['res', 'show', 'qp']);
  t.true(opts.json && opts.pretty);
  t.is(opts.details, 2);
  t.is(opts.netns, 'pod-a');
  t.is(opts.compat, '6.1');
  t.is(parseGlobalOptions(['-npod-b', 'dev']).opts.netns, 'pod-b');
  t.is(parseGlobalOptions(['--json', 'dev']).opts.json, true);
  t.deepEqual(parseGlobalOptions(['stat', 'show', 'link', 'mlx5_1/-']).args, ['stat', 'show', 'link', 'mlx5_1/-']);
  t.throws(() => parseGlobalOptions(['-x', 'dev']), { message: "invalid option -- 'x'" });
  t.throws(() => parseGlobalOptions(['dev', '-n']), { message: "option requires an argument -- 'n'" });
  t.throws(() => parseGlobalOptions(['--bogus']), { message: "unrecognized option '--bogus'" });
});

test('keywords match by prefix, first in table order', (t) => {
  t.true(matches('r', 'resource'));
  t.true(matches('stat', 'statistic'));
  t.false(matches('statx', 'statistic'));
  const sys = rdmaTs(['--replay', fixture('idle-system'), 's']);
  t.is(sys.stdout, 'netns shared privileged-qkey off monitor off copy-on-fork on\n');
  const rsq = rdmaTs(['--compat', '6.1', '--replay', fixture('idle-res'), 'r', 's', 'q']);
  t.is(rsq.stdout, 'link rxe0/1 lqpn 1 type GSI state RTS sq-psn 0 comm [ib_core] \n');
});

test('numeric filters: lists and inclusive ranges', (t) => {
  t.true(numericMatches('1-3,7', 2));
  t.true(numericMatches('1-3,7', 3));
  t.true(numericMatches('1-3,7', 7));
  t.false(numericMatches('1-3,7', 4));
  t.true(numericMatches(',5', 5));
  t.true(stringMatches('rc,ud', 'RC'));
  t.false(stringMatches('rc', 'RCX'));
});

test('filter syntax errors are rdmatool\'s', (t) => {
  const keys = [{ name: 'lqpn', numeric: true }, { name: 'type', numeric: false }];
  t.throws(() => buildFilters(['lqpn'], keys), { message: 'No filter data was supplied to filter option lqpn' });
  t.throws(() => buildFilters(['lqpn', '1', 'type'], keys), { message: 'There is filter option without data' });
  t.throws(() => buildFilters(['bogus', '1'], keys), { message: 'Unsupported filter option: bogus' });
  t.throws(() => buildFilters(['lq', '1x'], keys), { message: 'lq filter accepts "1234567890,-" characters only' });
  const f = buildFilters(['l', '1-2', 'ty', 'RC'], keys);
  t.true(accepts(f, keys, (k) => (k === 'lqpn' ? 2 : 'RC')));
  t.false(accepts(f, keys, (k) => (k === 'lqpn' ? 2 : undefined)), 'a record lacking a filtered attribute is dropped');
  // rdmatool keeps the typed key: `l` resolves to `link` but is a prefix of `lqpn` too.
  const link = [{ name: 'link', numeric: false, inert: true }, ...keys];
  const byL = buildFilters(['l', 'rxe0/1'], link);
  t.true(accepts(byL, link, () => 1), 'digits of rxe0/1 are 0 and 1');
  t.false(accepts(byL, link, () => 17));
  const mig = [{ name: 'path-mig-state', numeric: false, whenPresent: true }];
  t.true(accepts(buildFilters(['path', 'MIGRATED'], mig), mig, () => undefined), 'path-mig-state spares QPs without it');
});

test('filters on the CLI select QPs by pid, state and port', (t) => {
  const run = (...a: string[]) => rdmaTs(['--compat', '6.1', '--replay', fixture('rping-a'), 'res', 'show', 'qp', ...a]).stdout;
  t.is(run('pid', '545').split('\n').filter(Boolean).length, 1);
  t.is(run('pid', '542,545').split('\n').filter(Boolean).length, 2);
  t.is(run('type', 'gsi').split('\n').filter(Boolean).length, 1);
  t.is(run('lqpn', '17-18', 'pdn', '4').trim().split(' ')[3], '18');
  const port = rdmaTs(['--replay', fixture('rping-qp-filter'), 'res', 'show', 'qp', 'link', 'rxe0/1', 'state', 'RTS']);
  t.is(port.stdout.split('\n').filter(Boolean).length, 3);
});

test('DEV/PORT forms', (t) => {
  const run = (arg: string) => rdmaTs(['--compat', '6.1', '--replay', fixture('idle-link'), 'link', 'show', arg]);
  t.is(run('siw0/1').stdout, 'link siw0/1 state ACTIVE physical_state LINK_UP netdev veth1 \n');
  t.is(run('siw0').stderr, 'Wrong device name\n', 'link show needs DEV/PORT (as iproute2 6.1 does in the lab)');
  t.is(run('siw0/').stderr, 'Wrong device name\n');
  const stat = (arg: string) => rdmaTs(['--compat', '6.1', '--replay', fixture('idle-stat'), 'stat', 'show', 'link', arg]);
  t.deepEqual([stat('rxe0/-').stdout, stat('rxe0/-').status], ['', 0], 'stat show link DEV/- prints nothing, like rdmatool');
  const bad = run('siw0/2');
  t.is(bad.status, 1);
  t.is(bad.stderr, 'Wrong device name\n');
  t.is(run('siw0/-').stderr, 'Wrong device name\n', 'link show is strict about ports');
  t.is(run('siw0/x').stderr, 'Wrong device name\n');
  t.is(run('nosuch/1').stderr, 'Wrong device name\n');
});

test('batch lines split like iproute2 makeargs', (t) => {
  t.deepEqual(splitLine('res show qp  lqpn 1 # comment'), ['res', 'show', 'qp', 'lqpn', '1']);
  t.deepEqual(splitLine('dev show "a b"'), ['dev', 'show', 'a b']);
  t.deepEqual(splitLine('   '), []);
});

test('batch mode runs every line, stops at a failure unless -f', (t) => {
  const ok = rdmaTs(['--compat', '6.1', '--replay', fixture('idle-dev'), '-b', '-'], {}, 'dev show rxe0\n\n# c\ndev show rxe0\n');
  t.is(ok.status, 0);
  t.is(ok.stdout.split('\n').filter(Boolean).length, 2);
  const stop = rdmaTs(['--replay', fixture('idle-dev'), '-b', '-'], {}, 'dev show nosuch\ndev show rxe0\n');
  t.is(stop.status, 1);
  t.is(stop.stdout, '');
  t.regex(stop.stderr, /Wrong device name - nosuch\nCommand failed -:1/);
  const force = rdmaTs(['--compat', '6.1', '--replay', fixture('idle-dev'), '-f', '-b', '-'], {}, 'dev show nosuch\ndev show rxe0\n');
  t.is(force.status, 1);
  t.is(force.stdout.split('\n').filter(Boolean).length, 1);
});
