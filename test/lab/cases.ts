// The differential test's command forms: run by iproute2's `rdma` (6.1) and
// by `rdma-ts --compat 6.1` against the same frozen kernel state in one boot.
// {SPID}/{CPID} are the rping server/client PIDs.

export interface LabCase {
  argv: string;
  /** Why stdout or the exit code may legitimately differ; absent = must be identical. */
  differs?: string;
}

const FLAGS = ['', '-j', '-j -p', '-d', '-dd', '-p', '-j -d'];

const BASE = [
  'dev', 'dev show', 'dev list', 'dev show rxe0', 'link', 'link show', 'link show rxe0', 'link show rxe0/1',
  'system', 'system show', 'res', 'res show', 'res show rxe0', 'res show qp', 'res show cq', 'res show mr',
  'res show pd', 'res show cm_id', 'res show ctx', 'res show srq', 'statistic', 'statistic show',
  'statistic show link rxe0/1', 'statistic show link rxe0', 'statistic qp', 'statistic qp show', 'statistic qp mode',
  'statistic qp mode link rxe0/1', 'statistic mode', 'statistic mode supported', 'statistic mode link rxe0/1',
];

const FILTERS = [
  'res show qp lqpn 1', 'res show qp type RC', 'res show qp type rc,gsi', 'res show qp state RTS', 'res show qp pid {SPID}',
  'res show qp pid {SPID},{CPID}', 'res show qp link rxe0/1', 'res show qp link rxe0', 'res show qp link rxe0/ type RC',
  'res show qp link rxe0/1 lqpn 1-100', 'res show qp rqpn 0-1000', 'res show qp path-mig-state MIGRATED', 'res show qp pdn 1-9',
  'res show qp sq-psn 0-99999999', 'res show cm_id state LISTEN', 'res show cm_id ps TCP', 'res show cm_id src-port 7174',
  'res show cm_id link rxe0/1', 'res show cm_id qp-type RC', 'res show cm_id dst-addr 10.99.0.1', 'res show cq dev rxe0',
  'res show cq cqn 0', 'res show cq users 2', 'res show cq poll-ctx WORKQUEUE', 'res show cq pid {CPID}',
  'res show mr mrn 1', 'res show mr pdn 1-5', 'res show mr mrlen 64', 'res show mr dev rxe0', 'res show pd pdn 0',
  'res show pd users 0-3', 'res show pd dev rxe0 ctxn 1-9', 'res show ctx pid {SPID}', 'res show ctx ctxn 0-100',
  'statistic qp show link rxe0/1',
];

const ABBREVIATIONS = ['r', 'r s', 'r s q', 'res s q l rxe0/1', 'd', 'd s', 'l s rxe0/1', 'sys', 's', 'st', 'st s', 'stat s l rxe0/1', 'st q m'];

const ERRORS = [
  'dev show nosuch', 'link show nosuch/1', 'link show rxe0/9', 'link show rxe0/-', 'link show rxe0/x',
  'res show qp lqpn', 'res show qp lqpn 1 type', 'res show qp bogus 1', 'res show qp lqpn x1', 'res show qp link',
  'res show cq dev nosuch', 'statistic show link nosuch/1', '-j dev show nosuch', '-j -p link show rxe0',
  'link show rxe0/', '-j res show cq dev nosuch', 'statistic show link rxe0/', 'statistic show link rxe0/-',
  'res show qp link rxe0/-', 'res show qp link rxe0/9',
];

export const LAB_CASES: LabCase[] = [
  ...BASE.flatMap((c) => FLAGS.map((f) => ({ argv: `${f} ${c}`.trim() }))),
  ...FILTERS.flatMap((c) => ['', '-j'].map((f) => ({ argv: `${f} ${c}`.trim() }))),
  ...ABBREVIATIONS.map((argv) => ({ argv })),
  ...ERRORS.map((argv) => ({ argv })),
  { argv: 'dev frob', differs: 'unknown keyword: rdmatool exits 0, rdma-ts exits 1 on purpose (README)' },
  { argv: 'res show bogus', differs: 'unknown keyword: rdmatool exits 0, rdma-ts exits 1 on purpose (README)' },
  { argv: '-V', differs: 'version string names rdma-ts, not iproute2 (README)' },
  { argv: 'statistic qp show pid {SPID}', differs: '6.1 has no stat qp filters: unknown keyword, rdma-ts exits 1 on purpose' },
];

/** Batch files: run by both with -b FILE (and -f -b FILE). */
export const LAB_BATCHES = [
  'dev\nlink show rxe0/1\nres show qp lqpn 1\n# comment\n\nsystem\n',
  'dev show nosuch\ndev\n',
];
