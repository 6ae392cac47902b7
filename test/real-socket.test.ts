// The transport's failure paths on a real netlink socket (NETLINK_ROUTE, in a
// namespace of this test's own, which the host kernel has): a dump the kernel
// marks NLM_F_DUMP_INTR is retried whole; a multicast queue that overflows
// gives ENOBUFS with its message; a datagram larger than the read buffer is
// MSG_TRUNC, never silently cut. RDMA netlink takes the same code paths.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { ROOT } from './support/cli.js';
import { KernelSocket, DatagramSocket } from '../src/transport/socket.js';
import { Channel } from '../src/transport/channel.js';
import { TransportError } from '../src/transport/errors.js';
import { RTM_GETLINK, ifinfomsg } from '../src/protocol/rtnl.js';

const NS = `rdmats-sock-${process.pid}`;
const NS_PATH = `/var/run/netns/${NS}`;
const dummies = (from: number, n: number) => Array.from({ length: n }, (_, i) => `link add d${from + i} type bridge`).join('\n') + '\n';
const batch = (text: string) => execFileSync('ip', ['-n', NS, '-batch', '-'], { input: text });

test.before(() => {
  execFileSync('ip', ['netns', 'add', NS]);
  batch(dummies(0, 1500)); // a link dump of several datagrams (the host kernel here has bridge, not dummy)
});
test.after.always(() => { spawnSync('ip', ['netns', 'del', NS]); });

test.serial('a dump the kernel marks NLM_F_DUMP_INTR (a link added mid-dump) is retried whole, and the retry is complete', (t) => {
  const real = new KernelSocket('route', NS_PATH);
  let sends = 0, recvs = 0, added = false;
  const sock: DatagramSocket = {
    protocol: 'route', send: (m) => { sends++; real.send(m); }, ready: () => real.ready(), join: (g) => real.join(g),
      close: () => real.close(),
    recv: (ms) => {
      const d = real.recv(ms);
      // After the first part of the first dump, change the link list: the kernel's next part carries DUMP_INTR.
      if (++recvs === 1 && !added) { added = true; batch('link add mid0 type bridge\n'); }
      return d;
    },
  };
  try {
    const msgs = new Channel(sock).dump(RTM_GETLINK, ifinfomsg(), 'RTM_GETLINK');
    t.is(sends, 2, 'the interrupted dump was sent again');
    t.is(msgs.length, 1500 + 2, 'lo, 1,500 bridges and the one added mid-dump');
  } finally {
    real.close();
  }
});

test.serial('events that overflow the receive queue end in ENOBUFS, named', (t) => {
  const sock = new KernelSocket('route', NS_PATH);
  try {
    sock.join(1); // RTNLGRP_LINK
    batch(dummies(2000, 3000)); // ~3,000 RTM_NEWLINK events, more than the queue holds, unread
    const e = t.throws(() => { for (;;) sock.recv(1000); }, { instanceOf: TransportError });
    t.is(e?.message, 'netlink receive overrun (ENOBUFS): the kernel dropped messages');
    t.is((e as TransportError).errno, 105);
  } finally {
    sock.close();
  }
});

test.serial('a datagram larger than the read buffer is a MSG_TRUNC error with both sizes (read buffer shrunk to 512 bytes)', (t) => {
  const code = `import('./dist/src/transport/socket.js').then(async (m) => {
    const { Channel } = await import('./dist/src/transport/channel.js');
    const { RTM_GETLINK, ifinfomsg } = await import('./dist/src/protocol/rtnl.js');
    try { new Channel(new m.KernelSocket('route', '${NS_PATH}')).dump(RTM_GETLINK, ifinfomsg(), 'RTM_GETLINK'); console.log('no error'); }
    catch (e) { console.log(e.constructor.name + ': ' + e.message); }
  })`;
  const out = execFileSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env,
    RDMA_TS_RECV_BUFFER: '512' } });
  t.regex(out, /^TransportError: netlink datagram of \d+ bytes truncated to 512 \(MSG_TRUNC\)\n$/);
});
