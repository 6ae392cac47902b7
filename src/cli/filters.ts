// rdmatool's KEY VALUE filters: keys match by prefix in the object's table
// order, numeric values take lists and ranges (`1-3,7`), strings compare
// case-insensitively against comma lists, and a record lacking a filtered
// attribute is dropped.
import { CliError } from './errors.js';
import { matches } from './grammar.js';

export interface FilterKey {
  name: string;
  numeric: boolean;
  /** Accepted for compatibility but never applied (rdmatool does the same). */
  inert?: boolean;
}

export interface Filter {
  key: FilterKey;
  value: string;
}

const NUMERIC_CHARS = /^[1234567890,-]*$/;

export function buildFilters(args: string[], keys: FilterKey[]): Filter[] {
  if (args.length === 0) return [];
  if (args.length === 1) throw new CliError(`No filter data was supplied to filter option ${args[0]}`);
  if (args.length % 2) throw new CliError('There is filter option without data');
  const out: Filter[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const [k, v] = [args[i], args[i + 1]];
    const key = keys.find((f) => matches(k, f.name));
    if (!key) throw new CliError(`Unsupported filter option: ${k}`);
    if (key.numeric && !NUMERIC_CHARS.test(v)) throw new CliError(`${k} filter accepts "1234567890,-" characters only`);
    out.push({ key, value: v.toLowerCase() });
  }
  return out;
}

/** rd_check_is_filtered(): numbers, `a,b`, and ranges `a-b` (ends inclusive). */
export function numericMatches(spec: string, val: number): boolean {
  let left = 0, cur = 0, range = false;
  for (let i = 0; i < spec.length; ) {
    const c = spec[i];
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < spec.length && spec[j] >= '0' && spec[j] <= '9') j++;
      cur = Number(spec.slice(i, j));
      if (cur === val || (range && left < val && val < cur)) return true;
      range = false;
      i = j;
    } else {
      if (c === '-') {
        left = cur;
        range = true;
      }
      i++;
    }
  }
  return false;
}

export function stringMatches(spec: string, val: string): boolean {
  return spec.split(',').some((s) => s !== '' && s.toLowerCase() === val.toLowerCase());
}

export type FilterSubject = number | bigint | string | number[] | undefined;

/** Keeps a record when every applied filter accepts it; a list value (SRQ QPNs) matches if any member does. */
export function accepts(filters: Filter[], get: (key: string) => FilterSubject): boolean {
  for (const f of filters) {
    if (f.key.inert) continue;
    const v = get(f.key.name);
    if (v === undefined) return false;
    const one = (x: number | bigint | string) =>
      f.key.numeric ? numericMatches(f.value, Number(x)) : stringMatches(f.value, String(x));
    if (Array.isArray(v) ? !v.some(one) : !one(v)) return false;
  }
  return true;
}

export function filterValue(filters: Filter[], name: string): string | undefined {
  return filters.find((f) => f.key.name === name)?.value;
}
