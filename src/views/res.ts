// rdma resource printers: every object kind through its field table
// (model/resource-fields.ts), in rdmatool's order and formats.
import { Output } from './output.js';
import type { Resource, ResourceSummary, ResourceKind, DriverEntry } from '../model/resource.js';
import type { FieldEnv, ResourceField, FieldValue, Owner } from '../model/resource-fields.js';
import type { SrqQpList } from '../model/srq-qps.js';
import { printDev, printLink, printNum, printHexKey, printOnOff, printComm, printRaw, breaksLines } from './fields.js';

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

export function printResource(out: Output, kind: ResourceKind, r: Resource, o: ResPrintOptions): void {
  out.openRecord();
  if (kind.perPort) printLink(out, r.devIndex, r.devName, r.port);
  else printDev(out, r.devIndex, r.devName);
  if (o.raw) {
    printRaw(out, r.raw);
  } else {
    const layout = out.opts.layout as unknown as Record<string, boolean>;
    let qps: SrqQpList | undefined;
    for (const f of kind.fields.fields) {
      if ((f.details && !o.details) || (f.layoutFlag && !layout[f.layoutFlag])) continue;
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
