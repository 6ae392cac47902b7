// rdma resource printers: every object kind through its field table
// (model/resource-fields.ts), in rdmatool's order and formats.
import { Output, memberName } from './output.js';
import type { Resource, ResourceSummary, ResourceKind, DriverEntry } from '../model/resource.js';
import type { FieldEnv, ResourceField, FieldValue, Owner } from '../model/resource-fields.js';
import type { Attrs } from '../protocol/codec.js';
import { layoutFlag } from './layout.js';
import type { SrqQpList } from '../model/srq-qps.js';
import {
  printDev, printLink, printNum, printHexKey, printOnOff, printComm, printRaw, breaksLines, hexText, hexJson, commText,
  linkText, devText,
} from './fields.js';

export interface ResPrintOptions extends FieldEnv {
  raw: boolean;
  details: boolean;
  driverDetails: boolean;
}

export function printSummary(out: Output, s: ResourceSummary): void {
  out.openRecord();
  out.kv('ifindex', `${s.devIndex}: `, s.devIndex);
  out.kv('ifname', `${s.devName}: `, s.devName);
  for (const [name, curr] of s.counts) out.kv(name, `${name} ${curr} `, curr);
  out.closeRecord();
}

/** `lqpn 1-3,7 ` in text; JSON an array of the same strings. */
function printRanges(out: Output, key: string, { items }: SrqQpList): void {
  if (!items.length) return;
  out.openArray(key, `${key} `);
  items.forEach((s, i) => out.arrayItem(i < items.length - 1 ? `${s},` : s, s));
  out.closeArray(' ');
}

function printField(out: Output, f: ResourceField, v: FieldValue): void {
  switch (f.show) {
    case 'num': return printNum(out, f.key, v as number | bigint);
    case 'str': return out.num(f.key, v as string);
    case 'hex': return printHexKey(out, f.key, v as number | bigint);
    case 'onoff': return printOnOff(out, f.key, v as number);
    case 'comm': return printComm(out, (v as Owner).comm, !(v as Owner).kernel);
    case 'ranges': return printRanges(out, f.key, v as SrqQpList);
    case 'none': return;
  }
}

const MAX_LINE_LENGTH = 80;

/** -dd driver tables: `drv_key value` pairs; iproute2 writes numbers to JSON through an int. */
function printDriverTable(out: Output, entries: DriverEntry[]): void {
  const wrap = out.opts.layout.driverTableWraps && out.pretty;
  if (breaksLines(out)) out.newlineIndent();
  let cc = 0;
  for (const d of entries) {
    if (wrap && cc > MAX_LINE_LENGTH) {
      out.newlineIndent();
      cc = 0;
    }
    const shown = typeof d.value === 'string' ? d.value : d.hex ? `0x${BigInt.asUintN(d.bits, d.value).toString(16)}` : d.value.toString();
    const text = `${d.key} ${shown} `;
    out.kv(d.key, text, typeof d.value === 'string' ? d.value : Number(BigInt.asIntN(32, d.value)));
    cc += text.length;
  }
}

/** The fields a kind shows in this layout, with or without -d, in order (filter-only fields are never shown). */
function shownFields(out: Output, kind: ResourceKind, o: ResPrintOptions): ResourceField[] {
  return kind.fields.fields.filter((f) => f.show !== 'none' && (!f.details || o.details) &&
    (!f.layoutFlag || layoutFlag(out.opts.layout, f.layoutFlag)));
}

/** The generic printer: any kind, any option, text or JSON, pretty or not, through the Output's calls. */
export function printResource(out: Output, kind: ResourceKind, r: Resource, o: ResPrintOptions,
  fields = shownFields(out, kind, o)): void {
  out.openRecord();
  if (kind.perPort) printLink(out, r.devIndex, r.devName, r.port);
  else printDev(out, r.devIndex, r.devName);
  if (o.raw) {
    printRaw(out, r.raw);
  } else {
    let qps: SrqQpList | undefined;
    for (const f of fields) {
      const v = f.get(r.entry, o);
      if (v === undefined) continue;
      if (f.show === 'ranges') qps = v as SrqQpList;
      const stale = qps?.rangeBuffer;
      if (f.show === 'comm' && stale !== undefined && out.opts.layout.srqCommIsRangeBuffer && !(v as Owner).kernel) {
        printComm(out, stale, true);
      } else printField(out, f, v);
    }
    if (o.driverDetails && r.driver) printDriverTable(out, r.driver);
  }
  out.closeRecord();
}

