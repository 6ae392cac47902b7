// Lab checks for `rdma-ts top` (run as processes: top streams). On the live
// counters scenario: its numbers against what the test reads itself from
// sysfs over the same interval, the per-PID counters of the traffic process
// with its pod, --bind-auto and its restore (also on SIGTERM and SIGINT), a
// closed pipe, and the interactive TUI in tmux. On the netns scenario:
// devices of other namespaces under --all-netns and -n.
import type { ShellCheck } from './cases.js';
import { LAB_POD } from '../../src/lab/scenarios.js';
import { all, contains as has, marks, section, status, Expect } from './expect.js';

/** How top's columns name the pod's container: NAMESPACE/POD/CONTAINER. */
export const POD_LABEL = `${LAB_POD.namespace}/${LAB_POD.name}/${LAB_POD.container}`;


interface Counter { raw: number | string; rate: number | null; source: string; unit: string; width: number; mark?: string }
interface TopRow { view: string; sample: number; elapsed: number | null; dev?: string; port?: number; counters: Record<string,
  Counter>; [k: string]: unknown }

/** The NDJSON rows between the BEGIN/END markers a script prints. */
function rows(stdout: string): TopRow[] {
  return section(stdout).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TopRow);
}



/**
 * top's readings of one counter agree with the test's own: inside the
 * [before, after] bracket, never decreasing, the span no wider than the
 * test's, each rate exactly the delta over the reported (measured) elapsed
 * time, and moving (rate > 0) when `moving`.
 */
function agrees(name: string, source: string, before: number, after: number, samples: TopRow[], moving: boolean): string | undefined {
  const seen = samples.map((s) => s.counters[name]);
  if (seen.some((c) => !c)) return `${name}: missing from a sample: ${JSON.stringify(samples.map((s) => Object.keys(s.counters)))}`;
  if (seen.some((c) => c.source !== source)) return `${name}: source ${seen.map((c) => c.source)}, want ${source}`;
  const raw = seen.map((c) => Number(c.raw));
  if (raw[0] < before || raw[raw.length - 1] > after) return `${name}: top read ${raw} outside the test's bracket [${before}, ${after}]`;
  for (let i = 1; i < raw.length; i++) {
    if (raw[i] < raw[i - 1]) return `${name}: went backwards ${raw}`;
    const el = samples[i].elapsed;
    if (el === null || el < 0.2 || el > 20) return `${name}: sample ${i + 1} elapsed ${el}`;
    const want = (raw[i] - raw[i - 1]) / el;
    if (Math.abs(seen[i].rate! - want) > 0.002 + want * 1e-6) return `${name}: sample ${i + 1} rate ${seen[i].rate}, want ` +
      `${want} = (${raw[i]} - ${raw[i - 1]}) / ${el}`;
  }
  if (seen[0].rate !== null) return `${name}: the first sample has rate ${seen[0].rate}, want null`;
  if (raw[raw.length - 1] - raw[0] > after - before) return `${name}: top's span ${raw[raw.length - 1] - raw[0]} exceeds the ` +
    `test's ${after - before}`;
  if (moving && !(seen[seen.length - 1].rate! > 0)) return `${name}: not moving (${raw}) although traffic runs`;
  return undefined;
}

const SYSFS_READ = `H=/sys/class/infiniband/rxe0/ports/1/hw_counters; N=/sys/class/net/veth0/statistics
r() { echo "$(cat $H/sent_pkts) $(cat $H/rcvd_pkts) $(cat $N/tx_bytes) $(cat $N/rx_bytes)"; }`;

