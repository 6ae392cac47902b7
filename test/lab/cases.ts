// The lab tier's cases, per scenario (src/lab/scenarios.ts).
// A differential case runs iproute2's `rdma` (6.1) and `rdma-ts --compat 6.1`
// against the same frozen kernel state and requires identical stdout and exit
// code; `differs` names the reason where they legitimately differ.
// A check runs rdma-ts alone, for what rdma cannot do (-n PID, --all-netns,
// the upstream layout of features iproute2 6.1 does not know).
// {VAR} is replaced by the scenario's $LAB_VARS (PIDs, namespaces).

export interface LabCase {
  argv: string;
  differs?: string;
  /** Run both tools inside this netns: a name (`ip netns exec`) or a PID (`nsenter`). */
  ns?: string;
  /** Also record this case as fixtures/lab/<kernel>/<scenario>/<fixture>.json (npm run fixtures). */
  fixture?: string;
}

export interface LabCheck {
  name: string;
  /** rdma-ts argv (default layout unless it says --compat). */
  argv: string;
  /** Only on kernels whose release matches. */
  kernel?: RegExp;
  /** Returns what is wrong, or undefined. */
  expect: (r: { stdout: string; stderr: string; status: number }) => string | undefined;
}

const FLAGS = ['', '-j', '-j -p', '-d', '-dd', '-p', '-j -d'];

const BASE = [
  'dev', 'dev show', 'dev list', 'dev show rxe0', 'dev show siw0', 'link', 'link show', 'link show rxe0', 'link show rxe0/1',
  'link show siw0/1', 'system', 'system show', 'res', 'res show', 'res show rxe0', 'res show siw0', 'res show qp', 'res show cq',
  'res show mr', 'res show pd', 'res show cm_id', 'res show ctx', 'res show srq', 'statistic', 'statistic show',
  'statistic show link rxe0/1', 'statistic show link rxe0', 'statistic show link siw0/1', 'statistic qp', 'statistic qp show',
  'statistic qp mode', 'statistic qp mode link rxe0/1', 'statistic mode', 'statistic mode supported', 'statistic mode link rxe0/1',
];

const FILTERS = [
  'res show qp lqpn 1', 'res show qp type RC', 'res show qp type rc,gsi', 'res show qp state RTS', 'res show qp pid {SPID}',
  'res show qp pid {SPID},{CPID}', 'res show qp link rxe0/1', 'res show qp link rxe0', 'res show qp link rxe0/ type RC',
  'res show qp link rxe0/1 lqpn 1-100', 'res show qp rqpn 0-1000', 'res show qp path-mig-state MIGRATED', 'res show qp pdn 1-9',
  'res show qp sq-psn 0-99999999', 'res show qp link siw0/1 state RESET', 'res show qp pid {WSPID}', 'res show cm_id state LISTEN',
  'res show cm_id ps TCP', 'res show cm_id src-port 7174', 'res show cm_id link rxe0/1', 'res show cm_id link siw0/1',
  'res show cm_id qp-type RC', 'res show cm_id dst-addr 10.99.0.1', 'res show cm_id src-addr 10.99.0.2', 'res show cq dev rxe0',
  'res show cq dev siw0', 'res show cq cqn 0', 'res show cq users 2', 'res show cq poll-ctx WORKQUEUE', 'res show cq pid {CPID}',
  'res show mr mrn 1', 'res show mr pdn 1-5', 'res show mr mrlen 64', 'res show mr dev rxe0', 'res show mr dev siw0',
  'res show pd pdn 0', 'res show pd users 0-3', 'res show pd dev rxe0 ctxn 1-9', 'res show ctx pid {SPID}',
  'res show ctx ctxn 0-100', 'statistic qp show link rxe0/1',
];

const ABBREVIATIONS = ['r', 'r s', 'r s q', 'res s q l rxe0/1', 'd', 'd s', 'l s rxe0/1', 'sys', 's', 'st', 'st s', 'stat s l rxe0/1', 'st q m'];

