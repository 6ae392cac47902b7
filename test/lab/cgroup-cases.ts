// The RDMA cgroup in the lab (scenario `cgroup`): the errors `cgroup set`
// gives for each state it can meet, a limit of one HCA handle that stops a
// second verbs program for real, and `cgroup show` against the files the
// test reads itself.
import type { ShellCheck } from './cases.js';
import { LAB_POD, LAB_POD_CGROUP } from '../../src/lab/scenarios.js';
import { POD_LABEL } from './top-cases.js';
import { all, contains, marks, section, status } from './expect.js';

const ROOT = '/sys/fs/cgroup';
const PATH = LAB_POD_CGROUP.slice(ROOT.length);
const SLICES = PATH.split('/').slice(1, -1).map((_, i, a) => `/${a.slice(0, i + 1).join('/')}`);
/** The cgroup directories above the pod's, root first: where the rdma controller must be enabled. */
const LEVELS = [ROOT, ...SLICES.map((s) => `${ROOT}${s}`)];
const records = (stdout: string, n = 0) => JSON.parse(section(stdout, n) || '[]') as Array<Record<string, unknown>>;

const errors: ShellCheck = {
  name: 'cgroup set errors: the root cgroup, the controller not enabled (the commands, top down), an unknown device, a bad value',
  script: `$RDMA_TS cgroup set / cgs0 hca_handle 1; echo "ROOT $?"
$RDMA_TS cgroup set ${PATH} cgs0 hca_handle 1; echo "OFF $?"
$RDMA_TS cgroup set ${PATH}/nope cgs0 hca_handle 1; echo "NOCG $?"
for d in ${LEVELS.join(' ')}; do echo +rdma > $d/cgroup.subtree_control || echo "ENABLE FAILED $d"; done
$RDMA_TS cgroup set ${PATH} nodev9 hca_handle 1; echo "NODEV $?"
$RDMA_TS cgroup set ${PATH} cgs0 hca_handle -1; echo "BADVAL $?"`,
  expect: all(status(1, 'ROOT'), status(1, 'OFF'), status(1, 'NOCG'), status(1, 'NODEV'), status(1, 'BADVAL'),
    contains('cgroup set: the root cgroup has no rdma.max: limits apply to child cgroups only', 'stderr'),
    contains(`cgroup set: the rdma controller is not enabled for ${PATH}: it is not in ` +
      `${LEVELS.map((d) => `${d}/cgroup.subtree_control`).join(', ')}.`, 'stderr'),
    contains(LEVELS.map((d) => `  echo +rdma > ${d}/cgroup.subtree_control\n`).join(''), 'stderr'),
    contains(`cgroup set: no cgroup ${PATH}/nope (${LAB_POD_CGROUP}/nope does not exist`, 'stderr'),
    contains('cgroup set: unknown device nodev9: the rdma cgroup controller knows ', 'stderr'),
    contains("cgroup set: hca_handle takes a count (0 to 2147483647) or max, not '-1'", 'stderr')),
};

