// Field helpers shared by every printer: the rdmatool fragments that recur
// (`dev X `, `link X/N `, `name value `, hex keys, comm, driver tables).
import { Output } from './output.js';

/** `dev NAME ` in text. */
export const devText = (name: string): string => 'dev ' + name + ' ';
/** `link NAME/PORT ` in text; `NAME/-` for an object without a port. */
export const linkText = (name: string, port: number | undefined): string => 'link ' + name + '/' + (port ?? '-') + ' ';

export function printDev(out: Output, idx: number, name: string): void {
  if (out.json) {
    out.jsonOnly('ifindex', idx);
    out.jsonOnly('ifname', name);
  } else out.text(devText(name));
}

export function printLink(out: Output, idx: number, name: string, port: number | undefined): void {
  if (out.json) {
    out.jsonOnly('ifindex', idx);
    out.jsonOnly('ifname', name);
    if (port !== undefined) out.jsonOnly('port', port);
  } else out.text(linkText(name, port));
}

export function printNum(out: Output, key: string, v: number | bigint | undefined): void {
  if (v !== undefined) out.num(key, v);
}

/** print_hex()'s text: `0x%x` of the whole value. */
export const hexText = (v: number | bigint): string => '0x' + BigInt(v).toString(16);
/** print_hex()'s JSON: the low 32 bits in hex, without 0x. */
export const hexJson = (v: number | bigint): string => (BigInt(v) & 0xffffffffn).toString(16);

/** print_hex(): `key 0x%x ` in text; JSON a string of the low 32 bits in hex, without 0x. */
export function printHexKey(out: Output, key: string, v: number | bigint | undefined): void {
  if (v === undefined) return;
  out.kv(key, `${key} ${hexText(v)} `, hexJson(v));
}

export function printOnOff(out: Output, key: string, v: number | undefined): void {
  if (v !== undefined) out.kv(key, `${key} ${v ? 'on' : 'off'} `, !!v);
}

/** comm's text: a kernel object's name in brackets, cut like rdmatool's char[18]. */
export const commText = (comm: string, kernel: boolean): string => `comm ${(kernel ? `[${comm}]` : comm).slice(0, 17)} `;

/** comm: user objects read /proc/PID/comm; kernel objects print `[name]` (text only), cut like rdmatool's char[18]. */
export function printComm(out: Output, comm: string | undefined, hasPid: boolean): void {
  if (comm === undefined) return;
  if (out.json) out.jsonOnly('comm', comm);
  else out.text(commText(comm, !hasPid));
}

/** Whether counters, mode lists and driver tables break onto their own lines. */
export function breaksLines(out: Output): boolean {
  const l = out.opts.layout;
  return l.alwaysBreakLines || (l.prettyBreaksText && out.pretty);
}

/**
 * -r: iproute2's print_raw_data(): the bytes as `%d` with no separator, then `>` (the array opens in
 * JSON only: open_json_array(PRINT_JSON, "data")); JSON "data":[...]. The same in 6.1 and 7.1.
 */
export function printRaw(out: Output, data: Buffer | undefined): void {
  if (!data) return;
  out.openArray('data');
  for (const b of data) out.arrayItem(String(b), b);
  out.closeArray('>');
}
