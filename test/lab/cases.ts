// The lab tier's cases, per scenario (src/lab/scenarios.ts).
// A differential case runs against two oracles on the same frozen kernel
// state: Debian's iproute2 6.1 `rdma` against `rdma-ts --compat 6.1`, and
// upstream iproute2 7.1's (test/oracle) against rdma-ts's default layout.
// Each requires identical stdout and exit code; `differs` (and `upstream`,
// for 7.1) names the reason where they legitimately differ and asserts that
// exact difference.
// A check runs rdma-ts alone, for what rdma cannot do (-n PID, --all-netns,
// the upstream layout of features iproute2 6.1 does not know).
// {VAR} is replaced by the scenario's $LAB_VARS (PIDs, namespaces).

import { all, exits, fails, has, lacks, matchesRe, stderrHas, stdoutHas } from './expect.js';

/** Which iproute2 a case is compared with. */
export type OracleName = '6.1' | '7.1';

export interface LabCase {
  argv: string;
  /** An allowed difference: why, and the exact difference it allows (checked instead of identity). */
  differs?: AllowedDifference;
  /** Against 7.1, when it is not `differs`: 'same' for identical output there. */
  upstream?: AllowedDifference | 'same';
  /** Only against these (default: both); e.g. forms iproute2 6.1 does not have. */
  oracles?: OracleName[];
  /** Only on kernels whose release matches (skipped elsewhere, with the reason). */
  kernel?: RegExp;
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
  /** Shell run before rdma-ts (state the check needs). */
  before?: string;
  /** Shell run after it (puts the state back). */
  after?: string;
}

/**
 * A write command run through both tools on the same state: `before`, rdma,
 * `after`, then `before`, rdma-ts, `after`. stdout and exit status must be
 * identical and every line rdma prints on stderr must appear in rdma-ts's
 * stderr (rdma-ts may add a `hint:` line or a path).
 */
export interface WriteCase {
  argv: string;
  before?: string;
  after?: string;
  /** An allowed difference: why, and the exact difference it allows (checked instead of identity). */
  differs?: AllowedDifference;
  /** Against 7.1, when it is not `differs`: 'same' for identical output there. */
  upstream?: AllowedDifference | 'same';
  /** Only against these (default: both). */
  oracles?: OracleName[];
  /** Only on kernels whose release matches (skipped elsewhere, with the reason). */
  kernel?: RegExp;
}

export interface Outcome2 { stdout: string; stderr: string; status: number }
export interface AllowedDifference {
  why: string;
  /** What must be true of both outcomes: undefined when the difference is exactly the one allowed. */
  expect: (rdma: Outcome2, ours: Outcome2) => string | undefined;
}

/**
 * An incomplete change: both print their usage on stdout (rdma-ts's names rdma-ts and its
 * additions), rdma exits `rdmaStatus` with one of `rdmaStderr` on stderr, and rdma-ts exits 1 and
 * says on stderr exactly what is missing.
 */
export const incompleteChange = (missing: string, rdmaStatus = 0, rdmaStderr = ['']): AllowedDifference => ({
  why: `usage names rdma-ts and its additions, and an incomplete change exits 1 (rdma: ${rdmaStatus}) and says what is missing`,
  expect: (a, b) => {
    const both = `rdma: exit ${a.status} stdout ${JSON.stringify(a.stdout.slice(0, 80))} stderr ${JSON.stringify(a.stderr)}; ` +
      `rdma-ts: exit ${b.status} stdout ${JSON.stringify(b.stdout.slice(0, 80))} stderr ${JSON.stringify(b.stderr)}`;
    if (a.status !== rdmaStatus || b.status !== 1) return `exit (want ${rdmaStatus} and 1): ${both}`;
    if (!/Usage:/.test(a.stdout) || !/\brdma /.test(a.stdout) || !rdmaStderr.includes(a.stderr)) return `rdma's usage and stderr: ${both}`;
    if (!/Usage:/.test(b.stdout) || !/\brdma-ts /.test(b.stdout)) return `rdma-ts's usage: ${both}`;
    return b.stderr === `${missing}\n` ? undefined : `rdma-ts stderr (want ${JSON.stringify(missing)}): ${both}`;
  },
});

