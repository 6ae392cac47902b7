// The no-NETLINK_RDMA path on a real kernel (scenario no-rdma: ib_core not
// loaded, autoloading off): every command says the RDMA core is missing and
// what to load, exit 1, nothing on stdout; --all-netns says it under each
// namespace's header; the doctor gives its one rdma-core failure, exit 2;
// iproute2's rdma fails too, so the state is real.
import type { ShellCheck } from './cases.js';
import { all, status } from './expect.js';

const MISSING = 'this kernel has no RDMA netlink (NETLINK_RDMA socket: Protocol not supported). Load the RDMA core with `modprobe ib_core`';

export const NO_RDMA_CHECKS: ShellCheck[] = [
  {
    name: 'no RDMA core: rdma fails to open NETLINK_RDMA, and rdma-ts dev, -j res show qp, stat show and link say what to load ' +
      '(exit 1, stdout empty)',
    script: `rdma dev 2>&1; echo "STATUS-rdma $?"
for c in "dev" "-j res show qp" "statistic show" "link show rxe0/1"; do
  $RDMA_TS $c > /tmp/nr.out 2> /tmp/nr.err; echo "STATUS-[$c] $? OUT=$(wc -c < /tmp/nr.out)"; cat /tmp/nr.err
done`,
    expect: all(
      (r) => (/Failed to open NETLINK_RDMA socket\nSTATUS-rdma 1/.test(r.stdout) ? undefined
        : `rdma did not fail as expected:\n${r.stdout}`),
      (r) => {
        for (const c of ['dev', '-j res show qp', 'statistic show', 'link show rxe0/1']) {
          if (!r.stdout.includes(`STATUS-[${c}] 1 OUT=0`)) return `${c}: not exit 1 with empty stdout:\n${r.stdout}`;
        }
        const n = r.stdout.split(MISSING).length - 1;
        return n === 4 ? undefined : `the missing-core message appeared ${n} times, not 4:\n${r.stdout}`;
      }),
  },
  {
    name: 'no RDMA core: --all-netns dev reports it under each namespace\'s header, and -j stays one valid array',
    script: `ip netns add nr-a && ip netns add nr-b
$RDMA_TS --all-netns dev 2> /tmp/nr.err; echo "STATUS $?"; echo "ERRS $(grep -c 'no RDMA netlink' /tmp/nr.err)"
echo "JSON $($RDMA_TS --all-netns -j dev 2>/dev/null)"
ip netns del nr-a; ip netns del nr-b`,
    expect: all(status(1), (r) => (/netns nr-a:\n/.test(r.stdout)
      && r.stdout.indexOf('netns nr-a:') < r.stdout.indexOf('netns nr-b:') ? undefined : `headers:\n${r.stdout}`),
      (r) => (/ERRS 2\n/.test(r.stdout) ? undefined : `per-namespace errors:\n${r.stdout}`),
      (r) => (/JSON \[\]\n/.test(r.stdout) ? undefined : `JSON:\n${r.stdout}`)),
  },
  {
    name: 'no RDMA core: the doctor gives one rdma-core failure with the fix, exit 2',
    script: `$RDMA_TS -j doctor; echo "STATUS $?"`,
    expect: all(status(2), (r) => {
      const recs = JSON.parse(r.stdout.slice(0, r.stdout.indexOf('STATUS'))) as Array<{ check: string; status: string; fix?: string }>;
      return recs.length === 1 && recs[0].check === 'rdma-core' && recs[0].status === 'fail' && /modprobe ib_core/.test(recs[0].fix ?? '')
        ? undefined : `doctor: ${r.stdout}`;
    }),
  },
];
