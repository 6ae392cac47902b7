// `rdma-ts doctor` in the lab: each failing state made for real, and the
// doctor names it (check, status, summary) with the exit status of the worst.
// Run in the scenarios that hold the state: netns (exclusive mode), gids (a
// full GID table), cgroup (a reached limit).
import type { ShellCheck } from './cases.js';
import { LAB_POD } from '../../src/lab/scenarios.js';
import { all, marks, section, status } from './expect.js';

interface Rec { check: string; status: string; summary: string; evidence: string[]; fix: string | null }
const records = (stdout: string, n = 0): Rec[] => {
  try {
    return JSON.parse(section(stdout, n) || '[]') as Rec[];
  } catch {
    return [];
  }
};

/** The named checks' statuses (and, where given, a summary that must be contained) in section n. */
const says = (n: number, want: Record<string, string | [string, string | RegExp]>, evidence?: Record<string,
  string | RegExp>) => (r: { stdout: string }) => {
  const recs = records(r.stdout, n);
  for (const [check, w] of Object.entries(want)) {
    const [st, text] = Array.isArray(w) ? w : [w, undefined];
    const f = recs.find((x) => x.check === check);
    if (!f) return `section ${n}: no ${check} check in ${section(r.stdout, n)}\nstderr: ${(r as { stderr?: string }).stderr ?? ''}`;
    if (f.status !== st) return `section ${n}: ${check} is ${f.status}, want ${st}: ${JSON.stringify(f)}`;
    if (text !== undefined && !(typeof text === 'string' ? f.summary.includes(text) : text.test(f.summary))) return `section ` +
      `${n}: ${check} says ${JSON.stringify(f.summary)}, want ${text}`;
  }
  for (const [check, e] of Object.entries(evidence ?? {})) {
    const f = recs.find((x) => x.check === check);
    if (!f?.evidence.some((x) => (typeof e === 'string' ? x.includes(e) : e.test(x)))) return `section ${n}: ${check} evidence ` +
      `lacks ${e}: ${JSON.stringify(f)}`;
  }
  return undefined;
};

const doc = (tag: string, args: string) => `echo =BEGIN; $RDMA_TS -j ${args}; s=$?; echo "=END"; echo "${tag} $s"`;

/** In exclusive mode (netns scenario): rxe0 in ns1, rxe1 in an unnamed netns, siw0 in init. */
export const DOCTOR_NETNS_CHECKS: ShellCheck[] = [{
  name: 'doctor: wrong mode (the shared device plugin running in exclusive mode) fails netns-mode; expect exclusive passes it',
  script: `cp /bin/sleep /tmp/k8s-rdma-shared-dev-plugin; /tmp/k8s-rdma-shared-dev-plugin 300 & P=$!; sleep 0.3; echo "PLUGIN $P"
${doc('A', '-n ns1 doctor')}
kill $P; wait $P 2>/dev/null
${doc('B', '-n ns1 doctor expect exclusive')}`,
  expect: all(status(2, 'A'), (r) => {
    const [pid] = marks(r.stdout, 'PLUGIN');
    return says(0, { 'netns-mode': ['fail',
      `the RDMA netns mode is exclusive, but k8s-rdma-shared-dev-plugin (pid ${pid}, k8s-rdma-shared) needs shared`],
        devices: ['ok', 'rxe0 visible in netns ns1'] })(r);
  }, says(1, { 'netns-mode': ['ok', 'exclusive, as expect (given on the command line) needs'], devices: 'ok', 'char-devices': 'ok' })),
}, {
  name: 'doctor: a namespace with no device (exclusive mode) fails devices, says where each device is, and how to move one in',
  script: `ip netns add dns2; ${doc('A', '-n dns2 doctor')}; ip netns delete dns2`,
  expect: all(status(2, 'A'), says(0, { devices: ['fail', 'no RDMA device is visible in netns dns2'], 'char-devices': 'skip',
    ports: 'skip' },
    { devices: 'rxe0 is in netns ns1' }), (r) => {
    const f = records(r.stdout).find((x) => x.check === 'devices');
    return f?.fix?.startsWith('move one in: rdma-ts dev set DEV netns dns2 ' +
      '--with-netdev') && f.evidence.some((e) => /^rxe1 is in netns pid:\d+\(sleep\)$/.test(e)) ? undefined : `devices: ` +
        `${JSON.stringify(f)}`;
  }),
}];