/**
 * rdmatool ignores an unknown keyword (exit 0); rdma-ts names it as rdmatool's message does
 * (`Unknown parameter 'x'.`, or `Unknown command 'x'.` where a command was expected) and exits 1,
 * changing nothing (same stdout).
 */
export const unknownWord = (word: string, what = 'parameter'): AllowedDifference => ({
  why: 'an unknown keyword exits 1 (rdma: 0)',
  expect: (a, b) => (a.status === 0 && b.status === 1 && a.stdout === b.stdout && b.stderr === `Unknown ${what} '${word}'.\n`
    && (a.stderr === '' || a.stderr === b.stderr)
    ? undefined : `rdma exit ${a.status} stdout ${JSON.stringify(a.stdout)} stderr ${JSON.stringify(a.stderr)}; rdma-ts exit ${b.status} ` +
      `stderr ${JSON.stringify(b.stderr)}`),
});

/** Same exit status and stdout; rdma's stderr is one of `theirs` (each with its reason), rdma-ts's is `ours`. */
export const ownStderr = (why: string, theirs: string[], ours: string): AllowedDifference => ({
  why,
  expect: (a, b) => (a.status === b.status && a.stdout === b.stdout && theirs.includes(a.stderr) && b.stderr === ours
    ? undefined : `exit ${a.status}/${b.status}; rdma stderr ${JSON.stringify(a.stderr)} (one of ${JSON.stringify(theirs)}); ` +
      `rdma-ts stderr ${JSON.stringify(b.stderr)} (want ${JSON.stringify(ours)})`),
});

/**
 * A whole shell script run as processes (for what cannot run inside the
 * runner's process, such as a monitor that streams until a signal). $RDMA_TS
 * is the rdma-ts command line; the script's output is checked.
 */
export interface ShellCheck {
  name: string;
  kernel?: RegExp;
  script: string;
  /** Default 180 s. */
  timeoutMs?: number;
  /** A figure worth printing with the run's notes (a measurement), from the output. */
  note?: (r: { stdout: string }) => string | undefined;
  expect: (r: { stdout: string; stderr: string; status: number }) => string | undefined;
}

const FLAGS = ['', '-j', '-j -p', '-d', '-dd', '-p', '-j -d'];

const BASE = [
  'dev', 'dev show', 'dev list', 'dev show rxe0', 'dev show siw0', 'link', 'link show', 'link show rxe0', 'link show rxe0/1',
  'link show siw0/1', 'system', 'system show', 'res', 'res show', 'res show rxe0', 'res show siw0', 'res show qp', 'res show cq',
  'res show mr', 'res show pd', 'res show cm_id', 'res show ctx', 'res show srq', 'statistic', 'statistic show',
  'statistic show link rxe0/1', 'statistic show link rxe0', 'statistic show link siw0/1', 'statistic qp', 'statistic qp show',
  'statistic qp mode', 'statistic qp mode link rxe0/1', 'statistic mode', 'statistic mode supported', 'statistic mode link rxe0/1',
  'statistic mr', 'statistic mr show', 'statistic show mr',
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
  'res show ctx ctxn 0-100', 'statistic qp show link rxe0/1', 'res show srq dev rxe0', 'res show srq type BASIC', 'res show qp type XYZ',
  'res show srq pid {QSPID}', 'res show srq pid {Q1SPID}', 'res show srq lqpn 1-1000',
  // lqpn filters that split the server SRQ's range: what 6.1 prints as the comm follows (model/srq-qps.ts).
  'res show srq lqpn {SRQLO}', 'res show srq lqpn {SRQHI}', 'res show srq lqpn {SRQLO},{SRQHI}',
  'res show srq srqn 0', 'res show srq cqn 0-99', 'statistic mr mrn 1-5',
  '-r res show qp', '-r res show cq', '-r res show mr dev rxe0', '-r res show srq',
];

const ABBREVIATIONS = ['r', 'r s', 'r s q', 'res s q l rxe0/1', 'd', 'd s', 'l s rxe0/1', 'sys', 's', 'st', 'st s',
  'stat s l rxe0/1', 'st q m'];