const agreement: ShellCheck = {
  name: 'top -j -c 3 -i 1 agrees with sysfs hw_counters and the netdev statistics read by the test over the same interval',
  script: `${SYSFS_READ}
echo "BEFORE $(r)"
echo "=BEGIN"; $RDMA_TS -j top -c 3 -i 1 --view ports; rc=$?; echo "=END"; echo "STATUS $rc"
echo "AFTER $(r)"`,
  expect: all(status(0), (r) => {
    const [bs, br, btx, brx] = marks(r.stdout, 'BEFORE');
    const [as, ar, atx, arx] = marks(r.stdout, 'AFTER');
    const rxe = rows(r.stdout).filter((x) => x.dev === 'rxe0' && x.port === 1);
    if (rxe.length !== 3 || rxe.map((x) => x.sample).join() !== '1,2,3') return `rxe0/1 rows: ` +
      `${JSON.stringify(rxe.map((x) => x.sample))}\n${r.stdout}`;
    const last = rxe[2];
    return agrees('sent_pkts', 'netlink', bs, as, rxe, true) ?? agrees('rcvd_pkts', 'netlink', br, ar, rxe, true)
      ?? agrees('tx_bytes', 'netdev', btx, atx, rxe, true) ?? agrees('rx_bytes', 'netdev', brx, arx, rxe, false)
      ?? (last.tx_bytes_per_s === last.counters.tx_bytes.rate && last.rx_bytes_per_s === last.counters.rx_bytes.rate
        && last.bytes_source === 'netdev'
        ? undefined : `rx/tx_bytes_per_s are not the netdev's rates: ${JSON.stringify(last)}`)
      ?? (last.tx_packets_per_s === last.counters.sent_pkts.rate ? undefined : `tx_packets_per_s is not sent_pkts' rate: ` +
        `${JSON.stringify(last)}`);
  }),
};

const perPid: ShellCheck = {
  name: 'top -j counters/processes: rping\'s per-PID counter (auto pid mode) with its pod and container, and its rate',
  script: `. $LAB_VARS; echo "CCPID $CCPID"
echo "=BEGIN"; $RDMA_TS -j top -c 2 -i 1 --view counters,processes; rc=$?; echo "=END"; echo "STATUS $rc"`,
  expect: all(status(0), (r) => {
    const [pid] = marks(r.stdout, 'CCPID');
    const all = rows(r.stdout).filter((x) => x.sample === 2);
    const c = all.find((x) => x.view === 'counters' && x.pid === pid);
    if (!c) return `no counters row for rping's client (pid ${pid}):\n${r.stdout}`;
    const want: Record<string, unknown> = {
      dev: 'rxe0', port: 1, comm: 'rping', container: LAB_POD.container, runtime: 'containerd', container_id: LAB_POD.id,
      pod_namespace: LAB_POD.namespace, pod_name: LAB_POD.name, pod_uid: LAB_POD.uid, netns: 'init',
    };
    const wrong = Object.entries(want).filter(([k, v]) => c[k] !== v);
    const got = wrong.map(([k, v]) => `${k} ${JSON.stringify(c[k])} (want ${JSON.stringify(v)})`);
    if (wrong.length) return `counters row: ${got.join(', ')}`;
    if (!String(c.cgroup).includes(`cri-containerd-${LAB_POD.id}.scope`)) return `cgroup ${c.cgroup}`;
    if (!(c.counters.sent_pkts?.rate! > 0) || c.counters.sent_pkts.source !== 'netlink') return `sent_pkts of the counter: ` +
      `${JSON.stringify(c.counters.sent_pkts)}`;
    const p = all.find((x) => x.view === 'processes' && x.pid === pid);
    if (!p || p.counters_bound !== 1 || p.container !== LAB_POD.container || !((p.qps as number) >= 1)) return `processes row: ` +
      `${JSON.stringify(p)}`;
    if (p.counters.sent_pkts?.rate !== c.counters.sent_pkts.rate) return `process rate ${p.counters.sent_pkts?.rate} != its ` +
      `counter's ${c.counters.sent_pkts.rate}`;
    return undefined;
  }),
};

const plain: ShellCheck = {
  name: 'top --no-tui -c 2: two plain frames with the four views, the pod\'s process and the auto-mode notices',
  script: `. $LAB_VARS; echo "CCPID $CCPID"; $RDMA_TS top --no-tui -c 2 -i 0.5; echo "STATUS $?"`,
  expect: all(status(0), has('Ports:'), has('Counters:'), has('Processes:'), has('Namespaces:'),
    (r) => (r.stdout.match(/^rdma-ts top - sample \d/gm)?.length === 2 ? undefined : `not 2 frames:\n${r.stdout}`),
    (r) => (new RegExp(`^rxe0/1 +\\d+ +${marks(r.stdout, 'CCPID')[0]} rping +${POD_LABEL} `,
      'm').test(r.stdout) ? undefined : `no counter row for the pod's rping:\n${r.stdout}`),
    has('rxe2/1 (netns init) is not in QP counter auto mode (off): per-process counters need `rdma-ts statistic qp set link ' +
      'rxe2/1 auto type,pid on`')),
};

