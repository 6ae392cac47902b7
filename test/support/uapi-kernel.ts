// A UAPI-level encoder of NLDEV replies for a described kernel state. It
// exists only to SYNTHESIZE fixtures for what the lab cannot record yet; the
// files it writes say `synthetic` and why. Tests never talk to it directly:
// they replay the recordings through the real transport/decoder path.
import { DatagramSocket } from '../../src/transport/socket.js';
import { encodeAttrs, EncodeEntry, decodeAttrs } from '../../src/protocol/codec.js';
import { NLDEV_SCHEMA, A, CMD, RDMA_NL_NLDEV } from '../../src/protocol/nldev-schema.js';
import { TransportError } from '../../src/transport/errors.js';
import { NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, NLM_F_CAPPED, parseMessages } from '../../src/transport/framing.js';

export interface DevState {
  index: number;
  name: string;
  ports: number;
  caps: bigint;
  guid: bigint;
  nodeType: number;
  dim: number;
  protocol: string;
  fw?: string;
  /** SMI sub-devices (6.11+): DEV_TYPE and PARENT_NAME. */
  type?: number;
  parent?: string;
  portInfo: Array<{
    state: number; phys: number; netdev?: string; netdevIndex?: number;
    /** InfiniBand-only attributes: the kernel sends them for IB ports alone. */
    ib?: { subnetPrefix: bigint; lid: number; smLid: number; lmc: number; caps: bigint };
  }>;
  counters?: Array<[string, bigint]>;
  summary: Array<[string, bigint]>;
  /** Restrack entries per table attribute (A.RES_QP ...), each an attribute list. */
  res: Record<number, EncodeEntry[][]>;
}

export interface KernelState {
  devices: DevState[];
  sys: EncodeEntry[];
}

const PORTID = 1049;

function msg(type: number, flags: number, seq: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(16 + payload.length);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt32LE(seq, 8);
  b.writeUInt32LE(PORTID, 12);
  payload.copy(b, 16);
  return b;
}

function errMsg(req: Buffer, errno: number): Buffer {
  const p = Buffer.alloc(20);
  p.writeInt32LE(-errno, 0);
  req.copy(p, 4, 0, 16);
  return msg(NLMSG_ERROR, NLM_F_CAPPED, req.readUInt32LE(8), p);
}

export function deviceAttrs(d: DevState): EncodeEntry[] {
  // fill_dev_info() order: index, name, ports, caps, fw, guids, node type, dim, then newer attributes.
  const attrs: EncodeEntry[] = [[A.DEV_INDEX, d.index], [A.DEV_NAME, d.name], [A.PORT_INDEX, d.ports], [A.CAP_FLAGS, d.caps]];
  if (d.fw) attrs.push([A.FW_VERSION, d.fw]);
  attrs.push([A.NODE_GUID, d.guid], [A.SYS_IMAGE_GUID, d.guid], [A.DEV_NODE_TYPE, d.nodeType], [A.DEV_DIM, d.dim],
    [A.DEV_PROTOCOL, d.protocol]);
  if (d.type !== undefined) attrs.push([A.DEV_TYPE, d.type]);
  if (d.parent) attrs.push([A.PARENT_NAME, d.parent]);
  return attrs;
}

const RES_CMDS: Record<number, number> = {
  [CMD.RES_QP_GET]: A.RES_QP, [CMD.RES_CM_ID_GET]: A.RES_CM_ID, [CMD.RES_CQ_GET]: A.RES_CQ,
  [CMD.RES_MR_GET]: A.RES_MR, [CMD.RES_PD_GET]: A.RES_PD, [CMD.RES_CTX_GET]: A.RES_CTX, [CMD.RES_SRQ_GET]: A.RES_SRQ,
  [CMD.FRMR_POOLS_GET]: A.FRMR_POOLS,
};
const ENTRY_OF: Record<number, number> = {
  [A.RES_QP]: A.RES_QP_ENTRY, [A.RES_CM_ID]: A.RES_CM_ID_ENTRY, [A.RES_CQ]: A.RES_CQ_ENTRY, [A.RES_MR]: A.RES_MR_ENTRY,
  [A.RES_PD]: A.RES_PD_ENTRY, [A.RES_CTX]: A.RES_CTX_ENTRY, [A.RES_SRQ]: A.RES_SRQ_ENTRY, [A.FRMR_POOLS]: A.FRMR_POOL_ENTRY,
};
const EINVAL = 22, ENODEV = 19;