const ERRORS = [
  'dev show nosuch', 'link show nosuch/1', 'link show rxe0/9', 'link show rxe0/-', 'link show rxe0/x',
  'res show qp lqpn', 'res show qp lqpn 1 type', 'res show qp bogus 1', 'res show qp lqpn x1', 'res show qp link',
  'res show cq dev nosuch', 'statistic show link nosuch/1', '-j dev show nosuch', '-j -p link show rxe0',
  'link show rxe0/', '-j res show cq dev nosuch', 'statistic show link rxe0/', 'statistic show link rxe0/-',
  'res show qp link rxe0/-', 'res show qp link rxe0/9',
];

/** -V: each names itself; both exit 0. */
const versionString = (iproute2: string): AllowedDifference => ({
  why: 'the version string names rdma-ts, not iproute2 (README)',
  expect: (a, b) => (a.status === 0 && b.status === 0 && a.stdout === `rdma utility, iproute2-${iproute2}\n` &&
    /^rdma-ts utility, rdma-ts-\d+\.\d+\.\d+\n$/.test(b.stdout)
    ? undefined : `rdma exit ${a.status} ${JSON.stringify(a.stdout)}; rdma-ts exit ${b.status} ${JSON.stringify(b.stdout)}`),
});

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
  { argv: 'res show srq', fixture: 'srq' }, { argv: '-j res show srq', fixture: 'srq-j' }, { argv: '-d res show srq', fixture: 'srq-d' },
  { argv: 'statistic show mr', fixture: 'stat-mr' }, { argv: '-j statistic mr', fixture: 'stat-mr-j' },
  { argv: '-r res show qp', fixture: 'qp-r' }, { argv: '-dd res show qp', fixture: 'qp-dd' },
  // The default layout's own forms, against iproute2 7.1's bytes only.
  { argv: '-o stat show link rxe0/1', fixture: 'stat-rxe0-o', oracles: ['7.1'] }, { argv: '-o -d res show qp', fixture: 'qp-do',
    oracles: ['7.1'] },
];

export const RPING_CASES: LabCase[] = [
  ...BASE.flatMap((c) => FLAGS.map((f) => ({ argv: `${f} ${c}`.trim() }))),
  ...FILTERS.flatMap((c) => ['', '-j'].map((f) => ({ argv: `${f} ${c}`.trim() }))),
  ...ABBREVIATIONS.map((argv) => ({ argv })),
  ...ERRORS.map((argv) => ({ argv })),
  ...RPING_FIXTURES,
  { argv: 'dev frob', differs: unknownWord('frob', 'dev command') },
  { argv: 'link frob', differs: unknownWord('frob', 'link command') },
  { argv: 'system frob', differs: unknownWord('frob', 'system command') },
  { argv: 'res frob', differs: unknownWord('frob', 'resource command') },
  { argv: 'res show bogus', differs: unknownWord('bogus') },
  { argv: 'system show netns' }, { argv: 'system show bogus', differs: unknownWord('bogus') },
  { argv: 'statistic bogus', differs: unknownWord('bogus', 'statistic command') },
  { argv: '-V', differs: versionString('6.1.0'), upstream: versionString('7.1.0') },
  // 6.1 has no stat qp filters: an unknown keyword there.
  { argv: 'statistic qp show pid {SPID}', differs: unknownWord('pid'), upstream: 'same' },
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
  { name: '6.12 -j system: text like rdmatool, with privileged-qkey and monitor', argv: '-j system', kernel: /^6\.12\./,
    expect: has('privileged-qkey off monitor on') },
  { name: 'siw has no counters: statistic show fails after rxe', argv: 'statistic show',
    expect: (r) => (r.status === 1 && r.stdout.includes('link rxe0/1') ? undefined : `exit ${r.status}: ${r.stdout}`) },
];

