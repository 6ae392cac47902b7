// Writes fixtures/synthetic/*.json: recordings of rdma-ts talking to a
// UAPI-level encoding of the kernel state seen in shared/lab-captures (real
// 6.1.0-56 kernel, rxe0 on veth0 + siw0 on veth1, rping over rxe0). They stand
// in until the kernel lab (issue 3) records the same scenarios for real.
// Usage: node dist/test/support/synthesize.js
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { A } from '../../src/protocol/nldev-schema.js';
import type { EncodeEntry } from '../../src/protocol/codec.js';
import { Session } from '../../src/transport/session.js';
import { main } from '../../src/cli/main.js';
import { KernelState, DevState, uapiSocket } from './uapi-kernel.js';

const RXE_COUNTERS = ['sent_pkts', 'rcvd_pkts', 'duplicate_request', 'out_of_seq_request', 'rcvd_rnr_err',
  'send_rnr_err', 'rcvd_seq_err', 'ack_deferred', 'retry_exceeded_err', 'retry_rnr_exceeded_err',
  'completer_retry_err', 'send_err', 'link_downed', 'rdma_sends', 'rdma_recvs'];
const RPING_COUNTERS = [210879n, 210879n, 1n, 0n, 0n, 0n, 0n, 1n, 0n, 0n, 1n, 0n, 0n, 70294n, 70294n];

const summary = (v: number[]): Array<[string, bigint]> =>
  ['pd', 'cq', 'qp', 'cm_id', 'mr', 'ctx', 'srq'].map((n, i) => [n, BigInt(v[i])]);

const gsi = (sqPsn: number): EncodeEntry[] => [[A.PORT_INDEX, 1], [A.RES_LQPN, 1], [A.RES_SQ_PSN, sqPsn],
  [A.RES_TYPE, 1], [A.RES_STATE, 3], [A.RES_KERN_NAME, 'ib_core']];
const rc = (l: number, r: number, rq: number, sq: number, pdn: number, pid: number): EncodeEntry[] => [
  [A.PORT_INDEX, 1], [A.RES_LQPN, l], [A.RES_RQPN, r], [A.RES_RQ_PSN, rq], [A.RES_SQ_PSN, sq],
  [A.RES_PATH_MIG_STATE, 0], [A.RES_TYPE, 2], [A.RES_STATE, 3], [A.RES_PDN, pdn], [A.RES_PID, pid]];
const sin = (a: number[], port: number) => {
  const b = Buffer.alloc(128);
  b.writeUInt16LE(2, 0);
  b.writeUInt16BE(port, 2);
  Buffer.from(a).copy(b, 4);
  return b;
};

function rxe(res: Record<number, EncodeEntry[][]>, sum: number[], counters: bigint[]): DevState {
  return {
    index: 0, name: 'rxe0', ports: 1, caps: 0x01223c76n, guid: 0x60d3fdfffe9176ean, nodeType: 1, dim: 0,
    protocol: 'roce', portInfo: [{ state: 4, phys: 5, netdev: 'veth0', netdevIndex: 3 }],
    counters: RXE_COUNTERS.map((n, i) => [n, counters[i]]), summary: summary(sum), res,
  };
}
const siw: DevState = {
  index: 1, name: 'siw0', ports: 1, caps: 0x200000n, guid: 0xd4d313fffe80f338n, nodeType: 4, dim: 0, protocol: 'iw',
  portInfo: [{ state: 4, phys: 5, netdev: 'veth1', netdevIndex: 2 }], summary: summary([0, 0, 0, 0, 0, 0, 0]), res: {},
};
const SYS: EncodeEntry[] = [[A.SYS_ATTR_NETNS_MODE, 1], [A.SYS_ATTR_PRIVILEGED_QKEY_MODE, 0], [A.SYS_ATTR_COPY_ON_FORK, 1]];

const idle: KernelState = {
  devices: [rxe({ [A.RES_QP]: [gsi(0)] }, [1, 1, 1, 0, 0, 0, 0], RXE_COUNTERS.map(() => 0n)), siw], sys: SYS,
};