/** Two ibv_rc_pingpong servers in the pod's cgroup, limited to one HCA handle: the second cannot open the device. */
const limit: ShellCheck = {
  name: 'cgroup set hca_handle 1: the first verbs program runs, the second fails to open the device; rdma.current, cgroup show ' +
    '(path, pid, container, all) agree',
  script: `CG=${LAB_POD_CGROUP}
$RDMA_TS --dry-run cgroup set ${PATH} cgs0 hca_handle 1; echo "DRY $?"; grep '^cgs0 ' $CG/rdma.max | sed 's/^/AFTERDRY /; s/ *$//'
$RDMA_TS cgroup set ${PATH} cgs0 hca_handle 1; echo "SET $?"; grep '^cgs0 ' $CG/rdma.max | sed 's/^/MAX /; s/ *$//'
sh -c "echo \\$\\$ > $CG/cgroup.procs; exec ibv_rc_pingpong -d cgs0 -g 0 -p 18701" > /tmp/cg1.log 2>&1 & P1=$!
i=0; until grep -q '^cgs0 hca_handle=1' $CG/rdma.current || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done
sh -c "echo \\$\\$ > $CG/cgroup.procs; exec ibv_rc_pingpong -d cgs0 -g 0 -p 18702" > /tmp/cg2.log 2>&1; echo "SECOND $?"
sed 's/^/SECONDLOG /' /tmp/cg2.log
grep '^cgs0 ' $CG/rdma.current | tr '=' ' ' | sed 's/^cgs0 hca_handle \\([0-9]*\\) hca_object \\([0-9]*\\)/CURRENT \\1 \\2/'
[ -f $CG/rdma.events ] && sed 's/^/EVENTS /' $CG/rdma.events; echo "HASEVENTS $([ -f $CG/rdma.events ] && echo 1 || echo 0)"
echo "P1 $P1"
echo =BEGIN; $RDMA_TS -j cgroup show ${PATH}; echo =END
echo =BEGIN; $RDMA_TS -j cgroup show pid $P1; echo =END
echo =BEGIN; $RDMA_TS -j cgroup show container ${LAB_POD.id.slice(0, 12)}; echo =END
echo =BEGIN; $RDMA_TS -j cgroup; echo =END
$RDMA_TS cgroup show ${PATH} | sed 's/^/TEXT /'
echo "CGP1=$P1" >> \${LAB_VARS:-/tmp/lab-vars}`,
  expect: all(status(0, 'DRY'), status(0, 'SET'), (r) => (marks(r.stdout,
    'SECOND')[0] !== 0 ? undefined : `the second program ran:\n${r.stdout}`),
    contains(`dry-run: would write "cgs0 hca_handle=1" to ${LAB_POD_CGROUP}/rdma.max\n`),
      contains('AFTERDRY cgs0 hca_handle=max hca_object=max\n'),
    contains('MAX cgs0 hca_handle=1 hca_object=max\n'),
    contains(/SECONDLOG Couldn't get context for cgs0/),
    (r) => {
      const [handles, objects] = marks(r.stdout, 'CURRENT');
      if (handles !== 1 || !(objects > 0)) return `rdma.current: ${handles} handles, ${objects} objects`;
      const want = { cgroup: PATH, hierarchy: 'v2', container: LAB_POD.container, container_id: LAB_POD.id,
        runtime: 'containerd', pod_namespace: LAB_POD.namespace, pod_name: LAB_POD.name, pod_uid: LAB_POD.uid, dev: 'cgs0',
          hca_handle: 1, hca_handle_max: 1, hca_handle_limit: 1, hca_handle_limit_cgroup: PATH, hca_object: objects,
            hca_object_max: 'max', hca_object_limit: 'max' };
      const pick = (x: Record<string, unknown> | undefined) => x && Object.fromEntries(Object.keys(want).map((k) => [k, x[k]]));
      for (const [n, what] of [[0, 'path'], [1, 'pid'], [2, 'container'], [3, 'all']] as const) {
        const got = records(r.stdout, n).find((x) => x.dev === 'cgs0' && x.cgroup === PATH);
        if (JSON.stringify(pick(got)) !== JSON.stringify(want)) return `cgroup show (${what}): ${JSON.stringify(got)}\nwant ` +
          `${JSON.stringify(want)}`;
      }
      const all4 = records(r.stdout, 3);
      if (all4.some((x) => x.cgroup === '/')) return 'cgroup show listed the root cgroup';
      const hasEvents = marks(r.stdout, 'HASEVENTS')[0] === 1;
      const ev = records(r.stdout, 0).find((x) => x.dev === 'cgs0')?.events as Record<string, number> | null;
      if (hasEvents && !(ev && Object.values(ev).some((v) => v > 0))) return `rdma.events exists but cgroup show has ${JSON.stringify(ev)}`;
      if (!hasEvents && ev !== null) return `no rdma.events on this kernel, yet events ${JSON.stringify(ev)}`;
      return undefined;
    },
    contains(new RegExp(`TEXT ${PATH.replace(/\./g, '\\.')} +${POD_LABEL} +cgs0 +1/1 +\\d+/max `))),
};

export const CGROUP_CHECKS: ShellCheck[] = [errors, limit];

/** Recorded while the limit holds and the first program runs (fixtures/lab/KERNEL/cgroup/, replayed by cgroup-replay.test.ts). */
export const CGROUP_RECORDINGS = [
  { name: 'cgroup-json', argv: '-j cgroup show' },
  { name: 'cgroup-text', argv: 'cgroup show' },
  { name: 'cgroup-container', argv: `cgroup show container ${LAB_POD.id.slice(0, 12)}` },
  { name: 'doctor-container', argv: `-j doctor container ${LAB_POD.id.slice(0, 12)}`, status: 2 },
];

/** After the recordings: the program ends and the limit goes back to max; the pod's cgroup then neither limits nor uses RDMA. */
export const CGROUP_RELEASE: ShellCheck = {
  name: 'cgroup set hca_handle max after the program ends: rdma.max back to max, rdma.current 0, and cgroup show lists the pod no more',
  script: `. \${LAB_VARS:-/tmp/lab-vars}; kill $CGP1; i=0; while kill -0 $CGP1 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
$RDMA_TS cgroup set ${PATH} cgs0 hca_handle max; echo "RESET $?"
grep '^cgs0 ' ${LAB_POD_CGROUP}/rdma.max | sed 's/^/MAXAFTER /; s/ *$//'
grep '^cgs0 ' ${LAB_POD_CGROUP}/rdma.current | sed 's/^/CURAFTER /; s/ *$//'
echo =BEGIN; $RDMA_TS -j cgroup; echo =END`,
  expect: all(status(0, 'RESET'), contains('MAXAFTER cgs0 hca_handle=max hca_object=max\n'),
    contains('CURAFTER cgs0 hca_handle=0 hca_object=0\n'),
    (r) => (records(r.stdout).some((x) => x.cgroup === PATH) ? `the pod is still listed: ${section(r.stdout)}` : undefined)),
};

/**
 * cgroup v1: with rdma out of every v2 subtree_control, the controller can be
 * mounted as a v1 hierarchy; rdma-ts then uses that (no v2 root lists rdma).
 */
export const CGROUP_V1: ShellCheck = {
  name: 'cgroup v1: rdma mounted as a v1 hierarchy: cgroup set and show use it (hierarchy v1), the v1 root refused the same way',
  script: `for d in ${[...SLICES.map((s) => `${ROOT}${s}`).reverse(), ROOT].join(' ')}; do echo -rdma > $d/cgroup.subtree_control; done
cat /sys/fs/cgroup/cgroup.subtree_control | sed 's/^/V2ROOT /'
mkdir -p /run/rdma-v1 && mount -t cgroup -o rdma rdma /run/rdma-v1; echo "MOUNT $?"; mkdir -p /run/rdma-v1/grp
$RDMA_TS cgroup set /grp cgs0 hca_object 7; echo "SET $?"; sed 's/ *$//; s/^/V1MAX /' /run/rdma-v1/grp/rdma.max | grep cgs0
$RDMA_TS cgroup set / cgs0 hca_object 7; echo "ROOT $?"
echo =BEGIN; $RDMA_TS -j cgroup show; echo =END
rmdir /run/rdma-v1/grp; umount /run/rdma-v1; echo "UMOUNT $?"`,
  expect: all(status(0, 'MOUNT'), status(0, 'SET'), status(1, 'ROOT'), status(0, 'UMOUNT'),
    contains('V1MAX cgs0 hca_handle=max hca_object=7\n'),
    contains('cgroup set: the root cgroup has no rdma.max', 'stderr'),
    (r) => {
      const got = records(r.stdout).filter((x) => x.dev === 'cgs0').map((x) => [x.cgroup, x.hierarchy, x.hca_object_max,
        x.hca_object_limit]);
      return JSON.stringify(got) === JSON.stringify([['/grp', 'v1', 7, 7]]) ? undefined : `cgroup show on v1: ${JSON.stringify(got)}`;
    }),
};
