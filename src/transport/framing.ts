// nlmsghdr framing and NLMSG_ERROR/extack parsing (include/uapi/linux/netlink.h).

export const NLMSG_HDRLEN = 16;
export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP = 0x300;
export const NLM_F_CAPPED = 0x100; // in NLMSG_ERROR: the request payload was not echoed
export const NLM_F_ACK_TLVS = 0x200; // in NLMSG_ERROR/DONE: extack TLVs follow

const NLMSGERR_ATTR_MSG = 1;

export interface NlMsg {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** Bytes after the header, a view into the received datagram. */
  payload: Buffer;
}

export const align4 = (n: number): number => (n + 3) & ~3;

export function encodeMessage(type: number, flags: number, seq: number, payload: Buffer): Buffer {
  const len = NLMSG_HDRLEN + payload.length;
  const buf = Buffer.alloc(align4(len));
  buf.writeUInt32LE(len, 0);
  buf.writeUInt16LE(type, 4);
  buf.writeUInt16LE(flags, 6);
  buf.writeUInt32LE(seq >>> 0, 8);
  buf.writeUInt32LE(0, 12);
  payload.copy(buf, NLMSG_HDRLEN);
  return buf;
}

export class FramingError extends Error {}

/** Splits one datagram into messages; a length that runs past the datagram is an error. */
export function parseMessages(dgram: Buffer): NlMsg[] {
  const out: NlMsg[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= dgram.length) {
    const len = dgram.readUInt32LE(off);
    if (len < NLMSG_HDRLEN || off + len > dgram.length) {
      throw new FramingError(
        `malformed netlink message at offset ${off}: nlmsg_len ${len} with ${dgram.length - off} bytes left`,
      );
    }
    out.push({
      type: dgram.readUInt16LE(off + 4),
      flags: dgram.readUInt16LE(off + 6),
      seq: dgram.readUInt32LE(off + 8),
      pid: dgram.readUInt32LE(off + 12),
      payload: dgram.subarray(off + NLMSG_HDRLEN, off + len),
    });
    off += align4(len);
  }
  return out;
}

export interface ErrorPayload {
  /** Negative errno, 0 for an ACK. */
  error: number;
  extack?: string;
}

/** Decodes the payload of NLMSG_ERROR (or NLMSG_DONE, which carries the same int + TLVs). */
export function parseErrorPayload(msg: NlMsg): ErrorPayload {
  const p = msg.payload;
  if (p.length < 4) {
    // An ERROR without its errno is no ACK. A DONE without one is tolerated (old kernels sent it bare).
    if (msg.type === NLMSG_ERROR) throw new FramingError(`NLMSG_ERROR with a ${p.length}-byte payload: too short for its error code`);
    return { error: 0 };
  }
  const error = p.readInt32LE(0);
  const res: ErrorPayload = { error };
  if (!(msg.flags & NLM_F_ACK_TLVS)) return res;
  let off = 4;
  if (msg.type === NLMSG_ERROR) {
    if (p.length < off + NLMSG_HDRLEN) return res;
    const origLen = p.readUInt32LE(off);
    off += msg.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : align4(origLen);
  }
  while (off + 4 <= p.length) {
    const len = p.readUInt16LE(off);
    const type = p.readUInt16LE(off + 2) & 0x3fff;
    if (len < 4 || off + len > p.length) break;
    const val = p.subarray(off + 4, off + len);
    if (type === NLMSGERR_ATTR_MSG) {
      const nul = val.indexOf(0);
      res.extack = val.toString('utf8', 0, nul < 0 ? val.length : nul);
    }
    off += align4(len);
  }
  return res;
}