const ERRORS = [
  'dev show nosuch', 'link show nosuch/1', 'link show rxe0/9', 'link show rxe0/-', 'link show rxe0/x',
  'res show qp lqpn', 'res show qp lqpn 1 type', 'res show qp bogus 1', 'res show qp lqpn x1', 'res show qp link',
  'res show cq dev nosuch', 'statistic show link nosuch/1', '-j dev show nosuch', '-j -p link show rxe0',
  'link show rxe0/', '-j res show cq dev nosuch', 'statistic show link rxe0/', 'statistic show link rxe0/-',
  'res show qp link rxe0/-', 'res show qp link rxe0/9',
];

const UNKNOWN_KEYWORD = 'unknown keyword: rdmatool exits 0, rdma-ts exits 1 on purpose (README)';

/** Recorded as fixtures: the forms the unit tests replay against rdma's own output. */
const RPING_FIXTURES: LabCase[] = [
  { argv: 'dev', fixture: 'dev' }, { argv: '-d dev', fixture: 'dev-d' }, { argv: '-j dev', fixture: 'dev-j' },
  { argv: 'link', fixture: 'link' }, { argv: '-j -p link', fixture: 'link-jp' }, { argv: 'system', fixture: 'system' },
  { argv: 'res', fixture: 'res' }, { argv: '-j res', fixture: 'res-j' }, { argv: 'res show qp', fixture: 'qp' },
  { argv: '-d res show qp', fixture: 'qp-d' }, { argv: '-j res show qp', fixture: 'qp-j' }, { argv: 'res show cq', fixture: 'cq' },
  { argv: '-r res show mr', fixture: 'mr-r' }, { argv: 'res show mr', fixture: 'mr' }, { argv: 'res show pd', fixture: 'pd' },
  { argv: 'res show cm_id', fixture: 'cm_id' }, { argv: '-j res show cm_id', fixture: 'cm_id-j' }, { argv: 'res show ctx', fixture: 'ctx' },
  { argv: 'statistic show link rxe0/1', fixture: 'stat-rxe0' }, { argv: '-j statistic show', fixture: 'stat-j' },
  { argv: 'statistic qp show', fixture: 'stat-qp' }, { argv: 'statistic mode supported link rxe0/1', fixture: 'stat-mode' },
  { argv: 'res show qp link siw0/1 type RC', fixture: 'qp-filter' },
];

export const RPING_CASES: LabCase[] = [
  ...BASE.flatMap((c) => FLAGS.map((f) => ({ argv: `${f} ${c}`.trim() }))),
  ...FILTERS.flatMap((c) => ['', '-j'].map((f) => ({ argv: `${f} ${c}`.trim() }))),
  ...ABBREVIATIONS.map((argv) => ({ argv })),
  ...ERRORS.map((argv) => ({ argv })),
  ...RPING_FIXTURES,
  { argv: 'dev frob', differs: UNKNOWN_KEYWORD },
  { argv: 'res show bogus', differs: UNKNOWN_KEYWORD },
  { argv: '-V', differs: 'version string names rdma-ts, not iproute2 (README)' },
  { argv: 'statistic qp show pid {SPID}', differs: '6.1 has no stat qp filters: unknown keyword, rdma-ts exits 1 on purpose' },
];

/** Batch files, run by both with -b FILE and -f -b FILE. */
export const LAB_BATCHES = [
  'dev\nlink show rxe0/1\nres show qp lqpn 1\n# comment\n\nsystem\n',
  'dev show nosuch\ndev\n',
];

export const SCALE_CASES: LabCase[] = [
  { argv: 'res show qp', fixture: 'qp-2001' }, { argv: '-j res show qp' }, { argv: 'res' },
  { argv: 'res show qp lqpn 500-600' }, { argv: '-d res show qp link rxe0/1 lqpn 1-40' }, { argv: 'res show cq' },
  { argv: 'res show mr' }, { argv: '-j -p res show qp lqpn 1-3' }, { argv: 'res show qp type RC state RTS pid {BSPID}' },
  { argv: 'res show qp pid {BCPID} lqpn 1000-2000' }, { argv: '-j res show pd' },
];

