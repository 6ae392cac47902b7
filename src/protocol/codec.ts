// One generic netlink attribute encoder/decoder, driven by a schema table.
// Decoded attributes land in an array-like object indexed by attribute
// number (like the `tb[]` of libmnl users); unknown ones are kept in order.

export type AttrType =
  | 'u8' | 'u16' | 'u32' | 'u64' | 's32' | 's64' | 'string' | 'binary' | 'sockaddr' | 'flag'
  | 'nest' | 'list' | 'tuples' | 'records';

export interface Spec {
  id: number;
  name: string;
  type: AttrType;
  child?: number;
  /**
   * 'records': a list of `child` nests decoded straight into plain objects,
   * one key per member attribute (key -> attribute id). For hot lists such as
   * counters (a sample of 1,000 QP counters holds ~25,000 entries): no
   * per-entry attribute table. Members not named here are skipped.
   */
  fields?: Record<string, RecordField>;
}

/** A 'records' member: an attribute decoded by its own spec, or a nested list decoded as records too. */
export type RecordField = number | { id: number; child: number; fields: Record<string, RecordField> };
const fieldId = (f: RecordField) => (typeof f === 'number' ? f : f.id);

/** A decoded 'records' entry: the named members, undefined where absent. */
export type DecodedRecord = Record<string, any>;

export interface UnknownAttr {
  type: number;
  data: Buffer;
}

export interface SockAddr {
  family: number;
  address: string;
  port: number;
}

export type Value = number | bigint | string | Buffer | SockAddr | boolean | Attrs | Value[] | Tuple[];
export type Tuple = [type: number, value: number | bigint | string];

export interface Attrs {
  [id: number]: any;
  unknown?: UnknownAttr[];
}

/**
 * What decodeAttrs() builds: an array indexed by attribute number. Not a plain object: V8 builds
 * an object whose keys are integers up to ~60 four times slower than an array (measured:
 * ~650 vs ~150 ns for a QP entry), and a dump has one per entry. A subclass, so that walkers can
 * tell a nest (AttrTable) from a list (a plain array).
 */
export class AttrTable extends Array<any> implements Attrs {
  unknown?: UnknownAttr[];
}

/**
 * Unknown attributes are kept wherever they appear: in an Attrs table as
 * `unknown`, and in a list, tuples or records nest as the decoded array's
 * own `unknown` property (an entry the schema does not know, or a record
 * member it does not name), so `--debug` can report them.
 */
function keepUnknown(arr: unknown[], buf: Buffer, off: number, len: number, type: number): void {
  const a = arr as unknown[] & { unknown?: UnknownAttr[] };
  (a.unknown ??= []).push({ type, data: Buffer.from(buf.subarray(off + 4, off + len)) });
}

export class DecodeError extends Error {}
/** A value that the attribute's type cannot carry (a caller's bug or an unchecked argument). */
export class EncodeError extends Error {}

