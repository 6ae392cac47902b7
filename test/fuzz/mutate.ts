// Mutations of real netlink datagrams, as fast-check arbitraries: bit flips,
// truncations, lying nlmsg_len and nla_len, deep and empty nests, huge
// attribute counts, and splices of two datagrams.
import fc from 'fast-check';

const NLMSG_HDRLEN = 16;

/** Offsets of attribute headers in the first message's payload (walking the real lengths). */
function attrOffsets(d: Buffer): number[] {
  const out: number[] = [];
  const walk = (s: number, e: number, level: number) => {
    for (let o = s; o + 4 <= e;) {
      const len = d.readUInt16LE(o);
      if (len < 4 || o + len > e) return;
      out.push(o);
      if (level < 4 && d.readUInt16LE(o + 2) & 0x8000) walk(o + 4, o + len, level + 1);
      o += (len + 3) & ~3;
    }
  };
  if (d.length >= NLMSG_HDRLEN) walk(NLMSG_HDRLEN, Math.min(d.length, d.readUInt32LE(0) || d.length), 0);
  return out;
}

const pick = <T>(xs: T[], r: number) => xs[Math.floor(r * xs.length) % xs.length];

/** One mutation, given the seed and fast-check's random numbers. */
export type Mutation = (d: Buffer) => Buffer;

const bitFlips = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0,
  max: 7 })), { minLength: 1, maxLength: 8 })
  .map((flips): Mutation => (d) => {
    const b = Buffer.from(d);
    for (const [at, bit] of flips) if (b.length) b[Math.floor(at * b.length)] ^= 1 << bit;
    return b;
  });

const truncate = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })
  .map((at): Mutation => (d) => Buffer.from(d.subarray(0, Math.floor(at * d.length))));

const lyingNlmsgLen = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0xffffffff }))
  .map((len): Mutation => (d) => {
    const b = Buffer.from(d);
    if (b.length >= 4) b.writeUInt32LE(len, 0);
    return b;
  });

const lyingNlaLen = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.oneof(fc.integer({ min: 0,
  max: 8 }), fc.integer({ min: 0, max: 0xffff })))
  .map(([at, len]): Mutation => (d) => {
    const b = Buffer.from(d);
    const offs = attrOffsets(b);
    if (offs.length) b.writeUInt16LE(len, pick(offs, at));
    return b;
  });

/** An attribute of the seed (type kept) wrapped `n` times in itself, as a nest: depth the schema may not expect. */
const deepNest = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 4000 }))
  .map(([at, n]): Mutation => (d) => {
    const offs = attrOffsets(d);
    if (!offs.length) return d;
    const o = pick(offs, at);
    const type = d.readUInt16LE(o + 2) | 0x8000;
    let inner: Buffer = Buffer.from(d.subarray(o, o + d.readUInt16LE(o)));
    for (let i = 0; i < n && inner.length + 4 <= 0xffff; i++) {
      const h = Buffer.alloc(4);
      h.writeUInt16LE(inner.length + 4, 0);
      h.writeUInt16LE(type, 2);
      inner = Buffer.concat([h, inner]);
    }
    return withPayload(d, Buffer.concat([d.subarray(NLMSG_HDRLEN, o), inner, d.subarray(o + d.readUInt16LE(o))]));
  });

/** Many empty nests, or one attribute repeated until the message is near 64 KiB: huge counts. */
const floods = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 16000 }), fc.boolean())
  .map(([at, n, empty]): Mutation => (d) => {
    const offs = attrOffsets(d);
    let unit: Buffer;
    if (empty || !offs.length) {
      unit = Buffer.alloc(4);
      unit.writeUInt16LE(4, 0);
      unit.writeUInt16LE(offs.length ? d.readUInt16LE(pick(offs, at) + 2) | 0x8000 : 0x8000, 2);
    } else {
      const o = pick(offs, at);
      unit = Buffer.from(d.subarray(o, o + ((d.readUInt16LE(o) + 3) & ~3)));
    }
    const copies = Math.max(1, Math.min(n, Math.floor(60000 / Math.max(4, unit.length))));
    return withPayload(d, Buffer.concat([d.subarray(NLMSG_HDRLEN, Math.min(d.length, d.length >= 4 ? d.readUInt32LE(0) : 0)),
      ...Array(copies).fill(unit)]));
  });

/** The first message's header with a new payload (nlmsg_len made true). */
function withPayload(d: Buffer, payload: Buffer): Buffer {
  const h = Buffer.alloc(NLMSG_HDRLEN);
  d.copy(h, 0, 0, Math.min(NLMSG_HDRLEN, d.length));
  h.writeUInt32LE(NLMSG_HDRLEN + payload.length, 0);
  return Buffer.concat([h, payload]);
}

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(bitFlips, truncate, lyingNlmsgLen, lyingNlaLen, deepNest, floods);

/** A seed with one to three mutations applied in turn, or two seeds spliced. */
export function mutatedDatagram(seeds: Buffer[]): fc.Arbitrary<Buffer> {
  const seed = fc.integer({ min: 0, max: seeds.length - 1 }).map((i) => seeds[i]);
  const stacked = fc.tuple(seed, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([d, ms]) => ms.reduce((x, m) => m(x), d));
  const spliced = fc.tuple(seed, seed, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0,
    max: 1, noNaN: true, maxExcluded: true }))
    .map(([a, b, x, y]) => Buffer.concat([a.subarray(0, Math.floor(x * a.length)), b.subarray(Math.floor(y * b.length))]));
  return fc.oneof({ weight: 4, arbitrary: stacked }, { weight: 1, arbitrary: spliced });
}
