// A UAPI-level encoder of NLDEV replies for a described kernel state. It
// exists only to SYNTHESIZE fixtures for what the lab cannot record yet; the
// files it writes say `synthetic` and why. Tests never talk to it directly:
// they replay the recordings through the real transport/decoder path.
import { DatagramSocket } from '../../src/transport/socket.js';
import { encodeAttrs, EncodeEntry, decodeAttrs } from '../../src/protocol/codec.js';
import { NLDEV_SCHEMA, A, CMD, RDMA_NL_NLDEV, nldevType } from '../../src/protocol/nldev-schema.js';
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
  /** STAT_GET_STATUS: every counter's index; `enabled` set for optional ones (DYNAMIC). */
  counterStatus?: Array<{ name: string; index: number; enabled?: boolean }>;
  /** QP counter mode of port 1: mode, auto mask, optional counters in auto mode (6.15). */
  qpMode?: { mode: number; mask: number; opcounters?: number };
  /** Manually bound QP counters of port 1 (STAT_SET mode 2 / STAT_DEL). */
  qpCounters?: QpCounterState[];
  frmrAging?: number;
  summary: Array<[string, bigint]>;
  /** Restrack entries per table attribute (A.RES_QP ...), each an attribute list. */
  res: Record<number, EncodeEntry[][]>;
  /** What the driver's fill_res_*_entry_raw() puts in RES_RAW, per object table (none: the driver has no raw op). */
  raw?: Record<number, Buffer[]>;
}

/** A bound QP counter: auto mode fills in the owner (pid) and port; values follow dev.counters' names. */
export interface QpCounterState {
  id: number;
  lqpns: number[];
  port?: number;
  pid?: number;
  values?: bigint[];
}

