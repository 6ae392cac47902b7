// Field helpers shared by every printer: the rdmatool fragments that recur
// (`dev X `, `link X/N `, `name value `, hex keys, comm, driver tables).
import { Output } from './output.js';
import type { Tuple } from '../protocol/codec.js';
import { A } from '../protocol/nldev-schema.js';

export function printDev(out: Output, idx: number, name: string): void {
  out.jsonOnly('ifindex', idx);
  out.kv('ifname', `dev ${name} `, name);
}

export function printLink(out: Output, idx: number, name: string, port: number | undefined): void {
  out.jsonOnly('ifindex', idx);
  if (port !== undefined) {
    out.kv('ifname', `link ${name}/`, name);
    out.kv('port', `${port} `, port);
  } else {
    out.kv('ifname', `link ${name}/- `, name);
  }
}

export function printNum(out: Output, key: string, v: number | bigint | undefined): void {
  if (v !== undefined) out.kv(key, `${key} ${v} `, v);
}

export function printStr(out: Output, key: string, v: string | undefined): void {
  if (v !== undefined) out.kv(key, `${key} ${v} `, v);
}

/** print_hex(): `key 0x%x ` in text; JSON a string of the low 32 bits in hex, without 0x. */
export function printHexKey(out: Output, key: string, v: number | bigint | undefined): void {
  if (v === undefined) return;
  const big = BigInt(v);
  out.kv(key, `${key} 0x${big.toString(16)} `, (big & 0xffffffffn).toString(16));
}

export function printOnOff(out: Output, key: string, v: number | undefined): void {
  if (v !== undefined) out.kv(key, `${key} ${v ? 'on' : 'off'} `, !!v);
}

/** comm: user objects read /proc/PID/comm; kernel objects print `[name]` (text only), cut like rdmatool's char[18]. */
export function printComm(out: Output, comm: string | undefined, hasPid: boolean): void {
  if (comm === undefined) return;
  if (out.json) out.jsonOnly('comm', comm);
  else out.text(`comm ${(hasPid ? comm : `[${comm}]`).slice(0, 17)} `);
}

/** Whether counters, mode lists and driver tables break onto their own lines. */
export function breaksLines(out: Output): boolean {
  const l = out.opts.layout;
  return l.alwaysBreakLines || (l.prettyBreaksText && out.pretty);
}

const DRIVER_PRINT_TYPE_HEX = 1;
const MAX_LINE_LENGTH = 80;

/** -dd driver tables: flat {key, [print type], value} tuples as `drv_key value`. */
export function printDriverTable(out: Output, tuples: Tuple[] | undefined): void {
  if (!tuples) return;
  const wrap = out.opts.layout.driverTableWraps;
  if (breaksLines(out)) out.newlineIndent();
  let key: string | undefined;
  let printType = 0;
  let cc = 0;
  for (const [type, value] of tuples) {
    if (wrap && out.pretty && cc > MAX_LINE_LENGTH) {
      out.newlineIndent();
      cc = 0;
    }
    if (key === undefined) {
      if (type !== A.DRIVER_STRING) return;
      key = `drv_${value}`;
      continue;
    }
    if (type === A.DRIVER_PRINT_TYPE) {
      printType = Number(value);
      continue;
    }
    let text: string;
    let json: number | string;
    if (type === A.DRIVER_STRING) {
      text = `${key} ${value} `;
      json = String(value);
    } else {
      const big = BigInt(value as number | bigint);
      const shown = printType === DRIVER_PRINT_TYPE_HEX ? `0x${BigInt.asUintN(type === A.DRIVER_S32 || type === A.DRIVER_U32 ? 32 : 64, big).toString(16)}` : big.toString();
      text = `${key} ${shown} `;
      // iproute2 writes every driver value to JSON through an int.
      json = Number(BigInt.asIntN(32, big));
    }
    out.kv(key, text, json);
    cc += text.length;
    key = undefined;
    printType = 0;
  }
}

/** -r: the raw restrack blob as decimal bytes. */
export function printRaw(out: Output, data: Buffer | undefined): void {
  if (!data) return;
  out.openArray('data', 'data <');
  for (const b of data) out.arrayItem(String(b), b);
  out.closeArray('> ');
}