// Write commands on the rping state (shared mode, stock rxe0 + siw0), as rdma 6.1 has them.
export const WRITE_CASES: WriteCase[] = [
  { argv: 'dev set' }, { argv: 'dev set nosuch name x' }, { argv: 'dev set rxe0 name' },
  { argv: 'dev set rxe0', differs: incompleteChange('dev set: what to set is missing (name, netns or adaptive-moderation)') },
  { argv: 'dev set rxe0 name rxe9', after: 'rdma dev set rxe9 name rxe0' },
  { argv: 'dev set rxe0 name siw0' },
  { argv: 'dev set rxe0 bogus', differs: unknownWord('bogus') },
  { argv: 'dev set rxe0 netns' }, { argv: 'dev set rxe0 netns nosuch' },
  { argv: 'dev set rxe0 netns nsx', before: 'ip netns add nsx', after: 'ip netns delete nsx' },
  { argv: 'dev set rxe0 adaptive-moderation on', after: 'rdma dev set rxe0 adaptive-moderation off' },
  { argv: 'dev set rxe0 adaptive-moderation maybe', differs: unknownWord('maybe') },
  { argv: 'link add' }, { argv: 'link add rxe5 type rxe netdev' },
  { argv: 'link add rxe5 type rxe', differs: incompleteChange('link add: netdev NETDEV is missing') },
  { argv: 'link add rxe5 type rxe netdev nosuchif' }, { argv: 'link add rxe5 type bogus netdev veth0' },
  { argv: 'link add rxe5 type rxe netdev veth0' }, { argv: 'link add rxe0 type rxe netdev veth1' },
  { argv: 'link add siwx type siw netdev veth1' },
  { argv: 'link add rxe6 type rxe netdev veth1', after: 'rdma link delete rxe6' },
  { argv: 'link delete rxe6', before: 'rdma link add rxe6 type rxe netdev veth1' },
  { argv: 'link delete' }, { argv: 'link delete nosuch' },
  { argv: 'system set', differs: incompleteChange('system set: what to set is missing (netns or privileged-qkey)') },
  { argv: 'system set netns' }, { argv: 'system set netns bogus' },
  { argv: 'system set netns exclusive', before: 'ip netns add nsb', after: 'ip netns delete nsb' },
  { argv: 'system set netns exclusive', after: 'rdma system set netns shared' },
  { argv: 'system set netns shared' },
  // Counters. rxe has QP counter modes but cannot allocate per-QP counters (no counter_alloc_stats), and no optional counters.
  { argv: 'stat qp set link rxe0/1 auto type on', after: 'rdma stat qp set link rxe0/1 auto off' },
  { argv: 'stat qp set link rxe0/1 auto type,pid on', after: 'rdma stat qp set link rxe0/1 auto off' },
  { argv: 'stat qp set link rxe0/1 auto pid on', after: 'rdma stat qp set link rxe0/1 auto off' },
  { argv: 'stat qp set link rxe0/1 auto off' }, { argv: 'stat qp set link rxe0/1' },
  { argv: 'stat qp set link rxe0/1 auto bogus on' }, { argv: 'stat qp set link rxe0/1 auto type maybe' },
  { argv: 'stat qp set link rxe0/1 auto' }, { argv: 'stat qp set link rxe0/1 auto type' },
  { argv: 'stat qp set link nosuch/1 auto off' },
  { argv: 'stat qp bind link rxe0/1 lqpn {RCQP}' }, { argv: 'stat qp bind link rxe0/1 lqpn 1' },
  { argv: 'stat qp bind link rxe0/1 lqpn 99999 cntn 3' }, { argv: 'stat qp bind link rxe0 lqpn 1' },
  { argv: 'stat qp bind link rxe0/1 lqpn 1-3' }, { argv: 'stat qp bind link rxe0/1 bogus 1' },
  { argv: 'stat qp bind link rxe0/1', differs: incompleteChange('statistic: nothing after link rxe0/1', 1) },
  { argv: 'stat qp unbind link rxe0/1 cntn 1' }, { argv: 'stat qp unbind link rxe0/1 cntn 1 lqpn {RCQP}' },
  { argv: 'stat unset link rxe0/1 optional-counters' },
  { argv: 'stat unset link rxe0/1 optional-counters x',
    differs: incompleteChange("statistic: unset optional-counters takes nothing more, not 'x'", 1) },
  { argv: 'stat set link rxe0/1 optional-counters cc_rx_ce_pkts', differs: ownStderr(
    'rdma prints "error: Success" on 6.1 (a stale errno) and "error: Operation not supported" on 6.12; rdma-ts names the missing counter',
    ['error: Success\n', 'error: Operation not supported\n'],
      "rdma-ts: rxe0/1 has no optional counter named 'cc_rx_ce_pkts' (optional counters there: none)\n") },
  // rdma 6.1 also prints a stale errno here.
  { argv: 'stat set link rxe0/1', differs: incompleteChange('statistic: nothing after link rxe0/1', 1, ['error: Success\n',
    'error: Operation not supported\n']) },
];