/** rping client (pid 545) and server (pid 542) over rxe0, section 7a of the captures; PSNs move between commands. */
function rping(rq17: number, sq17: number): KernelState {
  const res: Record<number, EncodeEntry[][]> = {
    [A.RES_QP]: [rc(17, 18, rq17, sq17, 3, 545), rc(18, 17, sq17, rq17, 4, 542), gsi(3)],
    [A.RES_CQ]: [
      [[A.RES_CQE, 1023], [A.RES_USECNT, 2n], [A.RES_POLL_CTX, 2], [A.DEV_DIM, 0], [A.RES_CQN, 0], [A.RES_KERN_NAME, 'ib_core']],
      [[A.RES_CQE, 63], [A.RES_USECNT, 2n], [A.DEV_DIM, 0], [A.RES_CQN, 1], [A.RES_CTXN, 3], [A.RES_PID, 545]],
      [[A.RES_CQE, 63], [A.RES_USECNT, 2n], [A.DEV_DIM, 0], [A.RES_CQN, 2], [A.RES_CTXN, 2], [A.RES_PID, 542]],
    ],
    [A.RES_MR]: ([[0, 0x0, 0x234, 16, 3, 545], [1, 0x0, 0x3a9, 16, 3, 545], [2, 0x421, 0x421, 64, 3, 545],
      [3, 0x5c0, 0x5c0, 64, 3, 545], [4, 0x0, 0x6d5, 16, 4, 542], [5, 0x0, 0x709, 16, 4, 542], [6, 0x8f7, 0x8f7, 64, 4, 542]])
      .map(([n, rk, lk, len, pdn, pid]) => [[A.RES_RKEY, rk], [A.RES_LKEY, lk], [A.RES_MRLEN, BigInt(len)], [A.RES_MRN, n],
        [A.RES_PDN, pdn], [A.RES_PID, pid]] as EncodeEntry[]),
    [A.RES_PD]: [
      [[A.RES_LOCAL_DMA_LKEY, 0x1a1], [A.RES_USECNT, 1n], [A.RES_PDN, 0], [A.RES_KERN_NAME, 'ib_core']],
      ...([[1, 0, 2, 542], [2, 0, 3, 547], [3, 5, 3, 545], [4, 4, 2, 542]]).map(([pdn, users, ctxn, pid]) =>
        [[A.RES_LOCAL_DMA_LKEY, 0], [A.RES_USECNT, BigInt(users)], [A.RES_PDN, pdn], [A.RES_CTXN, ctxn], [A.RES_PID,
          pid]] as EncodeEntry[]),
    ],
    [A.RES_CM_ID]: [
      [[A.PORT_INDEX, 1], [A.RES_STATE, 8], [A.RES_PS, 0x106], [A.RES_SRC_ADDR, sin([10, 99, 0, 1], 7174)], [A.RES_DST_ADDR,
        sin([0, 0, 0, 0], 0)], [A.RES_CM_IDN, 0], [A.RES_PID, 542]],
      [[A.PORT_INDEX, 1], [A.RES_LQPN, 17], [A.RES_TYPE, 2], [A.RES_STATE, 5], [A.RES_PS, 0x106], [A.RES_SRC_ADDR, sin([10, 99,
        0, 1], 60792)], [A.RES_DST_ADDR, sin([10, 99, 0, 1], 7174)], [A.RES_CM_IDN, 1], [A.RES_PID, 545]],
      [[A.PORT_INDEX, 1], [A.RES_LQPN, 18], [A.RES_TYPE, 2], [A.RES_STATE, 5], [A.RES_PS, 0x106], [A.RES_SRC_ADDR, sin([10, 99,
        0, 1], 7174)], [A.RES_DST_ADDR, sin([10, 99, 0, 1], 60792)], [A.RES_CM_IDN, 2], [A.RES_PID, 542]],
    ],
    [A.RES_CTX]: [[[A.RES_CTXN, 2], [A.RES_PID, 542]], [[A.RES_CTXN, 3], [A.RES_PID, 547]]],
  };
  return { devices: [rxe(res, [5, 3, 3, 3, 7, 2, 0], RPING_COUNTERS), siw], sys: SYS };
}

