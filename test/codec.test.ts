import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeAttrs, encodeAttrs, collectUnknown, describeAttrs, formatIPv6, Spec, DecodeError,
  EncodeError } from '../src/protocol/codec.js';
import { NLDEV_SCHEMA, A, CMD_NAME, NLDEV_ATTR_MAX } from '../src/protocol/nldev-schema.js';
import { parseMessages, NLMSG_DONE } from '../src/transport/framing.js';
import { toDevice } from '../src/model/device.js';
import { deviceAttrs } from './support/uapi-kernel.js';
import { ROOT } from './support/cli.js';

const S: Spec[] = [];
const types = ['u8', 'u16', 'u32', 'u64', 's32', 's64', 'string', 'binary', 'flag'] as const;
types.forEach((type, i) => (S[i + 1] = { id: i + 1, name: `T_${type}`, type }));
S[20] = { id: 20, name: 'T_NEST', type: 'nest' };
S[21] = { id: 21, name: 'T_LIST', type: 'list', child: 20 };
S[22] = { id: 22, name: 'T_TUPLES', type: 'tuples' };
S[23] = { id: 23, name: 'T_RECORDS', type: 'records', child: 20, fields: { n: 3 } };

test('round-trips every scalar type', (t) => {
  const values = [0xab, 0xbeef, 0xdeadbeef, 0xfedcba9876543210n, -5, -(2n ** 40n), 'mlx5_0', Buffer.from([1, 2, 3]), true];
  const buf = encodeAttrs(S, values.map((v, i) => [i + 1, v] as [number, any]));
  const tb = decodeAttrs(S, buf);
  values.forEach((v, i) => t.deepEqual(tb[i + 1], v, types[i]));
});

test('round-trips nests and lists of nests', (t) => {
  const buf = encodeAttrs(S, [[21, [[20, [[3, 1], [7, 'a']]], [20, [[3, 2], [7, 'b']]]]]]);
  const tb = decodeAttrs(S, buf);
  t.deepEqual(tb[21].map((e: any) => [e[3], e[7]]), [[1, 'a'], [2, 'b']]);
  t.is(buf.readUInt16LE(2) & 0x8000, 0x8000, 'nests carry NLA_F_NESTED');
});

test('unknown attributes are kept and reported, never dropped', (t) => {
  const known = encodeAttrs(S, [[3, 7]]);
  const unknown = Buffer.from([8, 0, 99, 0, 1, 2, 3, 4]);
  const tb = decodeAttrs(S, Buffer.concat([known, unknown]));
  t.is(tb[3], 7);
  t.deepEqual(tb.unknown, [{ type: 99, data: Buffer.from([1, 2, 3, 4]) }]);
  t.deepEqual(collectUnknown(tb, S), ['top level: unknown attribute 99 (4 bytes: 01020304)']);
});

test('unknown attributes inside list, tuples and records nests are kept and reported too', (t) => {
  const unknown = (type: number) => Buffer.from([8, 0, type, 0, 9, 9, 9, 9]);
  const nest = (id: number, body: Buffer) => Buffer.concat([Buffer.from([4 + body.length, 0, id, 0x80]), body]);
  const entry = nest(20, Buffer.concat([encodeAttrs(S, [[3, 1]]), unknown(97)]));
  const buf = Buffer.concat([
    nest(21, Buffer.concat([entry, unknown(98)])), // a list: an entry the schema does not know
    nest(22, Buffer.concat([encodeAttrs(S, [[3, 5]]), unknown(96)])), // driver tuples
    nest(23, entry), // records: a member the schema does not know
  ]);
  const tb = decodeAttrs(S, buf);
  t.is(tb[21].length, 1);
  t.deepEqual([...tb[22]], [[3, 5]]);
  t.deepEqual([...tb[23]], [{ n: 1 }]);
  t.deepEqual(collectUnknown(tb, S), [
    'T_LIST: unknown attribute 98 (4 bytes: 09090909)',
    'T_LIST: unknown attribute 97 (4 bytes: 09090909)',
    'T_TUPLES: unknown attribute 96 (4 bytes: 09090909)',
    'T_RECORDS: unknown attribute 97 (4 bytes: 09090909)',
  ]);
});

test('collectUnknown walks by shape: a list inside a list (found by the fuzzer: a TypeError) is walked, not trusted', (t) => {
  // RES_QP (a list) holding a RES_QP holding 20 RES_QP_ENTRY nests: the inner array has an index 19, which is RES_QP's id.
  const entry = encodeAttrs(NLDEV_SCHEMA, [[A.RES_QP_ENTRY, [[A.RES_LQPN, 1]]]]);
  const nest = (id: number, body: Buffer) => Buffer.concat([Buffer.from([(4 + body.length) & 0xff, (4 + body.length) >> 8, id, 0x80]),
    body]);
  const inner = nest(A.RES_QP, Buffer.concat([...Array(20).fill(entry), Buffer.from([8, 0, 250, 0, 1, 2, 3, 4])]));
  const tb = decodeAttrs(NLDEV_SCHEMA, nest(A.RES_QP, inner));
  t.deepEqual(collectUnknown(tb, NLDEV_SCHEMA), ['RDMA_NLDEV_ATTR_RES_QP: unknown attribute 250 (4 bytes: 01020304)']);
  // describeAttrs (--dry-run's printer) also walks it by shape (the fuzzer's second find: v.map is not a function).
  t.is(describeAttrs(NLDEV_SCHEMA, nest(A.RES_QP, inner)), `RES_QP [ [ ${Array(20).fill('{ RES_LQPN 1 }').join(', ')} ] ]`);
});