/** rdma-ts-only behaviour of writes on the rping state (shared mode). */
export const WRITE_CHECKS: LabCheck[] = [
  { name: '--dry-run prints the request', argv: '--dry-run dev set rxe0 name rxe9', expect: all(exits(0),
    has('dry-run: would send RDMA_NLDEV_CMD_SET: DEV_INDEX 0, DEV_NAME "rxe9"')) },
  { name: '--dry-run changed nothing', argv: 'dev show rxe0', expect: has('rxe0:') },
  { name: '--dry-run link add', argv: '--dry-run link add rxe7 type rxe netdev veth1',
    expect: has('RDMA_NLDEV_CMD_NEWLINK: DEV_NAME "rxe7", NDEV_NAME "veth1", LINK_TYPE "rxe"') },
  { name: 'move in shared mode: the hint says exclusive mode and the command', argv: 'dev set rxe0 netns nsx',
    before: 'ip netns add nsx', after: 'ip netns delete nsx',
    expect: all(exits(1), stderrHas('error: Operation not supported'), stderrHas('rdma-ts system set netns exclusive')) },
  { name: 'EBUSY lists the blocking named netns and the way out', argv: 'system set netns exclusive',
    before: 'ip netns add nsb', after: 'ip netns delete nsb',
    expect: all(exits(1), stderrHas('error: Device or resource busy'), stderrHas('named   nsb (/var/run/netns/nsb'),
      stderrHas('ip netns delete NAME')) },
  { name: 'EBUSY lists an unnamed netns with its PID and comm', argv: 'system set netns exclusive',
    before: 'unshare -n sleep 600 & echo $! > /tmp/unshare.pid; sleep 0.5', after: 'kill $(cat /tmp/unshare.pid)',
    expect: all(exits(1), stderrHas('unnamed net:['), stderrHas('(sleep)')) },
  { name: 'link add on a netdev that has a link names the owner', argv: 'link add rxe5 type rxe netdev veth0',
    expect: all(exits(1), stderrHas('netdev veth0 already has an RDMA link (rxe0)')) },
  { name: 'link add with a taken name says so', argv: 'link add rxe0 type rxe netdev veth1', expect: all(exits(1),
    stderrHas('an RDMA device named rxe0 already exists')) },
  { name: 'dev set name clash says so', argv: 'dev set rxe0 name siw0', expect: all(exits(1),
    stderrHas('an RDMA device named siw0 already exists')) },
  // Both Debian kernels have the privileged-qkey sysctl (6.1 by backport); iproute2 6.1 cannot set it.
  { name: 'system set privileged-qkey on', argv: 'system set privileged-qkey on', expect: exits(0) },
  { name: 'system show: privileged-qkey is on', argv: 'system', expect: has('privileged-qkey on') },
  { name: 'system set privileged-qkey off', argv: 'system set privileged-qkey off', expect: exits(0) },
  { name: 'system show: privileged-qkey is off again', argv: 'system', expect: has('privileged-qkey off') },
  { name: 'bind on rxe: ENOMEM explained (no per-QP counters in the driver)', argv: 'stat qp bind link rxe0/1 lqpn {RCQP}',
    expect: all(exits(1), stderrHas('error: Cannot allocate memory'), stderrHas("rxe0/1's driver cannot allocate per-QP counters")) },
  { name: 'optional counters that do not exist are named', argv: 'stat set link rxe0/1 optional-counters cc_rx_ce_pkts',
    expect: all(exits(1), stderrHas("rxe0/1 has no optional counter named 'cc_rx_ce_pkts' (optional counters there: none)")) },
  { name: 'auto mode with optional-counters on a kernel before 6.15: refused, and why',
    argv: 'stat qp set link rxe0/1 auto type on optional-counters on',
    expect: all(exits(1), stderrHas('optional counters in auto mode need Linux 6.15 or newer'), stderrHas('drop "optional-counters on"')) },
  { name: 'and the mode did not change', argv: 'stat qp mode link rxe0/1', expect: has('mode qp auto off') },
  { name: '--dry-run stat qp bind prints the request', argv: '--dry-run stat qp bind link rxe0/1 lqpn {RCQP} cntn 2',
    expect: all(exits(0), matchesRe(new RegExp('RDMA_NLDEV_CMD_STAT_SET: DEV_INDEX 0, PORT_INDEX 1, RES_LQPN \\d+, STAT_MODE 2, ' +
      'STAT_RES 19, STAT_COUNTER_ID 2\n'))) },
  { name: 'res set frmr_pools on a kernel before 7.0: which release adds it', argv: 'res set frmr_pools dev rxe0 aging 5',
    expect: all(exits(1), stderrHas('error: Invalid argument'), stderrHas('RDMA_NLDEV_CMD_FRMR_POOLS_SET is new in Linux 7.0')) },
  { name: 'res show frmr_pools on a kernel before 7.0: which release adds it', argv: 'res show frmr_pools',
    expect: all(exits(1), stderrHas('RDMA_NLDEV_CMD_FRMR_POOLS_GET is new in Linux 7.0')) },
  { name: 'dev add on 6.1: NEWDEV is newer than the kernel', argv: 'dev add smi0 type smi parent rxe0', kernel: /^6\.1\./,
    expect: all(exits(1), stderrHas('RDMA_NLDEV_CMD_NEWDEV is new in Linux 6.11')) },
  { name: 'dev add on 6.12 with an rxe parent: no SMI there', argv: 'dev add smi0 type smi parent rxe0', kernel: /^6\.12\./,
    expect: all(exits(1), stderrHas('does not support smi sub-devices')) },
  { name: 'dev delete of a link device on 6.12: not a sub-device, use link delete', argv: 'dev delete siw0', kernel: /^6\.12\./,
    expect: all(exits(1), stderrHas('siw0 is not a sub-device'), stderrHas('rdma-ts link delete siw0')) },
  { name: 'and siw0 is still there', argv: 'dev show siw0', expect: has('siw0:') },
  { name: 'monitor on 6.1: not supported, and since when', argv: 'monitor', kernel: /^6\.1\./,
    expect: all(exits(1), stderrHas('RDMA monitoring is not supported by the kernel'), stderrHas('need Linux 6.13 or newer')) },
];

