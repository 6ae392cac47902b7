// A netlink multicast subscription: its own socket (events never mix with a
// channel's replies), joined to one group, read with a timeout so the caller
// can give its event loop a turn between reads (signal handlers run there).
import { DatagramSocket } from './socket.js';
import { parseMessages, NlMsg, NLMSG_NOOP } from './framing.js';
import { TransportError } from './errors.js';

export const ETIMEDOUT = 110;

export class Subscription {
  constructor(private readonly socket: DatagramSocket) {}

  /**
   * The messages of the next datagram: [] when nothing arrived within
   * timeoutMs, null when a replayed stream has ended. Throws TransportError
   * (errno 105, ENOBUFS) when the kernel dropped events because we fell behind.
   */
  next(timeoutMs: number): NlMsg[] | null {
    let d: Buffer;
    try {
      d = this.socket.recv(timeoutMs);
    } catch (e) {
      // A replayed (or scripted) stream ends when its events run out, not at a quiet moment.
      if (e instanceof TransportError && e.errno === ETIMEDOUT) return this.socket.finite ? null : [];
      throw e;
    }
    return parseMessages(d).filter((m) => m.type !== NLMSG_NOOP);
  }

  close(): void {
    this.socket.close();
  }
}