const BIND = `rdma statistic qp mode link rxe2/1 | sed 's/^/MODE /'`;
const bindAuto: ShellCheck = {
  name: 'top --bind-auto pid: auto mode on rxe2/1 while it runs, siw0 (no QP counters) left alone, rxe2/1 off again after',
  script: `${BIND}
echo "=BEGIN"; $RDMA_TS -j top -c 2 -i 0.5 --bind-auto pid --view ports 2> /tmp/ba.err; rc=$?; echo "=END"; echo "STATUS $rc"
cat /tmp/ba.err; ${BIND}`,
  expect: all(status(0), has('top: rxe2/1: QP counter auto mode pid on for this session (was off)'),
    has('top: siw0/1: no QP counters in this driver (auto mode: EOPNOTSUPP); left as it is'),
    has('top: rxe2/1: QP counter mode put back to off'),
    (r) => (r.stdout.match(/^MODE link rxe2\/1 mode qp auto off $/gm)?.length === 2 ? undefined
      : `rxe2/1 was not off before and after:\n${r.stdout}`),
    (r) => (rows(r.stdout).filter((x) => x.dev === 'rxe2').every((x) => x.qp_counters === 'auto pid') ? undefined : `rxe2 rows ` +
      `during: ${r.stdout}`),
    (r) => (r.stdout.includes('rdma-ts statistic qp set link rxe0/1') ? 'rxe0/1 was already in auto pid mode and must be left ' +
      'as it was' : undefined)),
};

const onSignal = (sig: 'TERM' | 'INT'): ShellCheck => ({
  name: `top --bind-auto pid ended by SIG${sig}: exit 0 and rxe2/1's mode put back`,
  script: `$RDMA_TS top --no-tui -i 1 --bind-auto pid > /tmp/bs.out 2> /tmp/bs.err & P=$!
i=0; until grep -q 'sample 1' /tmp/bs.out || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
rdma statistic qp mode link rxe2/1 | sed 's/^/DURING /'
kill -${sig} $P; wait $P; echo "STATUS $?"
cat /tmp/bs.err; ${BIND}`,
  expect: all(status(0), has('DURING link rxe2/1 mode qp auto pid on'), has('top: rxe2/1: QP counter mode put back to off'),
    has(/^MODE link rxe2\/1 mode qp auto off $/m)),
});

const closedPipe: ShellCheck = {
  name: 'top | head -n 3: the closed pipe ends top with exit 0',
  script: `bash -c '$RDMA_TS top --no-tui -i 0.2 | head -n 3; echo "STATUS \${PIPESTATUS[0]}"'`,
  expect: all(status(0), has(/^rdma-ts top - sample 1/m)),
};

/** tmux helpers for a script: a private server, a wait for text on the screen. */
const TMUX = `printf 'set -g remain-on-exit on\\n' > /tmp/tmux.conf
T="tmux -L lab -f /tmp/tmux.conf"
cap() { $T capture-pane -p -t top; }
# waitfor keeps the capture that matched and shot prints it: a capture taken afterwards can land
# between ink erasing a frame and drawing the next one (a blank body under load).
waitfor() {
  i=0; until last=$(cap); printf '%s\\n' "$last" | grep -q -- "$1" || [ $i -ge \${2:-300} ]; do sleep 0.1; i=$((i+1)); done
  printf '%s\\n' "$last" | grep -q -- "$1" ||
    { echo "TIMEOUT waiting for $1 after $i polls"; cap; ps -eo pid,stat,etime,args | grep '[t]op -i'; }
}
shot() { echo "=SCREEN $1"; printf '%s\\n' "$last"; echo "=/SCREEN"; }`;