/**
 * Live device events on a kernel that sends them: a text and a JSON monitor
 * join the NOTIFY group (seen in /proc/net/netlink: protocol 20, group bit 8),
 * a link is added on a dummy netdev, renamed, its netdev renamed, deleted;
 * then SIGINT ends one monitor and SIGTERM the other, both with exit 0.
 */
const MONITOR_SCRIPT = `
ip link add dmon type dummy && ip link set dmon up
$RDMA_TS monitor > /tmp/mon.txt 2> /tmp/mon.err & P1=$!
$RDMA_TS -j monitor > /tmp/mon.json 2>> /tmp/mon.err & P2=$!
i=0; while [ $(awk '$2 == 20 && $4 == "00000008"' /proc/net/netlink | wc -l) -lt 2 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
rdma link add rxe7 type rxe netdev dmon
rdma dev set rxe7 name rxe8
ip link set dmon name dmon2
rdma link delete rxe8
ip link del dmon2
sleep 1
kill -INT $P1; kill -TERM $P2; wait $P1; R1=$?; wait $P2; R2=$?
echo "exit text=$R1 json=$R2"; cat /tmp/mon.txt; echo ---; cat /tmp/mon.json; echo ---; cat /tmp/mon.err
`;

export const SHELL_CHECKS: ShellCheck[] = [
  {
    name: 'monitor: live events as text and JSON lines; SIGINT and SIGTERM end it cleanly', kernel: /^6\.12\./, script: MONITOR_SCRIPT,
    // Debian's 6.12 sends REGISTER, NETDEV_ATTACH and UNREGISTER (no RENAME events yet, lab-checked);
    // the rename shows in UNREGISTER's name.
    expect: all(has('exit text=0 json=0'),
      matchesRe(new RegExp('^\\[REGISTER\\]\tdev (\\d+) rxe7\n\\[NETDEV_ATTACH\\]\tdev \\1 rxe7 port 1 netdev \\d+ dmon\n' +
        '\\[UNREGISTER\\]\tdev \\1 rxe8\n---\n', 'm')),
      has('{"event_type":"[REGISTER]","rdma_index":'), has('"rdma_dev":"rxe7","port":1,"netdev_idx":'), has('"netdev_name":"dmon"}'),
      (r) => (r.stdout.split('---')[1].trim().split('\n').every((l) => { try { JSON.parse(l); return true; } catch { return false; } })
        ? undefined : `not one JSON object per line:\n${r.stdout}`),
      (r) => (r.stdout.trimEnd().endsWith('---') ? undefined : `monitor wrote to stderr:\n${r.stdout}`)),
  },
];