/**
 * What no rxe/siw lab shows: an InfiniBand mlx5 port (subnet prefix, LIDs, LMC, port caps), an SMI
 * sub-device (6.11+), driver tables for -dd, a DRIVER-type QP with subtype, FRMR pools (7.1),
 * privileged-qkey and monitor mode on. Attribute sets follow nldev.c's fill functions.
 */
const IB_GUID = 0x248a0703009c1a2bn;
const mlx5ib: KernelState = {
  devices: [
    {
      index: 0, name: 'mlx5_0', ports: 1, caps: (1n << 1n) | (1n << 20n) | (1n << 21n) | (1n << 31n), guid: IB_GUID, nodeType: 1,
      dim: 1, protocol: 'ib', fw: '20.31.1014', summary: summary([2, 3, 2, 0, 1, 1, 0]),
      // mlx5's optional congestion-control counters (IB_STAT_FLAG_OPTIONAL): DYNAMIC says whether each is enabled.
      counterStatus: [{ name: 'rx_write_requests', index: 0 }, { name: 'rx_read_requests', index: 1 },
        { name: 'cc_rx_ce_pkts', index: 2, enabled: false }, { name: 'cc_rx_cnp_pkts', index: 3, enabled: true },
        { name: 'cc_tx_cnp_pkts', index: 4, enabled: false }],
      portInfo: [{ state: 4, phys: 5, netdev: 'ib0', netdevIndex: 4,
        ib: { subnetPrefix: 0xfe80000000000000n, lid: 3, smLid: 1, lmc: 0, caps: (1n << 16n) | (1n << 25n) | (1n << 27n) | (1n << 29n) } }],
      res: {
        [A.RES_QP]: [
          [[A.PORT_INDEX, 1], [A.RES_LQPN, 0x1c5], [A.RES_SQ_PSN, 42], [A.RES_TYPE, 4], [A.RES_STATE, 3], [A.RES_PDN, 1], [A.RES_PID, 4242],
            [A.DRIVER, [[A.DRIVER_STRING, 'sq_wqe_cnt'], [A.DRIVER_U32, 128], [A.DRIVER_STRING, 'qpc'], [A.DRIVER_PRINT_TYPE,
              1], [A.DRIVER_U32, 0x1a2b]]]],
          [[A.PORT_INDEX, 1], [A.RES_LQPN, 0x1c6], [A.RES_SQ_PSN, 0], [A.RES_TYPE, 0xff], [A.RES_SUBTYPE, 'DCT'], [A.RES_STATE,
            3], [A.RES_PDN, 1], [A.RES_PID, 4242],
            [A.DRIVER, [[A.DRIVER_STRING, 'backlog'], [A.DRIVER_S64, -3n], [A.DRIVER_STRING, 'mode'], [A.DRIVER_STRING, 'dc']]]],
        ],
        [A.FRMR_POOLS]: [
          [[A.FRMR_POOL_KEY, [[A.FRMR_POOL_KEY_ATS, 0], [A.FRMR_POOL_KEY_ACCESS_FLAGS, 0x1f], [A.FRMR_POOL_KEY_VENDOR_KEY, 0n],
            [A.FRMR_POOL_KEY_NUM_DMA_BLOCKS, 256n], [A.FRMR_POOL_KEY_KERNEL_VENDOR_KEY, 7n]]],
            [A.FRMR_POOL_QUEUE_HANDLES, 64], [A.FRMR_POOL_MAX_IN_USE, 120n], [A.FRMR_POOL_IN_USE, 17n], [A.FRMR_POOL_PINNED_HANDLES, 32]],
          [[A.FRMR_POOL_KEY, [[A.FRMR_POOL_KEY_ATS, 1], [A.FRMR_POOL_KEY_ACCESS_FLAGS, 0x7], [A.FRMR_POOL_KEY_VENDOR_KEY,
            0xabn], [A.FRMR_POOL_KEY_NUM_DMA_BLOCKS, 4096n]]],
            [A.FRMR_POOL_QUEUE_HANDLES, 8], [A.FRMR_POOL_MAX_IN_USE, 8n], [A.FRMR_POOL_IN_USE, 0n], [A.FRMR_POOL_PINNED_HANDLES, 0]],
        ],
      },
      // mlx5's fill_res_{qp,cq}_entry_raw: the hardware context as bytes (here short, made-up contexts).
      raw: { [A.RES_QP]: [Buffer.from([0, 1, 2, 254, 255]), Buffer.from([16, 32])], [A.RES_CQ]: [Buffer.from([7, 0, 128])] },
    },
    {
      index: 1, name: 'smi0', ports: 1, caps: 0n, guid: IB_GUID + 1n, nodeType: 1, dim: 0, protocol: 'ib', type: 1, parent: 'mlx5_0',
      summary: summary([0, 0, 0, 0, 0, 0, 0]), portInfo: [{ state: 4, phys: 5 }], res: {},
    },
  ],
  sys: [[A.SYS_ATTR_NETNS_MODE, 0], [A.SYS_ATTR_PRIVILEGED_QKEY_MODE, 1], [A.SYS_ATTR_COPY_ON_FORK, 1], [A.SYS_ATTR_MONITOR_MODE, 1]],
  // What rdma_nl_notify_event() sends (nldev.c, 6.13): an SMI sub-device comes and goes, mlx5_0 is renamed,
  // its IPoIB netdev detaches, is renamed and attaches again; type 9 is one this tool does not know.
  events: [
    [[A.DEV_INDEX, 2], [A.DEV_NAME, 'smi1'], [A.EVENT_TYPE, 0]],
    [[A.DEV_INDEX, 0], [A.DEV_NAME, 'mlx5_9'], [A.EVENT_TYPE, 4]],
    [[A.DEV_INDEX, 0], [A.DEV_NAME, 'mlx5_9'], [A.PORT_INDEX, 1], [A.EVENT_TYPE, 3]],
    [[A.NDEV_INDEX, 4], [A.NDEV_NAME, 'ib9'], [A.EVENT_TYPE, 5]],
    [[A.DEV_INDEX, 0], [A.DEV_NAME, 'mlx5_9'], [A.PORT_INDEX, 1], [A.NDEV_INDEX, 4], [A.NDEV_NAME, 'ib9'], [A.EVENT_TYPE, 2]],
    [[A.DEV_INDEX, 2], [A.DEV_NAME, 'smi1'], [A.EVENT_TYPE, 1]],
    [[A.DEV_INDEX, 0], [A.EVENT_TYPE, 9]],
  ],
};