export const TUI_SCRIPT = (argv: string) => `${TMUX}
$T new -d -s top -x 120 -y 32 'bash --norc'
$T send-keys -t top "env -u CI TERM=xterm-256color ${argv}; echo EXIT=\\$?" Enter
waitfor 'elapsed' 900; shot frame
echo "ALT $($T display -p -t top '#{alternate_on}')"
$T send-keys -t top '?'; waitfor 'rdma-ts top: keys'; shot help
$T send-keys -t top x; waitfor 'DEV/PORT'
$T send-keys -t top Tab; waitfor ' rping '; shot counters
$T send-keys -t top /; $T send-keys -t top -l rping; $T send-keys -t top Enter; waitfor 'filter "rping"'; shot filter
$T send-keys -t top s; waitfor 'Sort by'; shot sort
$T send-keys -t top Down; $T send-keys -t top Enter; waitfor 'CNTNv'; shot sorted
$T send-keys -t top Enter; waitfor 'SOURCE'; shot detail
$T send-keys -t top Escape; waitfor 'BUSIEST'
$T send-keys -t top q; waitfor 'EXIT=[0-9]' 900; shot after
echo "ALT $($T display -p -t top '#{alternate_on}') CURSOR $($T display -p -t top '#{cursor_flag}')"
$T kill-server`;

/** What the tmux script must have seen (shared with the host test on a replay). */
export function tuiExpect(counterRow: RegExp): Expect {
  const screen = (out: string, name: string) => out.split(`=SCREEN ${name}\n`)[1]?.split('=/SCREEN')[0] ?? '';
  return all(
    (r) => (r.stdout.includes('TIMEOUT') ? r.stdout : undefined),
    (r) => (/^ALT 1$/m.test(r.stdout) ? undefined : `the TUI did not use the alternate screen:\n${r.stdout}`),
    (r) => (/rdma-ts top \[Ports\]/.test(screen(r.stdout, 'frame')) && /^rxe0\/1 /m.test(screen(r.stdout,
      'frame')) ? undefined : `first frame:\n${screen(r.stdout, 'frame')}`),
    (r) => (screen(r.stdout,
      'help').includes('s  F6             choose the sort column') ? undefined : `help:\n${screen(r.stdout, 'help')}`),
    (r) => (counterRow.test(screen(r.stdout,
      'counters')) ? undefined : `counters view lacks ${counterRow}:\n${screen(r.stdout, 'counters')}`),
    (r) => {
      // Counter rows (DEV/PORT then the counter number), not the notices above the table.
      const rowsShown = screen(r.stdout, 'filter').split('\n').filter((l) => /^\S+\/\d+ +\d+ /.test(l));
      return rowsShown.length && rowsShown.every((l) => l.includes('rping')) && /filter "rping"/.test(screen(r.stdout,
        'filter')) ? undefined : `filter:\n${screen(r.stdout, 'filter')}`;
    },
    (r) => (/Sort by/.test(screen(r.stdout, 'sort')) && /^> DEV\/PORT$/m.test(screen(r.stdout,
      'sort')) ? undefined : `sort picker:\n${screen(r.stdout, 'sort')}`),
    (r) => (/ CNTNv /.test(screen(r.stdout, 'sorted')) ? undefined : `not sorted by CNTN:\n${screen(r.stdout, 'sorted')}`),
    (r) => (/^sent_pkts +\d+ +\S+ +netlink +64 +packets$/m.test(screen(r.stdout,
      'detail')) ? undefined : `detail pane:\n${screen(r.stdout, 'detail')}`),
    (r) => (/EXIT=0/.test(screen(r.stdout, 'after')) ? undefined : `exit status:\n${screen(r.stdout, 'after')}`),
    (r) => (/^ALT 0 CURSOR 1$/m.test(r.stdout) ? undefined : `terminal not restored:\n${r.stdout}`),
  );
}

