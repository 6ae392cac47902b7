// Every error path: a clear message on stderr and a non-zero exit.
import test from 'ava';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rdmaTs, fixture } from './support/cli.js';
import { socket } from './support/host.js';

const tmp = mkdtempSync(join(tmpdir(), 'rdmats-'));

/** A copy of a recording with one reply datagram rewritten. */
function tamper(name: string, fn: (rec: any) => void): string {
  const rec = JSON.parse(readFileSync(fixture(name), 'utf8'));
  fn(rec);
  const file = join(tmp, `${name}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(rec));
  return file;
}

/** NLMSG_ERROR for the recorded request, with an extack message. */
function errorReply(requestHex: string, errno: number, extack?: string): string {
  const req = Buffer.from(requestHex, 'hex');
  const tlv = extack ? Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.from(extack + '\0')]) : Buffer.alloc(0);
  if (extack) tlv.writeUInt16LE(4 + extack.length + 1, 0);
  const pad = Buffer.alloc((4 - (tlv.length % 4)) % 4);
  const payload = Buffer.concat([Buffer.alloc(4), req.subarray(0, 16), tlv, pad]);
  payload.writeInt32LE(-errno, 0);
  const hdr = Buffer.alloc(16);
  hdr.writeUInt32LE(16 + payload.length, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(extack ? 0x300 : 0x100, 6);
  hdr.writeUInt32LE(req.readUInt32LE(8), 8);
  return Buffer.concat([hdr, payload]).toString('hex');
}

const noRdma = socket('rdma') !== 0;
(noRdma ? test : test.skip)(`kernel without NETLINK_RDMA: says so and what to ` +
  `load${noRdma ? '' : ' (skipped: this kernel has RDMA netlink)'}`, (t) => {
  const r = rdmaTs(['dev']);
  t.is(r.status, 1);
  t.regex(r.stderr, /this kernel has no RDMA netlink .*Protocol not supported.*modprobe ib_core/);
});

test('unknown device', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-dev'), 'dev', 'show', 'nosuchdev']);
  t.is(r.stderr, 'Wrong device name - nosuchdev\n');
  t.is(r.status, 1);
  t.is(r.stdout, '');
});

test('unknown keyword exits non-zero (deliberately unlike rdmatool)', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-dev'), 'dev', 'frobnicate']);
  t.is(r.stderr, "Unknown dev command 'frobnicate'.\n");
  t.is(r.status, 1);
  t.is(rdmaTs(['bogus']).stderr, "Unknown object 'bogus'.\n");
});

test('bad filter and missing device name', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-res'), 'res', 'show', 'qp', 'lqpn', 'one']);
  t.is(r.stderr, 'lqpn filter accepts "1234567890,-" characters only\n');
  t.is(r.status, 1);
  const n = rdmaTs(['--replay', fixture('idle-res'), 'res', 'show', 'qp', 'link']);
  t.is(n.stderr, 'No filter data was supplied to filter option link\n');
});

test('missing network namespace names the path', (t) => {
  const r = rdmaTs(['-n', 'no-such-ns', 'dev']);
  t.is(r.stderr, 'rdma-ts: cannot open network namespace /var/run/netns/no-such-ns: does not exist\n');
  t.is(r.status, 1);
  t.regex(rdmaTs(['-n', '/nope/ns', 'dev']).stderr, /cannot open network namespace \/nope\/ns: does not exist/);
  t.regex(rdmaTs(['-n', '999999999', 'dev']).stderr, /\/proc\/999999999\/ns\/net: does not exist/);
});

test('missing privilege: EPERM names CAP_NET_ADMIN, extack is printed', (t) => {
  const file = tamper('idle-system', (rec) => {
    const x = rec.exchanges[rec.exchanges.length - 1];
    x.replies = [errorReply(x.request, 1, 'not permitted in this namespace')];
  });
  const r = rdmaTs(['--replay', file, 'sys']);
  t.is(r.status, 1);
  t.is(r.stderr, 'Error: not permitted in this namespace.\nerror: Operation not permitted\n' +
    'hint: this needs CAP_NET_ADMIN in the user namespace that owns the network namespace (run as root)\n');
});

test('truncated kernel message: the decode error names the attribute', (t) => {
  const file = tamper('idle-res', (rec) => {
    // The RES_QP dump reply: cut the LQPN attribute (type 21) to 2 bytes of payload.
    for (const x of rec.exchanges) {
      x.replies = x.replies.map((h: string) => h.replace('08001500', '06001500'));
    }
  });
  const r = rdmaTs(['--replay', file, 'res', 'show', 'qp']);
  t.is(r.status, 1);
  t.regex(r.stderr, /malformed kernel message: attribute RDMA_NLDEV_ATTR_RES_LQPN \(21\) is 2 bytes, a u32 needs 4/);
});

test('a message whose length runs past the datagram is a framing error', (t) => {
  const file = tamper('idle-system', (rec) => {
    const x = rec.exchanges[rec.exchanges.length - 1];
    x.replies[0] = 'ff' + x.replies[0].slice(2);
  });
  const r = rdmaTs(['--replay', file, 'sys']);
  t.is(r.status, 1);
  t.regex(r.stderr, /malformed netlink message at offset 0: nlmsg_len 255/);
});

test('replay without a matching exchange says what to do', (t) => {
  const r = rdmaTs(['--replay', fixture('idle-system'), 'link']);
  t.is(r.status, 1);
  t.regex(r.stderr, /holds no reply to this rdma request .* record it again with --record/);
});

test('not a recording', (t) => {
  const file = join(tmp, 'bad.json');
  writeFileSync(file, '{"format":"x"}');
  t.regex(rdmaTs(['--replay', file, 'dev']).stderr, /is not an rdma-ts recording/);
});

test('usage: no object, bad option', (t) => {
  const r = rdmaTs([]);
  t.is(r.status, 1);
  t.regex(r.stdout, /^Usage: rdma-ts \[ OPTIONS \] OBJECT/);
  const o = rdmaTs(['-Z']);
  t.is(o.status, 1);
  t.regex(o.stderr, /invalid option -- 'Z'\nUsage:/);
});

test('statistic over all ports exits 1 when one port has no counters, after printing the others', (t) => {
  const r = rdmaTs(['--compat', '6.1', '--replay', fixture('idle-stat'), 'stat']);
  t.is(r.status, 1);
  t.regex(r.stdout, /^link rxe0\/1 sent_pkts 0 /);
  t.is(r.stderr, 'error: Invalid argument\n');
});