/** In the gids scenario (shared mode): rxeg's 16-slot table is full, ctr8 got no GID. */
export const DOCTOR_GID_CHECKS: ShellCheck[] = [{
  name: 'doctor: table full: -n ctr8 fails gid (its IP has no v2 GID) and warns gid-v1; -n ctr2 passes gid, warns gid-v1 only',
  script: `${doc('A', '-n ctr8 doctor')}
${doc('B', '-n ctr2 doctor')}`,
  expect: all(status(2, 'A'), status(1, 'B'),
    says(0, { gid: ['fail', 'no RoCE v2 GID for 10.98.0.8 on mv8'], 'gid-v1': ['warn',
      'the GID table of rxeg/1 is full, and RoCE v1 entries (which rdma_cm does not use) take 8 slots'], devices: 'ok', memlock: 'skip' },
      { gid: '10.98.0.8 on mv8: no RoCE v2 GID on rxeg/1 (no entry; 16/16 slots used, v1 8, v2 8)' }),
    says(1, { gid: ['ok', 'every IP of netns ctr2 on a RoCE port has a RoCE v2 GID'], 'gid-v1': 'warn', 'netns-mode': 'ok', ports: 'ok' },
      { gid: /^10\.98\.0\.2 on mv2: RoCE v2 GID index \d+ on rxeg\/1$/ })),
}, {
  name: 'doctor: a process whose /dev lacks the verbs devices fails char-devices; one limited to 64 KiB of locked memory ' +
    'without CAP_IPC_LOCK fails memlock',
  script: `unshare -m sh -c 'mount -t tmpfs none /dev/infiniband && exec sleep 300' & P=$!
setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock prlimit --memlock=65536:65536 sleep 300 & Q=$!; sleep 0.5; echo "PIDS $P $Q"
${doc('A', `doctor pid $P`)}
${doc('B', `doctor pid $Q`)}
kill $P $Q; wait 2>/dev/null`,
  expect: all(status(2, 'A'), status(2, 'B'), (r) => {
    const [p, q] = marks(r.stdout, 'PIDS');
    return says(0, { 'char-devices': ['fail',
      `missing in pid ${p} (sleep)'s /dev (/proc/${p}/root/dev): /dev/infiniband/uverbs`], devices: 'ok' },
        { 'char-devices': `/proc/${p}/root/dev/infiniband/rdma_cm: ENOENT` })(r)
      ?? says(1, { memlock: ['fail', 'a process can lock at most 64 KiB or less'], 'char-devices': 'ok' },
        { memlock: `pid ${q} (sleep): RLIMIT_MEMLOCK 64 KiB` })(r);
  }),
}];

/** In the cgroup scenario, while the pod's cgroup holds its one allowed HCA handle. */
export const DOCTOR_CGROUP_CHECK: ShellCheck = {
  name: 'doctor container: the pod\'s cgroup at its hca_handle limit fails cgroup; root with CAP_IPC_LOCK passes memlock',
  script: doc('A', `doctor container ${LAB_POD.id.slice(0, 12)}`),
  expect: all(status(2, 'A'), says(0, { cgroup: ['fail', 'an RDMA cgroup limit is reached'], memlock: 'ok', devices: 'ok',
    'char-devices': 'ok' },
    { cgroup: /: cgs0 hca_handle 1\/1$/ }),
      (r) => (section(r.stdout).includes(`"target":"container ${LAB_POD.id.slice(0, 12)} ` +
        `(${LAB_POD.namespace}/${LAB_POD.name}/${LAB_POD.container})"`) ? undefined : `target label: ${section(r.stdout).slice(0, 200)}`)),
};