export interface KernelState {
  devices: DevState[];
  sys: EncodeEntry[];
  /** Monitor events (RDMA_NLDEV_CMD_MONITOR attribute lists) sent to a NOTIFY group member. */
  events?: EncodeEntry[][];
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

export function errMsg(req: Buffer, errno: number): Buffer {
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
/** -r: the RAW dumps (nldev.c's fill_res_*_raw_entry, EINVAL when the driver has no raw op, as rxe and siw). */
const RAW_CMDS: Record<number, number> = {
  [CMD.RES_QP_GET_RAW]: A.RES_QP, [CMD.RES_CQ_GET_RAW]: A.RES_CQ, [CMD.RES_MR_GET_RAW]: A.RES_MR, [CMD.RES_SRQ_GET_RAW]: A.RES_SRQ,
};
const ENTRY_OF: Record<number, number> = {
  [A.RES_QP]: A.RES_QP_ENTRY, [A.RES_CM_ID]: A.RES_CM_ID_ENTRY, [A.RES_CQ]: A.RES_CQ_ENTRY, [A.RES_MR]: A.RES_MR_ENTRY,
  [A.RES_PD]: A.RES_PD_ENTRY, [A.RES_CTX]: A.RES_CTX_ENTRY, [A.RES_SRQ]: A.RES_SRQ_ENTRY, [A.FRMR_POOLS]: A.FRMR_POOL_ENTRY,
};
/** The id attribute a resource doit is addressed by (nldev.c's nldev_fill_res_entry table, .id). */
const ID_OF: Record<number, number> = {
  [A.RES_QP]: A.RES_LQPN, [A.RES_CM_ID]: A.RES_CM_IDN, [A.RES_CQ]: A.RES_CQN, [A.RES_MR]: A.RES_MRN,
  [A.RES_PD]: A.RES_PDN, [A.RES_CTX]: A.RES_CTXN, [A.RES_SRQ]: A.RES_SRQN,
};
const EINVAL = 22, ENODEV = 19, EEXIST = 17, ENOENT = 2;

/** Writes change the state, so a batch recorded after them shows their effect. */
function write(state: KernelState, cmd: number, tb: Record<number, any>, dev: DevState | undefined): number {
  switch (cmd) {
    case CMD.FRMR_POOLS_SET: {
      if (!dev) return EINVAL;
      if (tb[A.FRMR_POOLS_AGING_PERIOD] !== undefined) { dev.frmrAging = tb[A.FRMR_POOLS_AGING_PERIOD]; return 0; }
      const key = tb[A.FRMR_POOL_KEY];
      if (tb[A.FRMR_POOL_PINNED_HANDLES] === undefined || !key) return EINVAL;
      const same = (e: EncodeEntry[]) => {
        const k = Object.fromEntries((e.find(([id]) => id === A.FRMR_POOL_KEY)![1] as EncodeEntry[]).map(([id, v]) => [id, v]));
        return [A.FRMR_POOL_KEY_ATS, A.FRMR_POOL_KEY_ACCESS_FLAGS, A.FRMR_POOL_KEY_VENDOR_KEY, A.FRMR_POOL_KEY_NUM_DMA_BLOCKS]
          .every((id) => BigInt((k[id] ?? 0) as number) === BigInt(key[id] ?? 0));
      };
      const pool = (dev.res[A.FRMR_POOLS] ?? []).find(same);
      if (!pool) return 2; // ENOENT: a pool is created by its first MR, not by pinning
      const at = pool.findIndex(([id]) => id === A.FRMR_POOL_PINNED_HANDLES);
      pool[at] = [A.FRMR_POOL_PINNED_HANDLES, tb[A.FRMR_POOL_PINNED_HANDLES]];
      return 0;
    }
    case CMD.STAT_SET: {
      if (!dev || tb[A.PORT_INDEX] === undefined) return EINVAL;
      if (tb[A.STAT_HWCOUNTERS] !== undefined) {
        // Decoded as records: each bare HWCOUNTER_INDEX is a record with only `index` set.
        const want = (tb[A.STAT_HWCOUNTERS] as Array<{ index?: number }>).map((r) => r.index);
        const optional = (dev.counterStatus ?? []).filter((c) => c.enabled !== undefined);
        if (want.some((i) => !optional.some((c) => c.index === i))) return EINVAL;
        for (const c of optional) c.enabled = want.includes(c.index);
        return 0;
      }
      if (tb[A.STAT_MODE] === 2 && tb[A.RES_LQPN] !== undefined) {
        const qps = (dev.res[A.RES_QP] ?? []).map((e) => e.find(([id]) => id === A.RES_LQPN)?.[1]);
        if (!qps.includes(tb[A.RES_LQPN])) return 2; // ENOENT
        const counters = (dev.qpCounters ??= []);
        if (counters.some((c) => c.lqpns.includes(tb[A.RES_LQPN]))) return 16; // EBUSY: already bound
        if (tb[A.STAT_COUNTER_ID] !== undefined) {
          const c = counters.find((x) => x.id === tb[A.STAT_COUNTER_ID]);
          if (!c) return 2;
          c.lqpns.push(tb[A.RES_LQPN]);
        } else counters.push({ id: Math.max(0, ...counters.map((c) => c.id)) + 1, lqpns: [tb[A.RES_LQPN]] });
        return 0;
      }
      if (tb[A.STAT_MODE] === 1) {
        dev.qpMode = { mode: tb[A.STAT_AUTO_MODE_MASK] ? 1 : 0, mask: tb[A.STAT_AUTO_MODE_MASK] ?? 0,
          opcounters: tb[A.STAT_OPCOUNTER_ENABLED] };
        return 0;
      }
      return EINVAL;
    }
    case CMD.NEWDEV: {
      const parent = dev;
      if (!parent || tb[A.DEV_TYPE] !== 1) return EINVAL;
      if (state.devices.some((d) => d.name === tb[A.DEV_NAME])) return EEXIST;
      const index = Math.max(...state.devices.map((d) => d.index)) + 1;
      state.devices.push({ ...parent, index, name: tb[A.DEV_NAME], type: 1, parent: parent.name, fw: undefined, dim: 0,
        portInfo: parent.portInfo.map((p) => ({ ...p, netdev: undefined })), res: {}, summary: parent.summary.map(([n]) => [n, 0n]) });
      return 0;
    }
    case CMD.STAT_DEL: {
      const c = dev?.qpCounters?.find((x) => x.id === tb[A.STAT_COUNTER_ID]);
      if (!c || !c.lqpns.includes(tb[A.RES_LQPN])) return EINVAL;
      c.lqpns = c.lqpns.filter((q) => q !== tb[A.RES_LQPN]);
      if (!c.lqpns.length) dev!.qpCounters = dev!.qpCounters!.filter((x) => x !== c);
      return 0;
    }
    case CMD.DELDEV: {
      const i = state.devices.findIndex((d) => d === dev);
      if (i < 0 || dev!.type === undefined) return EINVAL;
      state.devices.splice(i, 1);
      return 0;
    }
  }
  return EINVAL;
}

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
        attrs.push([A.CAP_FLAGS, p.ib.caps], [A.SUBNET_PREFIX, p.ib.subnetPrefix], [A.LID, p.ib.lid], [A.SM_LID, p.ib.smLid],
          [A.LMC, p.ib.lmc]);
      }
      attrs.push([A.PORT_STATE, p.state], [A.PORT_PHYS_STATE, p.phys]);
      if (p.netdev) attrs.push([A.NDEV_INDEX, p.netdevIndex!], [A.NDEV_NAME, p.netdev]);
      return reply(attrs);
    }
    case CMD.SYS_GET:
      return reply(state.sys);
    case CMD.STAT_SET: case CMD.STAT_DEL: {
      // nldev_stat_set_doit / nldev_stat_del_doit: on success a STAT_SET message (the device handle and
      // port; for a bind or an unbind also the counter and the QP) goes out before the ACK.
      const cntnBefore = dev?.qpCounters?.map((c) => c.id) ?? [];
      const errno = write(state, cmd, tb, dev);
      if (errno) return [errMsg(req, errno)];
      const attrs: EncodeEntry[] = [[A.DEV_INDEX, dev!.index], [A.DEV_NAME, dev!.name], [A.PORT_INDEX, tb[A.PORT_INDEX]]];
      if (tb[A.RES_LQPN] !== undefined) {
        const cntn = tb[A.STAT_COUNTER_ID] ?? dev!.qpCounters!.find((c) => !cntnBefore.includes(c.id))!.id;
        attrs.push([A.STAT_COUNTER_ID, cntn], [A.RES_LQPN, tb[A.RES_LQPN]]);
      }
      return [msg(nldevType(CMD.STAT_SET), 0, seq, encodeAttrs(NLDEV_SCHEMA, attrs)), errMsg(req, 0)];
    }
    // NEWDEV, DELDEV and FRMR_POOLS_SET send no message: the ACK alone.
    case CMD.FRMR_POOLS_SET: case CMD.NEWDEV: case CMD.DELDEV:
      return [errMsg(req, write(state, cmd, tb, dev))];
    case CMD.STAT_GET_STATUS: {
      if (!dev?.counterStatus) return [errMsg(req, EINVAL)];
      return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.PORT_INDEX, tb[A.PORT_INDEX]],
        [A.STAT_HWCOUNTERS, dev.counterStatus.map((c) => [A.STAT_HWCOUNTER_ENTRY, [[A.STAT_HWCOUNTER_ENTRY_NAME, c.name],
          [A.STAT_HWCOUNTER_INDEX, c.index], ...(c.enabled === undefined ? [] : [[A.STAT_HWCOUNTER_DYNAMIC,
            c.enabled ? 1 : 0]])]] as EncodeEntry)]]);
    }
    case CMD.RES_GET:
      if (!dev) return [errMsg(req, ENODEV)];
      return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name],
        [A.RES_SUMMARY, dev.summary.map(([n, c]) => [A.RES_SUMMARY_ENTRY, [[A.RES_SUMMARY_ENTRY_NAME, n],
          [A.RES_SUMMARY_ENTRY_CURR, c]]] as EncodeEntry)]]);
    case CMD.STAT_GET:
      if (!dev) return [errMsg(req, ENODEV)];
      if (tb[A.STAT_RES] !== undefined) {
        if (tb[A.STAT_MODE] !== undefined) {
          const q = dev.qpMode ?? { mode: 0, mask: 0 };
          return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.PORT_INDEX, tb[A.PORT_INDEX]], [A.STAT_RES, tb[A.STAT_RES]],
            [A.STAT_MODE, q.mode], ...(q.mode ? [[A.STAT_AUTO_MODE_MASK, q.mask] as EncodeEntry] : []),
            ...(q.opcounters !== undefined ? [[A.STAT_OPCOUNTER_ENABLED, q.opcounters] as EncodeEntry] : [])]);
        }
        // fill_res_counter_entry(): port, id, counters, and the bound QPs.
        const entry = (c: QpCounterState): EncodeEntry[] => [[A.PORT_INDEX, c.port ?? 1], [A.STAT_COUNTER_ID, c.id],
          ...(c.pid !== undefined ? [[A.RES_PID, c.pid] as EncodeEntry] : []),
          [A.STAT_HWCOUNTERS, (dev.counters ?? []).map(([n], i) => [A.STAT_HWCOUNTER_ENTRY, [[A.STAT_HWCOUNTER_ENTRY_NAME, n],
            [A.STAT_HWCOUNTER_ENTRY_VALUE, c.values?.[i] ?? 0n]]] as EncodeEntry)],
          [A.RES_QP, c.lqpns.map((q) => [A.RES_QP_ENTRY, [[A.RES_LQPN, q]]] as EncodeEntry)]];
        const counters = dev.qpCounters ?? [];
        if (tb[A.STAT_COUNTER_ID] !== undefined) {
          const c = counters.find((x) => x.id === tb[A.STAT_COUNTER_ID]);
          return c ? reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], ...entry(c)]) : [errMsg(req, 2)];
        }
        if (!counters.length) return multi([]);
        return multi([[[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.STAT_COUNTER,
          counters.map((c) => [A.STAT_COUNTER_ENTRY, entry(c)] as EncodeEntry)]]]);
      }
      if (!dev.counters) return [errMsg(req, EINVAL)];
      return reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [A.PORT_INDEX, tb[A.PORT_INDEX]],
        [A.STAT_HWCOUNTERS, dev.counters.map(([n, v]) => [A.STAT_HWCOUNTER_ENTRY, [[A.STAT_HWCOUNTER_ENTRY_NAME, n],
          [A.STAT_HWCOUNTER_ENTRY_VALUE, v]]] as EncodeEntry)]]);
    default: {
      const rawTable = RAW_CMDS[cmd];
      if (rawTable !== undefined) {
        const blobs = dev?.raw?.[rawTable];
        if (!blobs) return [errMsg(req, EINVAL)];
        return multi([[[A.DEV_INDEX, dev!.index], [A.DEV_NAME, dev!.name], [rawTable, blobs.map((b) => [ENTRY_OF[rawTable],
          [[A.RES_RAW, b]]] as EncodeEntry)]]]);
      }
      const table = RES_CMDS[cmd];
      if (table === undefined || !dev) return [errMsg(req, EINVAL)];
      let entries = dev.res[table] ?? [];
      const port = tb[A.PORT_INDEX];
      if (port) entries = entries.filter((e) => e.some(([id, v]) => id === A.PORT_INDEX && v === port));
      if (!(m.flags & 0x300)) {
        // res_get_common_doit: the object with this id, its attributes at the top level; ENOENT when there is none.
        const idAttr = ID_OF[table];
        if (idAttr === undefined || tb[idAttr] === undefined) return [errMsg(req, EINVAL)];
        const entry = (dev.res[table] ?? []).find((e) => e.some(([id, v]) => id === idAttr && v === tb[idAttr]));
        return entry ? reply([[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], ...entry]) : [errMsg(req, ENOENT)];
      }
      if (!entries.length) return multi([]);
      return multi([[[A.DEV_INDEX, dev.index], [A.DEV_NAME, dev.name], [table, entries.map((e) => [ENTRY_OF[table], e] as EncodeEntry)]]]);
    }
  }
}

/**
 * A socket whose replies come from a function of the request (and, for a
 * multicast join, of the group): the datagrams queue until received.
 */
export function answeringSocket(answerFor: (req: Buffer) => Buffer[], joined: (group: number) => Buffer[] = () => []): DatagramSocket {
  let queue: Buffer[] = [];
  return {
    protocol: 'rdma',
    finite: true,
    send(req) { queue = answerFor(req); },
    join(group) { queue = joined(group); },
    ready: () => queue.length > 0,
    recv() {
      const d = queue.shift();
      if (!d) throw new TransportError('no reply within 0 ms', 110);
      return d;
    },
    close() {},
  };
}

export function uapiSocket(state: KernelState): DatagramSocket {
  // Events carry seq 0 and port id 0 (the kernel sends them unsolicited).
  return answeringSocket((req) => answer(state, req), (group) =>
    (group === 4 ? (state.events ?? []).map((e) => msg((RDMA_NL_NLDEV << 10) + CMD.MONITOR, 0, 0, encodeAttrs(NLDEV_SCHEMA,
      e)).fill(0, 12, 16)) : []));
}
