// Request/reply exchanges over one netlink socket: sequence numbers, doit
// requests with ACK, multi-part dumps to NLMSG_DONE, a retry when the kernel
// flags a dump as interrupted (NLM_F_DUMP_INTR), and kernel errors with extack.
import {
  encodeMessage, parseMessages, parseErrorPayload, NlMsg, NLMSG_ERROR, NLMSG_DONE, NLMSG_NOOP,
  NLMSG_OVERRUN, NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI,
} from './framing.js';
import { DatagramSocket } from './socket.js';
import { NetlinkError, TransportError } from './errors.js';
import { libc } from './libc.js';

export const DEFAULT_TIMEOUT_MS = Number(process.env.RDMA_TS_TIMEOUT_MS ?? 5000);
const DUMP_INTR_RETRIES = 3;

let nextSeq = Math.floor(Date.now() / 1000) >>> 0;

export class Channel {
  constructor(readonly socket: DatagramSocket, readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  /** A doit request: returns the reply messages that precede the ACK. */
  doit(type: number, payload: Buffer, label: string, extraFlags = 0): NlMsg[] {
    return this.exchange(type, NLM_F_REQUEST | NLM_F_ACK | extraFlags, payload, label).messages;
  }

  /** A dump: all messages up to NLMSG_DONE, repeated whole if the kernel says it was interrupted. */
  dump(type: number, payload: Buffer, label: string): NlMsg[] {
    for (let attempt = 0; ; attempt++) {
      const r = this.exchange(type, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, payload, label);
      if (!r.interrupted) return r.messages;
      if (attempt >= DUMP_INTR_RETRIES) {
        throw new TransportError(`${label}: dump kept changing under us (NLM_F_DUMP_INTR ${attempt + 1} times)`);
      }
    }
  }

  private exchange(type: number, flags: number, payload: Buffer, label: string) {
    const seq = (nextSeq = (nextSeq + 1) >>> 0);
    this.socket.send(encodeMessage(type, flags, seq, payload));
    const messages: NlMsg[] = [];
    let interrupted = false;
    const isDump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
    for (;;) {
      let dgram: Buffer;
      try {
        dgram = this.socket.recv(this.timeoutMs);
      } catch (e) {
        if (e instanceof TransportError && e.errno === 110) {
          throw new TransportError(`${label}: ${e.message}`, e.errno);
        }
        throw e;
      }
      let done = false;
      for (const msg of parseMessages(dgram)) {
        if (msg.seq !== seq) continue; // a stale reply to an earlier request
        if (msg.flags & NLM_F_DUMP_INTR) interrupted = true;
        if (msg.type === NLMSG_ERROR) {
          const err = parseErrorPayload(msg);
          if (err.error !== 0) throw kernelError(-err.error, label, err.extack);
          done = true; // the ACK ends both doit and dump exchanges
          continue;
        }
        if (msg.type === NLMSG_DONE) {
          const err = parseErrorPayload(msg);
          if (err.error < 0) throw kernelError(-err.error, label, err.extack);
          done = true; // the end of a dump; a trailing ACK, if any, is drained below
          continue;
        }
        if (msg.type === NLMSG_NOOP) continue;
        if (msg.type === NLMSG_OVERRUN) throw new TransportError(`${label}: netlink overrun`);
        messages.push(msg);
        if (!isDump && !(msg.flags & NLM_F_MULTI) && !(flags & NLM_F_ACK)) done = true;
      }
      if (done) break;
    }
    if (isDump) this.drainAck(seq);
    return { messages, interrupted };
  }

  /**
   * After DONE a dump with NLM_F_ACK may be followed by an ACK; consume it if
   * it is already queued (asked, not waited for: the RDMA core sends none).
   */
  private drainAck(seq: number): void {
    if (!this.socket.ready()) return;
    for (const m of parseMessages(this.socket.recv(0))) {
      if (m.seq === seq && m.type === NLMSG_ERROR) {
        const err = parseErrorPayload(m);
        if (err.error !== 0) throw kernelError(-err.error, 'dump', err.extack);
      }
    }
  }
}

function kernelError(errno: number, label: string, extack?: string): NetlinkError {
  let text: string;
  try {
    text = libc().strerror(errno);
  } catch {
    text = `errno ${errno}`;
  }
  return new NetlinkError(errno, `${label}: ${text}`, extack);
}
