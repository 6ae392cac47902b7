// A synthetic recording (a UAPI encoding, not a kernel's answer): a GET dump of one mlx5_0 and a
// RES_QP_GET dump of `count` RC QPs, 200 entries a message like a kernel skb, owned by 17
// processes whose comm is `comm` (PIDs 1000-1016, answered from the recording), or by the given
// live `pids` (the benchmark, whose dump is served by a kernel process: /proc answers). The
// benchmark's load (bench/run.ts) and the comm tests use it; the lab cannot give 100k QPs or a
// chosen comm.
import { encodeAttrs, EncodeEntry } from '../../src/protocol/codec.js';
import { NLDEV_SCHEMA, A, CMD, nldevType } from '../../src/protocol/nldev-schema.js';
import { encodeMessage, NLM_F_MULTI, NLMSG_DONE, NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP } from '../../src/transport/framing.js';
import { deviceAttrs } from './uapi-kernel.js';

export function qpDumpRecording(count: number, comm = 'ib_write_bw', pids = Array.from({ length: 17 }, (_, i) => 1000 + i)): object {
  const dev = { index: 0, name: 'mlx5_0', ports: 1, caps: 0n, guid: 1n, nodeType: 1, dim: 0, protocol: 'roce', portInfo: [],
    summary: [], res: {} };
  const getReq = encodeMessage(nldevType(CMD.GET), NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, 0, Buffer.alloc(0));
  const getRep = Buffer.concat([encodeMessage(nldevType(CMD.GET), NLM_F_MULTI, 0, encodeAttrs(NLDEV_SCHEMA, deviceAttrs(dev))),
    encodeMessage(NLMSG_DONE, NLM_F_MULTI, 0, Buffer.alloc(4))]);
  const qpReq = encodeMessage(nldevType(CMD.RES_QP_GET), NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, 0, encodeAttrs(NLDEV_SCHEMA,
    [[A.DEV_INDEX, 0]]));
  const replies: string[] = [];
  for (let start = 0; start < count; start += 200) {
    const entries: EncodeEntry[] = [];
    for (let q = start; q < Math.min(count, start + 200); q++) {
      entries.push([A.RES_QP_ENTRY, [[A.PORT_INDEX, 1], [A.RES_LQPN, q + 2], [A.RES_RQPN, q + 3], [A.RES_RQ_PSN, q * 7 & 0xffffff],
        [A.RES_SQ_PSN, q * 13 & 0xffffff], [A.RES_PATH_MIG_STATE, 0], [A.RES_TYPE, 2], [A.RES_STATE, 3], [A.RES_PDN, q % 50],
          [A.RES_PID, pids[q % pids.length]]]]);
    }
    replies.push(encodeMessage(nldevType(CMD.RES_QP_GET), NLM_F_MULTI, 0, encodeAttrs(NLDEV_SCHEMA, [[A.DEV_INDEX, 0],
      [A.DEV_NAME, 'mlx5_0'], [A.RES_QP, entries]])).toString('hex'));
  }
  replies.push(encodeMessage(NLMSG_DONE, NLM_F_MULTI, 0, Buffer.alloc(4)).toString('hex'));
  const files: Record<string, string> = {};
  for (const p of pids) files[`/proc/${p}/comm`] = `${comm}\n`;
  return { format: 'rdma-ts-recording/1', synthetic: `UAPI encoding of ${count} RC QPs (the lab cannot give 100k QPs or a chosen comm)`,
    kernel: 'synthetic', argv: [], recorded: 'synthetic',
    exchanges: [{ protocol: 'rdma', netns: null, request: getReq.toString('hex'), replies: [getRep.toString('hex')] },
      { protocol: 'rdma', netns: null, request: qpReq.toString('hex'), replies }], files };
}