/** Moves with the lab rxe (rdma_rxe_lab) in exclusive mode: rxe0 + veth0 live in ns1, rxe1 + veth2 in the unnamed netns. */
export const MOVE_CHECKS: LabCheck[] = [
  { name: 'stock siw cannot move: the hint names the driver and the way out', argv: 'dev set siw0 netns {NS}',
    expect: all(exits(1), stderrHas('error: Operation not supported'), stderrHas("siw0's driver cannot move"), stderrHas('link add')) },
  { name: 'already in the target: success, and says so', argv: '-n {NS} dev set rxe0 netns {NS} --with-netdev',
    expect: all(exits(0), has('rxe0: already in netns')) },
  { name: '--with-netdev to host moves rxe0 and veth0', argv: '-n {NS} dev set rxe0 netns host --with-netdev',
    expect: all(exits(0), has('rxe0: moved to netns host'), has('veth0: moved to netns host')) },
  { name: 'rxe0 is back in init_net with its netdev', argv: 'link show rxe0/1', expect: has('netdev veth0') },
  { name: '--with-netdev into ns1 again', argv: 'dev set rxe0 netns {NS} --with-netdev', expect: all(exits(0),
    has('rxe0: moved to netns'), has('veth0: moved to netns')) },
  { name: 'visible from inside through -n', argv: '-n {NS} link show rxe0/1', expect: has('netdev veth0') },
  { name: 'forced failure: a veth0 already in ns2, so rxe0 rolls back', argv: '-n {NS} dev set rxe0 netns ns2 --with-netdev',
    before: 'ip netns add ns2 && ip -n ns2 link add veth0 type dummy',
    expect: all(exits(1), stdoutHas('veth0: cannot move to netns ns2'), stdoutHas('a netdev named veth0 already exists'),
      stdoutHas('rxe0: moved back (rolled back)')) },
  { name: 'after the rollback rxe0 is where it started', argv: '-n {NS} link show rxe0/1', expect: has('netdev veth0') },
  { name: 'and ns2 has no RDMA device', argv: '-n ns2 dev', after: 'ip netns delete ns2', expect: lacks('rxe0') },
  { name: 'plain dev set netns (no netdev) with the lab rxe', argv: '-n {NS} dev set rxe0 netns host', expect: exits(0) },
  { name: 'then dev set netns back by name', argv: 'dev set rxe0 netns {NS}', expect: exits(0) },
  { name: '--dry-run --with-netdev prints both requests', argv: '-n {NS} --dry-run dev set rxe0 netns host --with-netdev',
    expect: all(exits(0), has('RDMA_NLDEV_CMD_SET in netns /var/run/netns/ns1: DEV_INDEX'),
      has('RTM_NEWLINK in netns /var/run/netns/ns1: ifindex')) },
  { name: 'EBUSY in exclusive mode lists ns1 and the unnamed netns of the sleep', argv: 'system set netns shared',
    expect: all(exits(1), stderrHas('named   ns1'), stderrHas('(sleep)')) },
];
