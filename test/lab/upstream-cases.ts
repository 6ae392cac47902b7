// Forms iproute2 6.1 does not have, compared with upstream iproute2 7.1's
// `rdma` (test/oracle) on the rping state: rdma-ts's default layout against
// 7.1's bytes. The forms 6.1 also has run against both oracles (cases.ts).
// $LAB_RDMA_UPSTREAM in a before/after script is 7.1's binary.
import { incompleteChange, unknownWord, type LabCase, type ShellCheck, type WriteCase } from './cases.js';
import { all, has, matchesRe, section } from './expect.js';

const ONLY_71 = { oracles: ['7.1' as const] };

/** -o (oneline, 7.1): multi-line records folded with a backslash. */
const ONELINE = ['-o dev', '-o -d dev', '-o link', '-o -d link', '-o res', '-o res show qp', '-o -d res show qp',
  '-o res show cm_id', '-o statistic show', '-o statistic show link rxe0/1', '-o system', '-o statistic qp mode',
  '-o -j dev', '-o -j statistic show link rxe0/1', '-o -r res show srq', '-o statistic mr', '-o -j statistic mr'];

/** FRMR pools (kernel 7.0): on these kernels both must fail the same way. */
const FRMR = ['res show frmr_pools', 'res show frmr_pools dev rxe0', '-j res show frmr_pools', 'res show frmr_pools dev nosuch'];

/** system show's 7.1 words (each shows the whole line). */
const SYSTEM = ['system show privileged-qkey', 'system show monitor', '-j system show monitor'];

export const UPSTREAM_CASES: LabCase[] = [
  ...[...ONELINE, ...FRMR, ...SYSTEM].map((argv) => ({ argv, ...ONLY_71 })),
  // SRQ raw data (7.1's `srq -r`) and driver QPs (-dd, 7.1 shows type DRIVER QPs).
  ...['-r -j res show srq', '-dd res show qp link rxe0/1', '-dd -j res', '-j -dd res show srq'].map((argv) => ({ argv, ...ONLY_71 })),
  { argv: 'system show copy-on-fork', differs: unknownWord('copy-on-fork'), ...ONLY_71 },
];

const upstream = '$LAB_RDMA_UPSTREAM';

export const UPSTREAM_WRITE_CASES: WriteCase[] = [
  // Debian's 6.1 has the privileged-qkey sysctl by backport; iproute2 6.1 cannot set it.
  { argv: 'system set privileged-qkey on', after: `${upstream} system set privileged-qkey off` },
  { argv: 'system set privileged-qkey off' }, { argv: 'system set privileged-qkey maybe' }, { argv: 'system set privileged-qkey' },
  // Sub-devices (NEWDEV 6.11): 6.1 refuses the command, 6.12 the rxe parent.
  { argv: 'dev add smi0 type smi parent rxe0' }, { argv: 'dev add smi0 type smi parent nosuch' },
  { argv: 'dev add smi0 type smi', differs: incompleteChange('dev add: parent DEV is missing') },
  { argv: 'dev add smi0', differs: incompleteChange('dev add: type smi and parent DEV are missing') },
  { argv: 'dev add' }, { argv: 'dev add smi0 type bogus parent rxe0' },
  { argv: 'dev delete nosuch' }, { argv: 'dev delete' }, { argv: 'dev delete siw0', kernel: /^6\.12\./ },
  // Auto mode with optional counters (kernel 6.15).
  { argv: 'stat qp set link rxe0/1 auto type on optional-counters on', after: 'rdma stat qp set link rxe0/1 auto off' },
  { argv: 'stat qp set link rxe0/1 auto type on optional-counters off', after: 'rdma stat qp set link rxe0/1 auto off' },
  { argv: 'stat qp set link rxe0/1 auto type on optional-counters maybe' },
  // FRMR pools (kernel 7.0).
  { argv: 'res set frmr_pools dev rxe0 aging 5' }, { argv: 'res set frmr_pools dev rxe0 pinned 0 1' },
  { argv: 'res set frmr_pools dev nosuch aging 5' },
  // The monitor on a kernel without its multicast group (before 6.13) ends at once.
  { argv: 'monitor', kernel: /^6\.1\./ },
].map((c) => ({ ...c, ...ONLY_71 }));

/**
 * 7.1's monitor and rdma-ts's, text and JSON, side by side on the same live
 * events (6.12 sends them): the text byte for byte, the JSON as below.
 */
const MONITOR_BOTH = `
ip link add dmon type dummy && ip link set dmon up
$LAB_RDMA_UPSTREAM monitor > /tmp/m71.txt 2> /tmp/m71.err & U1=$!
$LAB_RDMA_UPSTREAM -j monitor > /tmp/m71.json 2>> /tmp/m71.err & U2=$!
$RDMA_TS monitor > /tmp/mts.txt 2> /tmp/mts.err & P1=$!
$RDMA_TS -j monitor > /tmp/mts.json 2>> /tmp/mts.err & P2=$!
i=0; while [ $(awk '$2 == 20 && $4 == "00000008"' /proc/net/netlink | wc -l) -lt 4 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
rdma link add rxe7 type rxe netdev dmon
rdma dev set rxe7 name rxe8
rdma link delete rxe8
ip link del dmon
sleep 1
# A background job of a non-interactive sh ignores SIGINT; rdma-ts listens for it, rdma does not: TERM for rdma.
kill -TERM $U1 $U2; kill -INT $P1 $P2; wait $P1; R1=$?; wait $P2; R2=$?; wait $U1 $U2
echo "exit text=$R1 json=$R2"
cmp -s /tmp/m71.txt /tmp/mts.txt && echo "same txt" || { echo "DIFF txt"; cat /tmp/m71.txt; echo ---; cat /tmp/mts.txt; }
echo =BEGIN; cat /tmp/mts.txt; echo =END
echo =BEGIN; cat /tmp/m71.json; echo =END
echo =BEGIN; cat /tmp/mts.json; echo =END
cat /tmp/m71.err /tmp/mts.err
`;

/**
 * The one allowed difference (README): 7.1's `-j monitor` opens one JSON array it never closes,
 * records separated by `\n,`; rdma-ts prints one object per line, each parseable on its own.
 */
const jsonLines = (r: { stdout: string }): string | undefined => {
  const theirs = section(r.stdout, 1);
  const ours = section(r.stdout, 2);
  const lines = ours.split('\n').filter(Boolean);
  if (lines.length < 3 || !lines.every((l) => { try { return typeof JSON.parse(l) === 'object'; } catch { return false; } })) {
    return `rdma-ts -j monitor: not one JSON object per line:\n${ours}`;
  }
  const want = `[${lines.join('\n,')}`;
  return theirs === want ? undefined : `7.1 -j monitor is not rdma-ts's lines in one unclosed array:\n${theirs}\n---\n${ours}`;
};

export const UPSTREAM_SHELL_CHECKS: ShellCheck[] = [
  {
    name: 'monitor: rdma-ts prints what iproute2 7.1 prints for the same live events, text and JSON', kernel: /^6\.12\./,
    script: MONITOR_BOTH,
    expect: all(has('exit text=0 json=0'), has('same txt'), matchesRe(/=BEGIN\n\[REGISTER\]\tdev \d+ rxe7\n/), jsonLines),
  },
];