// Bytes read directly: Buffer's readUInt16LE/readUInt32LE check their argument on every call,
// which made up half of decoding a QP dump. Callers have checked the bounds.
const u16 = (b: Buffer, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Buffer, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

const NLA_TYPE_MASK = 0x3fff; // strips NLA_F_NESTED / NLA_F_NET_BYTEORDER
const MIN_LEN: Partial<Record<AttrType, number>> = { u8: 1, u16: 2, u32: 4, s32: 4, u64: 8, s64: 8, sockaddr: 2 };

export function decodeAttrs(schema: Spec[], buf: Buffer, start = 0, end = buf.length): Attrs {
  // The highest known attribute id first, so that the table is allocated once, at its size: filled
  // in attribute order, an array grows its storage two or three times (a QP entry's ids run to 60),
  // which was half of what decoding a dump allocated (measured: 1.5 KB an entry, then 0.7 KB).
  let max = 0;
  for (let o = start; o + 4 <= end;) {
    const l = u16(buf, o);
    const t = u16(buf, o + 2) & NLA_TYPE_MASK;
    if (t > max && schema[t]) max = t;
    if (l < 4) break; // the walk below reports it
    o += (l + 3) & ~3;
  }
  return decodeInto(schema, new AttrTable(max && max + 1), buf, start, end);
}

/** Decodes buf[start, end) into `tb`; `skip`, when given, is left out and its bounds handed to `skipped`. */
function decodeInto(schema: Spec[], tb: AttrTable, buf: Buffer, start: number, end: number, skip = -1,
  skipped?: (s: number, e: number) => void): AttrTable {
  let off = start;
  while (off + 4 <= end) {
    const len = u16(buf, off);
    const type = u16(buf, off + 2) & NLA_TYPE_MASK;
    if (len < 4 || off + len > end) {
      const spec = schema[type];
      throw new DecodeError(
        `malformed kernel message: attribute ${spec ? `${spec.name} (${type})` : type} ` +
          `claims ${len} bytes but ${end - off} remain`,
      );
    }
    const spec = schema[type];
    if (type === skip) skipped!(off + 4, off + len);
    else if (spec) tb[type] = decodeValue(schema, spec, buf, off + 4, off + len);
    else if (type !== 0) (tb.unknown ??= []).push({ type, data: Buffer.from(buf.subarray(off + 4, off + len)) });
    off += (len + 3) & ~3;
  }
  return tb;
}

/**
 * A dump message whose one large list (a restrack table: a kernel sends ~200 QPs a message) is
 * decoded one entry at a time into one reused table: `each` gets the message's other attributes
 * and the entry, which is valid only during the call. A 100k-QP dump then allocates no table per
 * entry. The list's entries that are not nests are skipped; the checks and errors are
 * decodeAttrs's. (--debug's report of unknown attributes walks whole tables: its callers decode
 * with decodeAttrs.)
 */
export function decodeStreamed(schema: Spec[], buf: Buffer, listType: number, each: (tb: Attrs, entry: Attrs) => void): void {
  const lists: Array<[number, number]> = [];
  const tb = decodeInto(schema, new AttrTable(), buf, 0, buf.length, listType, (s, e) => lists.push([s, e]));
  if (!lists.length) return;
  const entry = new AttrTable();
  const outer = depth;
  depth = outer + 2; // the list, then its entry, as decodeNested counts them
  try {
    for (const [s, e] of lists) {
      for (let off = s; off + 4 <= e;) {
        const len = u16(buf, off);
        const type = u16(buf, off + 2) & NLA_TYPE_MASK;
        if (len < 4 || off + len > e) throw new DecodeError(`malformed kernel message: nested entry of ${len} bytes overruns its nest`);
        if (schema[type]?.type === 'nest') {
          entry.fill(undefined);
          entry.unknown = undefined;
          each(tb, decodeInto(schema, entry, buf, off + 4, off + len));
        }
        off += (len + 3) & ~3;
      }
    }
  } finally {
    depth = outer;
  }
}

function decodeValue(schema: Spec[], spec: Spec, buf: Buffer, s: number, e: number): any {
  const min = MIN_LEN[spec.type];
  if (min !== undefined && e - s < min) {
    throw new DecodeError(
      `malformed kernel message: attribute ${spec.name} (${spec.id}) is ${e - s} bytes, a ${spec.type} needs ${min}`,
    );
  }
  switch (spec.type) {
    case 'u8': return buf[s];
    case 'u16': return u16(buf, s);
    case 'u32': return u32(buf, s);
    case 's32': return buf.readInt32LE(s);
    case 'u64': return buf.readBigUInt64LE(s);
    case 's64': return buf.readBigInt64LE(s);
    case 'flag': return true;
    case 'string': {
      let z = s;
      while (z < e && buf[z] !== 0) z++;
      return buf.toString('utf8', s, z);
    }
    case 'binary': return Buffer.from(buf.subarray(s, e));
    case 'sockaddr': return decodeSockaddr(buf, s, e);
    case 'nest': case 'list': case 'records': case 'tuples': return decodeNested(schema, spec, buf, s, e);
  }
}

/**
 * How deep nests may go. The deepest NLDEV answer is 4 (STAT_COUNTER, its
 * entry, HWCOUNTERS, their entry); a 64 KiB message could otherwise nest
 * ~16,000 deep and overflow the stack.
 */
export const MAX_NEST_DEPTH = 16;
let depth = 0;

function decodeNested(schema: Spec[], spec: Spec, buf: Buffer, s: number, e: number): any {
  if (depth >= MAX_NEST_DEPTH) throw new DecodeError(`malformed kernel message: ${spec.name} nests deeper than ${MAX_NEST_DEPTH} levels`);
  depth++;
  try {
    switch (spec.type) {
      case 'nest': return decodeAttrs(schema, buf, s, e);
      case 'list': return decodeList(schema, buf, s, e);
      case 'records': return decodeRecords(schema, spec, buf, s, e);
      default: return decodeTuples(schema, buf, s, e);
    }
  } finally {
    depth--;
  }
}

function decodeList(schema: Spec[], buf: Buffer, s: number, e: number): Value[] {
  const out: Value[] = [];
  let off = s;
  while (off + 4 <= e) {
    const len = u16(buf, off);
    const type = u16(buf, off + 2) & NLA_TYPE_MASK;
    if (len < 4 || off + len > e) throw new DecodeError(`malformed kernel message: nested entry of ${len} bytes overruns its nest`);
    const spec = schema[type];
    if (spec) out.push(decodeValue(schema, spec, buf, off + 4, off + len));
    else if (type !== 0) keepUnknown(out, buf, off, len, type);
    off += (len + 3) & ~3;
  }
  return out;
}

function decodeRecords(schema: Spec[], spec: Spec, buf: Buffer, s: number, e: number): DecodedRecord[] {
  const fields = spec.fields ?? {};
  const keys = Object.keys(fields);
  const keyOf: Array<string | undefined> = [];
  for (const k of keys) keyOf[fieldId(fields[k])] = k;
  /** How member `t` decodes: by its own spec, or, for a nested records field, by that. */
  const member = (t: number, key: string, o: number, l: number) => {
    const f = fields[key];
    return typeof f === 'number' ? decodeValue(schema, schema[t], buf, o + 4, o + l)
      : decodeRecords(schema, { id: f.id, name: schema[f.id]?.name ?? `${f.id}`, type: 'records', child: f.child,
        fields: f.fields }, buf, o + 4, o + l);
  };
  const blank = () => {
    const r: DecodedRecord = {};
    for (const k of keys) r[k] = undefined; // one shape for every record
    return r;
  };
  const out: DecodedRecord[] = [];
  for (let off = s; off + 4 <= e;) {
    const len = u16(buf, off);
    const type = u16(buf, off + 2) & NLA_TYPE_MASK;
    if (len < 4 || off + len > e) throw new DecodeError(`malformed kernel message: ${spec.name} entry of ${len} bytes overruns its nest`);
    if (type === spec.child) {
      const rec = blank();
      for (let o = off + 4; o + 4 <= off + len;) {
        const l = u16(buf, o);
        const t = u16(buf, o + 2) & NLA_TYPE_MASK;
        if (l < 4 || o + l > off + len) throw new DecodeError(`malformed kernel message: ${spec.name} member of ${l} bytes ` +
          `overruns its entry`);
        const key = keyOf[t];
        if (key !== undefined) rec[key] = member(t, key, o, l);
        else if (!schema[t] && t !== 0) keepUnknown(out, buf, o, l, t);
        o += (l + 3) & ~3;
      }
      out.push(rec);
    } else if (keyOf[type] !== undefined) {
      // A request lists bare members (STAT_SET's HWCOUNTER_INDEX values): one record each.
      const rec = blank();
      rec[keyOf[type]!] = member(type, keyOf[type]!, off, len);
      out.push(rec);
    } else if (!schema[type] && type !== 0) keepUnknown(out, buf, off, len, type);
    off += (len + 3) & ~3;
  }
  return out;
}

function decodeTuples(schema: Spec[], buf: Buffer, s: number, e: number): Tuple[] {
  const out: Tuple[] = [];
  let off = s;
  while (off + 4 <= e) {
    const len = u16(buf, off);
    const type = u16(buf, off + 2) & NLA_TYPE_MASK;
    if (len < 4 || off + len > e) throw new DecodeError(`malformed kernel message: driver attribute of ${len} bytes overruns its nest`);
    const spec = schema[type];
    if (spec && spec.type !== 'nest' && spec.type !== 'list' && spec.type !== 'tuples' && spec.type !== 'records') {
      out.push([type, decodeValue(schema, spec, buf, off + 4, off + len)]);
    } else if (!spec && type !== 0) keepUnknown(out, buf, off, len, type);
    off += (len + 3) & ~3;
  }
  return out;
}

const AF_INET = 2;
const AF_INET6 = 10;

function decodeSockaddr(buf: Buffer, s: number, e: number): SockAddr {
  const family = u16(buf, s);
  if (family === AF_INET && e - s >= 8) {
    return { family, port: buf.readUInt16BE(s + 2), address: `${buf[s + 4]}.${buf[s + 5]}.${buf[s + 6]}.${buf[s + 7]}` };
  }
  if (family === AF_INET6 && e - s >= 24) {
    return { family, port: buf.readUInt16BE(s + 2), address: formatIPv6(buf.subarray(s + 8, s + 24)) };
  }
  return { family, port: 0, address: '' };
}

/** inet_ntop(AF_INET6) formatting: longest run of zero groups (>= 2) becomes ::, IPv4-mapped tail kept dotted. */
export function formatIPv6(b: Buffer): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i));
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}