/** Answers one request datagram with the datagrams the kernel would send. */
export function answer(state: KernelState, req: Buffer): Buffer[] {
  const [m] = parseMessages(req);
  const seq = m.seq;
  if (m.type >> 10 !== RDMA_NL_NLDEV) return [errMsg(req, EINVAL)];
  const cmd = m.type & 0x3ff;
  const tb = decodeAttrs(NLDEV_SCHEMA, m.payload);
  const dev = state.devices.find((d) => d.index === tb[A.DEV_INDEX]);
  const reply = (attrs: EncodeEntry[]) => [msg(m.type, 0, seq, encodeAttrs(NLDEV_SCHEMA, attrs)), errMsg(req, 0)];
  const multi = (bodies: EncodeEntry[][]) => [
    Buffer.concat(bodies.map((b) => msg(m.type, NLM_F_MULTI, seq, encodeAttrs(NLDEV_SCHEMA, b)))),
    msg(NLMSG_DONE, NLM_F_MULTI, seq, Buffer.alloc(4)),
  ];
  switch (cmd) {
    case CMD.GET:
      if (m.flags & 0x300) return state.devices.map((d) => multi([deviceAttrs(d)])[0]).concat(multi([])[1]);
      return dev ? reply(deviceAttrs(dev)) : [errMsg(req, ENODEV)];
    case CMD.PORT_GET: {
      const p = dev?.portInfo[(tb[A.PORT_INDEX] ?? 0) - 1];
      if (!dev || !p) return [errMsg(req, EINVAL)];
      const attrs: EncodeEntry[] = [[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.PORT_INDEX, tb[A.PORT_INDEX]],
      ];
      if (p.ib) {
        attrs.push([A.CAP_FLAGS, p.ib.caps], [A.SUBNET_PREFIX, p.ib.subnetPrefix], [A.LID, p.ib.lid], [A.SM_LID, p.ib.smLid], [A.LMC, p.ib.lmc]);
      }
      attrs.push([A.PORT_STATE, p.state], [A.PORT_PHYS_STATE, p.phys]);
      if (p.netdev) attrs.push([A.NDEV_INDEX, p.netdevIndex!], [A.NDEV_NAME, p.netdev]);
      return reply(attrs);
    }
    case CMD.SYS_GET:
      return reply(state.sys);
    case CMD.RES_GET:
      if (!dev) return [errMsg(req, ENODEV)];
      return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name],
        [A.RES_SUMMARY, dev.summary.map(([n, c]) => [A.RES_SUMMARY_ENTRY, [[A.RES_SUMMARY_ENTRY_NAME, n], [A.RES_SUMMARY_ENTRY_CURR, c]]] as EncodeEntry)]]);
    case CMD.STAT_GET:
      if (!dev) return [errMsg(req, ENODEV)];
      if (tb[A.STAT_RES] !== undefined) {
        if (tb[A.STAT_MODE] !== undefined) return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.PORT_INDEX, tb[A.PORT_INDEX]], [A.STAT_RES, tb[A.STAT_RES]], [A.STAT_MODE, 0]]);
        return multi([]);
      }
      if (!dev.counters) return [errMsg(req, EINVAL)];
      return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.PORT_INDEX, tb[A.PORT_INDEX]],
        [A.STAT_HWCOUNTERS, dev.counters.map(([n, v]) => [A.STAT_HWCOUNTER_ENTRY, [[A.STAT_HWCOUNTER_ENTRY_NAME, n], [A.STAT_HWCOUNTER_ENTRY_VALUE, v]]] as EncodeEntry)]]);
    default: {
      const table = RES_CMDS[cmd];
      if (table === undefined || !dev) return [errMsg(req, EINVAL)];
      let entries = dev.res[table] ?? [];
      const port = tb[A.PORT_INDEX];
      if (port) entries = entries.filter((e) => e.some(([id, v]) => id === A.PORT_INDEX && v === port));
      if (!(m.flags & 0x300)) return [errMsg(req, 95)]; // synthesized state answers dumps only
      if (!entries.length) return multi([]);
      return multi([[[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [table, entries.map((e) => [ENTRY_OF[table], e] as EncodeEntry)]]]);
    }
  }
}

export function uapiSocket(state: KernelState): DatagramSocket {
  let queue: Buffer[] = [];
  return {
    protocol: 'rdma',
    send(req) { queue = answer(state, req); },
    recv() {
      const d = queue.shift();
      if (!d) throw new TransportError('no reply within 0 ms', 110);
      return d;
    },
    close() {},
  };
}
