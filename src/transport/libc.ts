// Thin koffi bindings to the few libc calls the transport needs.
// Node has no AF_NETLINK sockets and no setns(2); calling libc directly costs
// ~70 ms of start-up (measured) against ~290 ms for the `netlink` npm package,
// and keeps every socket operation synchronous on the thread that did setns().
import { createRequire } from 'node:module';
import type Koffi from 'koffi';

/**
 * koffi is loaded on the first libc call (through its CommonJS entry, which
 * can be loaded synchronously): a replay never opens a socket, so it never
 * pays koffi's ~15 ms of start-up.
 */
let koffi: typeof Koffi | undefined;
const loadKoffi = (): typeof Koffi => (koffi ??= createRequire(import.meta.url)('koffi') as typeof Koffi);

export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  getsockopt(fd: number, level: number, name: number, value: Buffer, len: Buffer): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, alen: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  poll(fds: Buffer, nfds: number, timeoutMs: number): number;
  open(path: string, flags: number): number;
  close(fd: number): number;
  setns(fd: number, nstype: number): number;
  unshare(flags: number): number;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): number;
  fchdir(fd: number): number;
  errno(): number;
  strerror(errnum: number): string;
}

let cached: Libc | undefined;

export function libc(): Libc {
  if (cached) return cached;
  const k = loadKoffi();
  const lib = k.load('libc.so.6');
  const strerror = lib.func('const char *strerror(int errnum)');
  cached = {
    socket: lib.func('int socket(int, int, int)'),
    setsockopt: lib.func('int setsockopt(int, int, int, void *, uint32_t)'),
    bind: lib.func('int bind(int, void *, uint32_t)'),
    getsockopt: lib.func('int getsockopt(int, int, int, void *, void *)'),
    sendto: lib.func('long sendto(int, void *, size_t, int, void *, uint32_t)'),
    recv: lib.func('long recv(int, void *, size_t, int)'),
    poll: lib.func('int poll(void *, unsigned long, int)'),
    open: lib.func('int open(const char *, int)'),
    close: lib.func('int close(int)'),
    setns: lib.func('int setns(int, int)'),
    unshare: lib.func('int unshare(int)'),
    mount: lib.func('int mount(const char *, const char *, const char *, unsigned long, const char *)'),
    fchdir: lib.func('int fchdir(int)'),
    errno: () => k.errno(),
    strerror: (e: number) => strerror(e) as string,
  };
  return cached;
}

export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;
export const SOL_NETLINK = 270;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_RDMA = 20;
export const MSG_TRUNC = 0x20;
export const POLLIN = 1;
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;
export const O_DIRECTORY = 0o200000;
export const CLONE_NEWNET = 0x40000000;
export const CLONE_NEWNS = 0x00020000;
export const MS_REC = 0x4000;
export const MS_SLAVE = 0x80000;

export const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, EBADF: 9, EAGAIN: 11,
  ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22,
  ENFILE: 23, EMFILE: 24, ENOSPC: 28, ERANGE: 34, ENOSYS: 38, ENOTSUP: 95, EOPNOTSUPP: 95,
  EPROTONOSUPPORT: 93, EAFNOSUPPORT: 97, EADDRINUSE: 98, ENOBUFS: 105, ETIMEDOUT: 110,
  EALREADY: 114,
};

const NAMES: Record<number, string> = {};
for (const [k, v] of Object.entries(ERRNO)) if (!(v in NAMES)) NAMES[v] = k;
export function errnoName(e: number): string {
  return NAMES[e] ?? `errno ${e}`;
}