const tui: ShellCheck = {
  name: 'the TUI in tmux: first frame, ? help, Tab to Counters, / filter, s sort, Enter detail, q quits with exit 0 and the ' +
    'terminal restored',
  script: `. $LAB_VARS; ${TUI_SCRIPT('$RDMA_TS top -i 1')}`,
  expect: tuiExpect(new RegExp(`^rxe0/1 +\\d+ +\\d+ rping +${POD_LABEL} `, 'm')),
};

/** top sessions `npm run fixtures` records (fixtures/lab/KERNEL/SCENARIO/top-NAME.json) for the unit tier to replay. */
export interface TopRecording {
  name: string;
  argv: string;
  /** The exit status the live run must have (default 0; doctor reports a failing state with 2). */
  status?: number;
}
export const TOP_RECORDINGS: TopRecording[] = [
  { name: 'top-json', argv: '-j top -c 4 -i 1' },
  { name: 'top-plain', argv: 'top --no-tui -c 3 -i 1' },
];
export const TOP_NETNS_RECORDINGS: TopRecording[] = [{ name: 'top-all-netns', argv: '--all-netns -j top -c 2 -i 1' }];

export const TOP_CHECKS: ShellCheck[] = [agreement, perPid, plain, bindAuto, onSignal('TERM'), onSignal('INT'), closedPipe, tui];

const nsRows = (stdout: string) => rows(stdout);
export const TOP_NETNS_CHECKS: ShellCheck[] = [
  {
    name: 'top --all-netns: rxe0 in ns1 and rxe1 in the unnamed netns appear with their namespaces (exclusive mode)',
    script: `. $LAB_VARS; echo "UPID $UPID"; echo "=BEGIN"; $RDMA_TS --all-netns -j top -c 1 --view ports,namespaces; rc=$?
echo "=END"; echo "STATUS $rc"`,
    expect: all(status(0), (r) => {
      const [upid] = marks(r.stdout, 'UPID');
      const x = nsRows(r.stdout);
      const port = (dev: string) => x.find((y) => y.view === 'ports' && y.dev === dev);
      const unnamed = `pid:${upid}(sleep)`;
      if (port('rxe0')?.netns !== 'ns1' || port('rxe0')?.netdev !== 'veth0') return `rxe0: ${JSON.stringify(port('rxe0'))}`;
      if (port('rxe1')?.netns !== unnamed) return `rxe1: ${JSON.stringify(port('rxe1'))} (want netns ${unnamed})`;
      if (port('siw0')?.netns !== 'init') return `siw0: ${JSON.stringify(port('siw0'))}`;
      const ns = (label: string) => x.find((y) => y.view === 'namespaces' && y.netns === label);
      if (JSON.stringify(ns('ns1')?.devices) !== '["rxe0"]' || ns('ns1')?.kind !== 'named') return `ns1: ${JSON.stringify(ns('ns1'))}`;
      if (JSON.stringify(ns(unnamed)?.devices) !== '["rxe1"]' || ns(unnamed)?.holder_pid !== upid) return `unnamed: ` +
        `${JSON.stringify(ns(unnamed))}`;
      return undefined;
    }),
  },
  {
    name: 'top -n ns1: only rxe0, labelled ns1, and the auto-mode command names ns1; plain top in init sees neither moved device',
    script: `echo "=BEGIN"; $RDMA_TS -n ns1 -j top -c 1 --view ports; rc=$?; echo "=END"; echo "STATUS $rc"
$RDMA_TS top --no-tui -c 1 --view ports | sed 's/^/INIT /'
$RDMA_TS -n ns1 top --no-tui -c 1 --view counters | sed 's/^/NS1 /'`,
    expect: all(status(0),
      has('NS1   note: rxe0/1 (netns ns1) is not in QP counter auto mode (off): per-process counters need `rdma-ts -n ns1 ' +
        'statistic qp set link rxe0/1 auto type,pid on`'), (r) => {
      const x = rows(r.stdout);
      if (x.length !== 1 || x[0].dev !== 'rxe0' || x[0].netns !== 'ns1') return `-n ns1 rows: ${JSON.stringify(x)}`;
      return /^INIT (rxe0|rxe1)\//m.test(r.stdout) ? `init shows a moved device:\n${r.stdout}` : undefined;
    }),
  },
];