const IN_NS = ['dev', 'link', 'res', 'system', '-j dev', '-d link show rxe0/1', 'res show qp', 'res show cq', '-j system',
  '-j -p link', 'statistic show link rxe0/1', 'dev show siw0'];

export const NETNS_CASES: LabCase[] = [
  ...['dev', 'link', 'system', '-j system', 'res'].map((argv) => ({ argv })),
  ...IN_NS.map((argv) => ({ argv, ns: '{NS}' })),
  ...['dev', 'link', '-j res', 'link show rxe1/1', 'system'].map((argv) => ({ argv, ns: '{UPID}' })),
  { argv: 'dev', ns: '{NS}', fixture: 'ns1-dev' }, { argv: '-d link', ns: '{NS}', fixture: 'ns1-link-d' },
  { argv: 'system', fixture: 'system-exclusive' },
];

const has = (needle: string) => (r: { stdout: string; status: number }) =>
  r.status === 0 && r.stdout.includes(needle) ? undefined : `exit ${r.status}, stdout lacks ${JSON.stringify(needle)}:\n${r.stdout}`;
const lacks = (needle: string) => (r: { stdout: string; status: number }) =>
  r.status === 0 && !r.stdout.includes(needle) ? undefined : `exit ${r.status}, stdout has ${JSON.stringify(needle)}:\n${r.stdout}`;
const fails = (message: string) => (r: { stderr: string; status: number }) =>
  r.status !== 0 && r.stderr.includes(message) ? undefined : `exit ${r.status}, stderr lacks ${JSON.stringify(message)}: ${r.stderr}`;

export const NETNS_CHECKS: LabCheck[] = [
  { name: '-n NAME: rxe0 lives in ns1', argv: '-n {NS} dev', expect: has('rxe0:') },
  { name: '-n NAME: the moved netdev shows', argv: '-n {NS} link show rxe0/1', expect: has('netdev veth0') },
  { name: '-n PID: the unnamed netns holds rxe1', argv: '-n {UPID} dev', expect: has('rxe1:') },
  { name: '-n /proc/PID/ns/net: same', argv: '-n /proc/{UPID}/ns/net link', expect: has('link rxe1/1') },
  { name: 'init netns no longer shows the moved devices', argv: 'dev', expect: lacks('rxe') },
  { name: 'system shows exclusive mode', argv: 'system', expect: has('netns exclusive') },
  {
    name: '--all-netns -j: ns1 with rxe0', argv: '--all-netns -j dev',
    expect: (r) => {
      const rows = JSON.parse(r.stdout) as { netns: string; ifname: string }[];
      return rows.some((x) => x.netns === 'ns1' && x.ifname === 'rxe0') ? undefined : `no ns1/rxe0 row: ${r.stdout}`;
    },
  },
  { name: '-n of a missing netns names the path', argv: '-n nosuch dev', expect: fails('/var/run/netns/nosuch') },
];

export const RPING_CHECKS: LabCheck[] = [
  { name: '6.12 system (upstream layout): monitor mode', argv: 'system', kernel: /^6\.12\./, expect: has('monitor ') },
  { name: '6.12 system (upstream layout): privileged-qkey', argv: 'system', kernel: /^6\.12\./, expect: has('privileged-qkey ') },
  // rdmatool's sys show opens no JSON context, so -j prints text (since 5.5; rdmatool.md): kept.
  { name: '6.12 -j system: text like rdmatool, with privileged-qkey and monitor', argv: '-j system', kernel: /^6\.12\./, expect: has('privileged-qkey off monitor on') },
  { name: 'siw has no counters: statistic show fails after rxe', argv: 'statistic show', expect: (r) => (r.status === 1 && r.stdout.includes('link rxe0/1') ? undefined : `exit ${r.status}: ${r.stdout}`) },
];