/** Every write of the writes case, in one process so that each read sees the writes before it. */
const WRITES_BATCH = [
  'res set frmr_pools dev mlx5_0 pinned ab:1000:7:1 4', 'res show frmr_pools',
  'stat set link mlx5_0/1 optional-counters cc_rx_ce_pkts,cc_tx_cnp_pkts', 'stat mode link mlx5_0/1',
  'stat qp set link mlx5_0/1 auto type,pid on optional-counters on', 'stat qp mode link mlx5_0/1',
  'stat unset link mlx5_0/1 optional-counters', 'stat mode link mlx5_0/1',
  'dev add smi1 type smi parent mlx5_0', 'dev', 'dev delete smi1', 'dev',
  'stat qp bind link mlx5_0/1 lqpn 453', 'stat qp bind link mlx5_0/1 lqpn 454 cntn 1', 'stat qp show link mlx5_0/1',
  'stat qp unbind link mlx5_0/1 cntn 1', 'stat qp show link mlx5_0/1',
].join('\n') + '\n';
const WRITES_BATCH_FILE = 'fixtures/synthetic/mlx5-ib-writes.batch';

const COMMS = { '/proc/542/comm': 'rping\n', '/proc/545/comm': 'rping\n', '/proc/547/comm': 'rping\n', '/proc/4242/comm': 'ib_send_bw\n' };