export type EncodeValue = number | bigint | string | Buffer | boolean | EncodeEntry[];
export type EncodeEntry = [id: number, value: EncodeValue];

export function encodeAttrs(schema: Spec[], entries: EncodeEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const [id, value] of entries) {
    const spec = schema[id];
    if (!spec) throw new Error(`attribute ${id} is not in the schema`);
    let data: Buffer;
    // Integers are checked, never wrapped: QP 4294967313 must not become QP 17.
    const fits = (bits: number) => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
        throw new EncodeError(`${spec.name}: ${String(value)} is not a ${bits}-bit unsigned number`);
      }
      return value;
    };
    switch (spec.type) {
      case 'u8': data = Buffer.from([fits(8)]); break;
      case 'u16': data = Buffer.alloc(2); data.writeUInt16LE(fits(16)); break;
      case 'u32': data = Buffer.alloc(4); data.writeUInt32LE(fits(32)); break;
      case 's32': data = Buffer.alloc(4); data.writeInt32LE(Number(value)); break;
      case 'u64': data = Buffer.alloc(8); data.writeBigUInt64LE(BigInt(value as number)); break;
      case 's64': data = Buffer.alloc(8); data.writeBigInt64LE(BigInt(value as number)); break;
      case 'string': data = Buffer.from(`${value}\0`, 'utf8'); break;
      case 'flag': data = Buffer.alloc(0); break;
      case 'binary': case 'sockaddr': data = value as Buffer; break;
      case 'nest': case 'list': case 'tuples': case 'records': data = encodeAttrs(schema, value as EncodeEntry[]); break;
    }
    const nested = spec.type === 'nest' || spec.type === 'list' || spec.type === 'tuples' || spec.type === 'records';
    const hdr = Buffer.alloc(4);
    hdr.writeUInt16LE(4 + data.length, 0);
    hdr.writeUInt16LE(id | (nested ? 0x8000 : 0), 2);
    parts.push(hdr, data, Buffer.alloc(((data.length + 3) & ~3) - data.length));
  }
  return Buffer.concat(parts);
}

