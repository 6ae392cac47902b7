// Facts about the machine the tests run on.
import { libc, AF_NETLINK, SOCK_RAW, NETLINK_RDMA } from '../../src/transport/libc.js';

/** 0 if a netlink socket of that kind opens here, else the errno. */
export function socket(kind: 'rdma' | 'route'): number {
  const c = libc();
  const fd = c.socket(AF_NETLINK, SOCK_RAW, kind === 'rdma' ? NETLINK_RDMA : 0);
  if (fd < 0) return c.errno();
  c.close(fd);
  return 0;
}