/** name, state, argv whose exchanges the recording must hold (other flags reuse them). */
const CASES: Array<[string, KernelState, string[][]]> = [
  ['idle-dev', idle, [['dev'], ['dev', 'show', 'rxe0'], ['dev', 'show', 'nosuchdev']]],
  ['idle-link', idle, [['link'], ['link', 'show', 'siw0/1']]],
  ['idle-system', idle, [['system']]],
  ['idle-res', idle, [['res'], ['res', 'show', 'qp']]],
  ['idle-stat', idle, [['stat', 'show'], ['stat', 'show', 'link', 'rxe0/1']]],
  ['rping-a', rping(16044772, 1960767), [['res'], ['res', 'show', 'qp'], ['res', 'show', 'cq'], ['res', 'show', 'mr'],
    ['res', 'show', 'pd'], ['res', 'show', 'cm_id'], ['res', 'show', 'ctx'], ['stat', 'show', 'link', 'rxe0/1']]],
  ['rping-qp-json', rping(16066500, 1971631), [['res', 'show', 'qp']]],
  ['rping-qp-pretty', rping(16074546, 1975654), [['res', 'show', 'qp']]],
  ['rping-qp-filter', rping(16099834, 1988298), [['res', 'show', 'qp', 'lqpn', '1'], ['res', 'show', 'qp', 'link', 'rxe0/1',
    'type', 'RC']]],
  ['mlx5-ib', mlx5ib, [['dev'], ['link'], ['system'], ['-dd', 'res', 'show', 'qp'], ['res', 'show', 'frmr_pools'],
    ['-r', 'res', 'show', 'qp'], ['-r', 'res', 'show', 'cq'], ['-r', 'res', 'show', 'mr']]],
  ['mlx5-ib-writes', structuredClone(mlx5ib), [['res', 'set', 'frmr_pools', 'dev', 'mlx5_0', 'aging', '60'],
    ['res', 'set', 'frmr_pools', 'dev', 'mlx5_0', 'pinned', '1:2:3:0', '5'], ['stat', 'set', 'link', 'mlx5_0/1',
      'optional-counters', 'nosuch'],
    ['monitor']]],
  // Its own recording: a replay matches identical requests (each line's GET dump) in recorded order.
  ['mlx5-ib-batch', structuredClone(mlx5ib), [['-b', WRITES_BATCH_FILE]]],
];

const IB_REASON = 'no lab kernel shows these (rxe and siw are RoCE/iWARP, no SMI devices, no driver tables, no raw (-r) contexts, ' +
  'no FRMR pools before 7.0, no optional counters, no monitor events on 6.1, no optional counters in QP auto mode before 6.15): ' +
  'a UAPI encoding of an mlx5 InfiniBand HCA following nldev.c';

const REASON = 'the goldens (fixtures/golden/6.1) are real iproute2 6.1 output captured once (shared/lab-captures); ' +
  'a lab boot makes an equal but not identical state (PIDs, PSNs, QP numbers and counters differ), so this is the ' +
  'state of that capture encoded from the UAPI (6.1.0-56-amd64, rxe0 on veth0, siw0 on veth1). The lab\'s own ' +
  'recordings (fixtures/lab) are compared with rdma in the same boot instead';

mkdirSync('fixtures/synthetic', { recursive: true });
writeFileSync(WRITES_BATCH_FILE, WRITES_BATCH);
for (const [name, state, runs] of CASES) {
  Session.socketFactory = () => uapiSocket(state);
  const file = `fixtures/synthetic/${name}.json`;
  const merged: { exchanges: unknown[] } = { exchanges: [] };
  for (const argv of runs) {
    const tmp = `${file}.part`;
    await main(['--record', tmp, ...argv]);
    const rec = JSON.parse(readFileSync(tmp, 'utf8'));
    merged.exchanges.push(...rec.exchanges);
  }
  const out = {
    format: 'rdma-ts-recording/1', synthetic: name.startsWith('mlx5-ib') ? IB_REASON : REASON, scenario: name,
    kernel: name.startsWith('mlx5-ib') ? 'synthetic 7.1' : '6.1.0-56-amd64',
    argv: runs.map((r) => r.join(' ')), recorded: 'synthesized', exchanges: merged.exchanges, files: COMMS,
  };
  writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
  process.stdout.write(`wrote ${file} (${merged.exchanges.length} exchanges)\n`);
}