/** Lists unknown attributes anywhere in a decoded tree, with their path, for --debug. */
export function collectUnknown(tb: Attrs, schema: Spec[], path = ''): string[] {
  const out: string[] = [];
  const report = (where: string, list: UnknownAttr[] | undefined) => {
    for (const u of list ?? []) {
      out.push(`${where || 'top level'}: unknown attribute ${u.type} (${u.data.length} bytes: ${u.data.toString('hex')})`);
    }
  };
  // Walks by the decoded value's shape, not by what the schema says it should be: a message may
  // put any attribute anywhere (a list inside a list), and --debug must not trip over it.
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v) && !(v instanceof AttrTable)) {
      report(where, (v as { unknown?: UnknownAttr[] }).unknown);
      for (const c of v) if (c && typeof c === 'object' && !Buffer.isBuffer(c)) walk(c, where);
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v) && !('family' in v && 'address' in v)) {
      const attrs = v as Attrs;
      report(where, attrs.unknown);
      for (const key of Object.keys(attrs)) {
        const spec = schema[Number(key)];
        if (spec && (spec.type === 'nest' || spec.type === 'list' || spec.type === 'records' || spec.type === 'tuples')) {
          walk(attrs[Number(key)], where ? `${where}/${spec.name}` : spec.name);
        }
      }
    }
  };
  walk(tb, path);
  return out;
}

/** One line naming every attribute of an encoded request and its value (for --dry-run). */
export function describeAttrs(schema: Spec[], payload: Buffer, start = 0): string {
  // By the decoded value's shape, not by what the schema says it should be: any attribute may
  // appear anywhere in a message (a list inside a list), and describing it must not throw.
  const value = (v: unknown): string => {
    if (v instanceof AttrTable) return `{ ${show(v).join(', ')} }`;
    if (Array.isArray(v)) return `[ ${v.map(value).join(', ')} ]`;
    if (Buffer.isBuffer(v)) return v.toString('hex');
    if (v && typeof v === 'object') {
      // A decoded record: one member shows as its value (STAT_SET's counter indexes: `[ 2, 4 ]`).
      const set = Object.entries(v).filter(([k, x]) => x !== undefined && k !== 'unknown');
      return set.length === 1 ? value(set[0][1]) : `{ ${set.map(([k, x]) => `${k} ${value(x)}`).join(', ')} }`;
    }
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  };
  const show = (tb: Attrs): string[] => {
    const out: string[] = [];
    for (const key of Object.keys(tb)) {
      const spec = schema[Number(key)];
      if (!spec) continue;
      out.push(`${spec.name.replace(/^[A-Z]+_[A-Z]+_ATTR_|^IFLA_/, '')} ${value(tb[Number(key)])}`);
    }
    return out;
  };
  return show(decodeAttrs(schema, payload, start)).join(', ');
}