/** One field of a compiled printer: its text or `,"key":value` piece, '' when the entry lacks it. */
type Piece = (e: Attrs) => string;

/** A field's piece for text or compact JSON; undefined for a field only the generic printer shows (an SRQ's QP ranges). */
function fieldPiece(out: Output, f: ResourceField, env: FieldEnv): Piece | undefined {
  const { key } = f;
  const get = (e: Attrs) => f.get(e, env);
  const json = out.json;
  const member = ',' + memberName(key);
  const name = key + ' ';
  switch (f.show) {
    case 'num': case 'str': {
      return json ? (e) => {
        const v = get(e) as number | bigint | string | undefined;
        return v === undefined ? '' : member + (typeof v === 'number' ? v : out.jsonValue(v));
      } : (e) => {
        const v = get(e);
        return v === undefined ? '' : name + v + ' ';
      };
    }
    case 'hex': return (e) => {
      const v = get(e) as number | bigint | undefined;
      if (v === undefined) return '';
      return json ? member + out.jsonValue(hexJson(v)) : name + hexText(v) + ' ';
    };
    case 'onoff': return (e) => {
      const v = get(e);
      if (v === undefined) return '';
      return json ? member + out.jsonValue(!!v) : key + (v ? ' on ' : ' off ');
    };
    case 'comm': {
      // A dump has a few owners: a user process's piece is built once per comm.
      const userPieces = new Map<string, string>();
      const piece = (comm: string, kernel: boolean) => (json ? member + out.jsonValue(comm) : commText(comm, kernel));
      return (e) => {
        const owner = get(e) as Owner | undefined;
        if (owner === undefined) return '';
        if (owner.kernel) return piece(owner.comm, true);
        let p = userPieces.get(owner.comm);
        if (p === undefined) userPieces.set(owner.comm, (p = piece(owner.comm, false)));
        return p;
      };
    }
    case 'none': case 'ranges': return undefined; // none: never shown (shownFields)
  }
}

/**
 * The printer a dump calls per record: compiled once per command from the kind's field table (which
 * fields show in this layout, and how), so that a record is one string built from per-field
 * pieces and appended once, not a table walk with an Output call per field. It prints what
 * printResource() prints (test/res-printer.test.ts compares the two); forms it does not cover go to
 * printResource(): -r, -dd, pretty JSON, and SRQs (their QP ranges and 6.1's comm).
 */
export function resourcePrinter(out: Output, kind: ResourceKind, o: ResPrintOptions): (r: Resource) => void {
  const fields = shownFields(out, kind, o);
  const generic = (r: Resource) => printResource(out, kind, r, o, fields);
  if (o.raw || o.driverDetails || (out.json && out.pretty)) return generic;
  const pieces: Piece[] = [];
  for (const f of fields) {
    const p = fieldPiece(out, f, o);
    if (!p) return generic;
    pieces.push(p);
  }
  const n = pieces.length;
  if (out.json) {
    return (r) => {
      let s = out.member('ifindex', r.devIndex) + ',' + out.member('ifname', r.devName);
      if (kind.perPort && r.port !== undefined) s += ',' + out.member('port', r.port);
      for (let i = 0; i < n; i++) s += pieces[i](r.entry);
      out.jsonRecord(s);
    };
  }
  return (r) => {
    let s = kind.perPort ? linkText(r.devName, r.port) : devText(r.devName);
    for (let i = 0; i < n; i++) s += pieces[i](r.entry);
    out.textRecord(s);
  };
}