test('an integer that does not fit its attribute is refused, never wrapped', (t) => {
  t.is(t.throws(() => encodeAttrs(S, [[3, 4294967313]]), { instanceOf: EncodeError })?.message,
    'T_u32: 4294967313 is not a 32-bit unsigned number');
  t.throws(() => encodeAttrs(S, [[1, 256]]), { instanceOf: EncodeError });
  t.throws(() => encodeAttrs(S, [[2, -1]]), { instanceOf: EncodeError });
  t.throws(() => encodeAttrs(S, [[3, 1.5]]), { instanceOf: EncodeError });
  t.is(decodeAttrs(S, encodeAttrs(S, [[3, 0xffffffff]]))[3], 0xffffffff);
});

test('a short attribute is a decode error naming it', (t) => {
  const buf = Buffer.from([6, 0, A.RES_LQPN, 0, 1, 0, 0, 0]);
  const e = t.throws(() => decodeAttrs(NLDEV_SCHEMA, buf), { instanceOf: DecodeError });
  t.is(e?.message, 'malformed kernel message: attribute RDMA_NLDEV_ATTR_RES_LQPN (21) is 2 bytes, a u32 needs 4');
  t.throws(() => decodeAttrs(NLDEV_SCHEMA, Buffer.from([12, 0, 1, 0, 0, 0, 0, 0])), { message: /claims 12 bytes but 8 remain/ });
});

test('the schema declares every NLDEV command and attribute', (t) => {
  for (let i = 1; i < NLDEV_ATTR_MAX; i++) t.truthy(NLDEV_SCHEMA[i], `attribute ${i}`);
  for (const n of [1, 2, 3, 4, 5, 6, 7, ...Array.from({ length: 22 }, (_, i) => i + 9)]) t.truthy(CMD_NAME[n], `command ${n}`);
  t.is(NLDEV_SCHEMA[A.RES_QP].child, A.RES_QP_ENTRY);
});

test('decodes a real 6.1 GET dump, and the fixture encoder reproduces its bytes', (t) => {
  const bytes = readFileSync(resolve(ROOT, 'fixtures/real/6.1-nldev-get-dump.bin'));
  const msgs = parseMessages(bytes);
  t.is(msgs.length, 3);
  t.is(msgs[2].type, NLMSG_DONE);
  const devs = msgs.slice(0, 2).map((m) => toDevice(decodeAttrs(NLDEV_SCHEMA, m.payload)));
  t.deepEqual(devs.map((d) => [d.index, d.name, d.portCount, d.protocol]), [[0, 'rxe0', 1, 'roce'], [1, 'siw0', 1, 'iw']]);
  t.is(devs[0].caps, 0x01223c76n);
  t.is(devs[1].nodeGuid, 0xd4d313fffe80f338n);
  for (const [i, d] of devs.entries()) {
    const synth = encodeAttrs(NLDEV_SCHEMA, deviceAttrs({ ...d, ports: d.portCount, guid: d.nodeGuid!, caps: d.caps!,
      nodeType: d.nodeType!, dim: d.dim!, protocol: d.protocol!, portInfo: [], summary: [], res: {} }));
    t.deepEqual(synth, Buffer.from(msgs[i].payload), `${d.name}: synthesized attributes equal the kernel's`);
  }
});

test('decodes a real 6.1 SYS_GET reply', (t) => {
  const [m] = parseMessages(readFileSync(resolve(ROOT, 'fixtures/real/6.1-nldev-sys-get.bin')));
  const tb = decodeAttrs(NLDEV_SCHEMA, m.payload);
  t.deepEqual([tb[A.SYS_ATTR_NETNS_MODE], tb[A.SYS_ATTR_PRIVILEGED_QKEY_MODE], tb[A.SYS_ATTR_COPY_ON_FORK]], [1, 0, 1]);
});

test('IPv6 formatting follows inet_ntop', (t) => {
  const b = (s: string) => Buffer.from(s.replace(/:/g, ''), 'hex');
  t.is(formatIPv6(b('fe80:0000:0000:0000:60d3:fdff:fe91:76ea')), 'fe80::60d3:fdff:fe91:76ea');
  t.is(formatIPv6(b('0000:0000:0000:0000:0000:ffff:0a63:0001')), '::ffff:10.99.0.1');
  t.is(formatIPv6(b('0000:0000:0000:0000:0000:0000:0000:0001')), '::1');
  t.is(formatIPv6(b('2001:0db8:0000:0001:0000:0000:0000:0001')), '2001:db8:0:1::1');
});
