// A datagram-level netlink socket. The exchange logic (sequence numbers,
// dumps, acks) lives in channel.ts and runs unchanged over a real kernel
// socket or a recorded one (recording.ts).
import {
  libc, AF_NETLINK, SOCK_RAW, SOCK_CLOEXEC, SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK,
  SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE, MSG_TRUNC, POLLIN, NETLINK_RDMA, NETLINK_ADD_MEMBERSHIP, errnoName,
} from './libc.js';
import { TransportError } from './errors.js';
import { withNetns } from './netns.js';

export type Protocol = 'rdma' | 'route';
export const PROTOCOL_NUMBER: Record<Protocol, number> = { rdma: NETLINK_RDMA, route: 0 };

export interface DatagramSocket {
  readonly protocol: Protocol;
  send(msg: Buffer): void;
  /** Next datagram; throws TransportError on timeout or truncation. */
  recv(timeoutMs: number): Buffer;
  /** Whether a datagram can be received now, without waiting. */
  ready(): boolean;
  /** A recorded or scripted source: a timeout means its events have all been delivered. */
  readonly finite?: boolean;
  /** Joins a multicast group (events arrive through recv). */
  join(group: number): void;
  close(): void;
}

// Our read buffer (not the socket's queue): the kernel sizes dump skbs at up
// to 32 KiB (netlink_dump with large allocations); 1 MiB leaves a wide margin
// and MSG_TRUNC still guards it.
// RDMA_TS_RECV_BUFFER shrinks it, for the test of the MSG_TRUNC path on a real socket only.
const RECV_BUFFER = Number(process.env.RDMA_TS_RECV_BUFFER ?? 1 << 20);
let recvBuf: Buffer | undefined;

export class KernelSocket implements DatagramSocket {
  private fd: number;

  constructor(readonly protocol: Protocol, netnsPath?: string) {
    this.fd = withNetns(netnsPath, () => openNetlink(protocol));
  }

  /** The receive queue the kernel granted, in bytes (SO_RCVBUF as getsockopt reads it: twice the usable size). */
  get receiveQueueBytes(): number {
    const v = Buffer.alloc(4);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(4, 0);
    return libc().getsockopt(this.fd, SOL_SOCKET, SO_RCVBUF, v, len) < 0 ? 0 : v.readInt32LE(0);
  }

  send(msg: Buffer): void {
    const c = libc();
    const kernel = Buffer.alloc(12);
    kernel.writeUInt16LE(AF_NETLINK, 0);
    const n = c.sendto(this.fd, msg, msg.length, 0, kernel, 12);
    if (n < 0) {
      const e = c.errno();
      throw new TransportError(`netlink send failed: ${c.strerror(e)}`, e);
    }
  }

  /** Waits up to timeoutMs for a datagram; false when none came. */
  private poll(timeoutMs: number): boolean {
    const c = libc();
    const pfd = Buffer.alloc(8);
    pfd.writeInt32LE(this.fd, 0);
    pfd.writeInt16LE(POLLIN, 4);
    for (;;) {
      const r = c.poll(pfd, 1, timeoutMs);
      if (r >= 0) return r > 0;
      const e = c.errno();
      if (e !== 4) throw new TransportError(`netlink poll failed: ${c.strerror(e)}`, e); // 4: EINTR, again
    }
  }

  ready(): boolean {
    return this.poll(0);
  }

  recv(timeoutMs: number): Buffer {
    const c = libc();
    if (!this.poll(timeoutMs)) throw new TransportError(`no reply from the kernel within ${timeoutMs} ms`, 110);
    recvBuf ??= Buffer.allocUnsafe(RECV_BUFFER);
    // MSG_TRUNC makes recv() return the real datagram length, so a datagram
    // larger than the buffer is detected instead of silently cut short.
    const n = c.recv(this.fd, recvBuf, recvBuf.length, MSG_TRUNC);
    if (n < 0) {
      const e = c.errno();
      if (e === 105) throw new TransportError('netlink receive overrun (ENOBUFS): the kernel dropped messages', e);
      throw new TransportError(`netlink receive failed: ${c.strerror(e)}`, e);
    }
    if (n > recvBuf.length) {
      throw new TransportError(`netlink datagram of ${n} bytes truncated to ${recvBuf.length} (MSG_TRUNC)`);
    }
    return Buffer.from(recvBuf.subarray(0, n));
  }

  join(group: number): void {
    const c = libc();
    const g = Buffer.alloc(4);
    g.writeUInt32LE(group, 0);
    if (c.setsockopt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g, 4) < 0) {
      const e = c.errno();
      throw new TransportError(`cannot join ${this.protocol} netlink multicast group ${group}: ${c.strerror(e)}`, e);
    }
  }

  close(): void {
    if (this.fd >= 0) libc().close(this.fd);
    this.fd = -1;
  }
}

function openNetlink(protocol: Protocol): number {
  const c = libc();
  const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, PROTOCOL_NUMBER[protocol]);
  if (fd < 0) {
    const e = c.errno();
    if (protocol === 'rdma' && (e === 93 || e === 97)) {
      throw new TransportError(
        'this kernel has no RDMA netlink (NETLINK_RDMA socket: ' + c.strerror(e) + '). ' +
          'Load the RDMA core with `modprobe ib_core` (and a driver such as rdma_rxe), ' +
          'or boot a kernel built with CONFIG_INFINIBAND. `rdma-ts lab run` gives a disposable one.',
        e,
      );
    }
    throw new TransportError(`cannot open ${protocol} netlink socket: ${c.strerror(e)} (${errnoName(e)})`, e);
  }
  const one = Buffer.alloc(4);
  one.writeInt32LE(1, 0);
  // Both are best effort, like iproute2: old kernels lack them and still work.
  c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4);
  c.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
  // The receive queue: what a multicast event burst (monitor, top) can fill
  // before ENOBUFS; dumps are paced by our reads and do not depend on it.
  // SO_RCVBUF is capped at net.core.rmem_max (208 KiB by default, doubled by
  // the kernel); with CAP_NET_ADMIN, SO_RCVBUFFORCE gets the 1 MiB asked for.
  // KernelSocket.receiveQueueBytes reports what was granted.
  const rcv = Buffer.alloc(4);
  rcv.writeInt32LE(1 << 20, 0);
  if (c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, rcv, 4) < 0) c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcv, 4);
  const addr = Buffer.alloc(12);
  addr.writeUInt16LE(AF_NETLINK, 0);
  if (c.bind(fd, addr, 12) < 0) {
    const e = c.errno();
    c.close(fd);
    throw new TransportError(`cannot bind ${protocol} netlink socket: ${c.strerror(e)}`, e);
  }
  return fd;
}
