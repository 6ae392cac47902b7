import test from 'ava';
import { execFileSync } from 'node:child_process';
import { statSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../src/transport/channel.js';
import { DatagramSocket } from '../src/transport/socket.js';
import { NetlinkError, TransportError, NetnsError } from '../src/transport/errors.js';
import { encodeMessage, parseErrorPayload, NLMSG_DONE, NLMSG_ERROR, NLM_F_MULTI, NLM_F_DUMP_INTR } from '../src/transport/framing.js';
import { withNetns, resolveNetnsPath } from '../src/transport/netns.js';
import { Session } from '../src/transport/session.js';
import { listLinks } from '../src/protocol/rtnl.js';
import { ROOT } from './support/cli.js';

/** A datagram socket that answers each request with scripted replies (seq copied from the request). */
function scripted(script: Array<(seq: number) => Buffer[]>): DatagramSocket & { sent: Buffer[] } {
  let queue: Buffer[] = [];
  const sent: Buffer[] = [];
  return {
    protocol: 'rdma', sent,
    send(m) { sent.push(m); queue = script.shift()!(m.readUInt32LE(8)); },
    ready: () => queue.length > 0,
    recv() { const d = queue.shift(); if (!d) throw new TransportError('timeout', 110); return d; },
    join() { throw new Error('not a multicast test'); },
    close() {},
  };
}
const data = (seq: number, flags: number, n: number) => encodeMessage(5121, flags, seq, Buffer.from([8, 0, 1, 0, n, 0, 0, 0]));
const done = (seq: number) => encodeMessage(NLMSG_DONE, NLM_F_MULTI, seq, Buffer.alloc(4));

test('a dump collects every part up to NLMSG_DONE across datagrams', (t) => {
  const sock = scripted([(s) => [Buffer.concat([data(s, NLM_F_MULTI, 1), data(s, NLM_F_MULTI, 2)]), Buffer.concat([data(s,
    NLM_F_MULTI, 3), done(s)])]]);
  const msgs = new Channel(sock).dump(5121, Buffer.alloc(0), 'GET');
  t.deepEqual(msgs.map((m) => m.payload[4]), [1, 2, 3]);
  t.is(sock.sent[0].readUInt16LE(6), 0x305, 'REQUEST|ACK|DUMP');
});

test('an interrupted dump is retried whole', (t) => {
  const sock = scripted([
    (s) => [Buffer.concat([data(s, NLM_F_MULTI | NLM_F_DUMP_INTR, 1), done(s)])],
    (s) => [Buffer.concat([data(s, NLM_F_MULTI, 1), data(s, NLM_F_MULTI, 2), done(s)])],
  ]);
  const msgs = new Channel(sock).dump(5121, Buffer.alloc(0), 'GET');
  t.is(msgs.length, 2);
  t.is(sock.sent.length, 2);
});

test('replies to other sequence numbers are ignored', (t) => {
  const sock = scripted([(s) => [data(s - 1, 0, 9), Buffer.concat([data(s, NLM_F_MULTI, 1), done(s)])]]);
  t.deepEqual(new Channel(sock).dump(5121, Buffer.alloc(0), 'GET').map((m) => m.payload[4]), [1]);
});

test('kernel errors carry errno and the extack message', (t) => {
  const sock = scripted([(s) => {
    const p = Buffer.alloc(4 + 16 + 12);
    p.writeInt32LE(-16, 0);
    p.writeUInt16LE(10, 20); p.writeUInt16LE(1, 22); p.write('busy\0', 24);
    return [encodeMessage(NLMSG_ERROR, 0x300, s, p)];
  }]);
  const e = t.throws(() => new Channel(sock).doit(5127, Buffer.alloc(0), 'SYS_SET'), { instanceOf: NetlinkError });
  t.is(e?.errno, 16);
  t.is(e?.extack, 'busy');
  t.is(e?.message, 'SYS_SET: Device or resource busy');
});

test('a silent kernel is a timeout, not a hang', (t) => {
  const sock = scripted([() => []]);
  t.throws(() => new Channel(sock, 10).doit(5121, Buffer.alloc(0), 'GET'), { message: /GET: timeout/ });
});

test('ACK payload parsing with capped header', (t) => {
  const p = Buffer.alloc(20);
  t.deepEqual(parseErrorPayload({ type: NLMSG_ERROR, flags: 0x100, seq: 1, pid: 0, payload: p }), { error: 0 });
});

test('netns names resolve like ip netns / rdmatool', (t) => {
  t.is(resolveNetnsPath('pod-a'), '/var/run/netns/pod-a');
  t.is(resolveNetnsPath('/proc/1/ns/net'), '/proc/1/ns/net');
  t.is(resolveNetnsPath('4242'), '/proc/4242/ns/net');
});

const NS = `rdmats-t${process.pid}`;
const ip = (...a: string[]) => execFileSync('ip', a, { stdio: 'pipe' });
const selfNs = () => statSync('/proc/thread-self/ns/net').ino;

test.serial('sockets open inside a named netns and the caller returns to its own (real kernel)', (t) => {
  ip('netns', 'add', NS);
  try {
    ip('link', 'add', `${NS}a`, 'type', 'veth', 'peer', 'name', `${NS}b`);
    ip('link', 'set', `${NS}b`, 'netns', NS);
    const before = selfNs();
    const inside = new Session({ netns: resolveNetnsPath(NS) });
    const host = new Session();
    try {
      t.deepEqual(listLinks(inside).map((l) => l.name).sort(), ['lo', `${NS}b`]);
      t.true(listLinks(host).some((l) => l.name === `${NS}a`));
      t.false(listLinks(host).some((l) => l.name === `${NS}b`));
    } finally {
      inside.close();
      host.close();
    }
    t.is(selfNs(), before);
    t.throws(() => withNetns(resolveNetnsPath(NS), () => { throw new Error('boom'); }), { message: 'boom' });
    t.is(selfNs(), before, 'restored after an error inside');
    t.throws(() => withNetns('/proc/self/ns/uts', () => 1), { instanceOf: NetnsError, message: /not a network namespace/ });
    t.is(selfNs(), before);
  } finally {
    ip('link', 'del', `${NS}a`);
    ip('netns', 'del', NS);
  }
});

test.serial('record then replay a real rtnetlink exchange', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'rdmats-')), 'route.json');
  const live = new Session({ record: file });
  const links = listLinks(live);
  live.close();
  const replay = new Session({ replay: file });
  t.deepEqual(listLinks(replay), links);
  replay.close();
});

test('the receive queue granted: 1 MiB asked, getsockopt reads it doubled; without CAP_NET_ADMIN capped at net.core.rmem_max', (t) => {
  const read = (asNobody: boolean) => {
    const code = 'import("./dist/src/transport/socket.js").then((m) => { const s = new m.KernelSocket("route"); ' +
      'process.stdout.write(String(s.receiveQueueBytes)); s.close(); })';
    const cmd = asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e',
      code] : [process.execPath, '-e', code];
    return Number(execFileSync(cmd[0], cmd.slice(1), { cwd: ROOT, encoding: 'utf8' }));
  };
  t.is(read(false), 2 * (1 << 20), 'root: SO_RCVBUFFORCE');
  const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  t.is(read(true), 2 * Math.min(1 << 20, rmemMax), `nobody: SO_RCVBUF under rmem_max ${rmemMax}`);
});
