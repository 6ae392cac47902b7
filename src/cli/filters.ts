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
  /** Applied only to records that carry the attribute (rdmatool's path-mig-state). */
  whenPresent?: boolean;
}

export interface Filter {
  /** The key as typed: rdmatool matches it as a prefix of every check, so `l` also filters `lqpn`. */
  typed: string;
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
    out.push({ typed: k, key, value: v.toLowerCase() });
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

/**
 * rdmatool's per-record checks: for each check of the object (in table
 * order), the first filter whose typed key is a prefix of the check's name
 * decides. A record lacking the attribute is dropped, except for
 * `whenPresent` checks. A list value (SRQ QPNs) matches if any member does.
 */
export function accepts(filters: Filter[], checks: FilterKey[], get: (key: string) => FilterSubject): boolean {
  if (!filters.length) return true;
  for (const check of checks) {
    if (check.inert) continue;
    const f = filters.find((x) => matches(x.typed, check.name));
    if (!f) continue;
    const v = get(check.name);
    if (v === undefined) {
      if (check.whenPresent) continue;
      return false;
    }
    const one = (x: number | bigint | string) =>
      check.numeric ? numericMatches(f.value, Number(x)) : stringMatches(f.value, String(x));
    if (Array.isArray(v) ? !v.some(one) : !one(v)) return false;
  }
  return true;
}

/** The value of the filter that decides check `name` (see accepts). */
export function filterValue(filters: Filter[], name: string): string | undefined {
  return filters.find((f) => matches(f.typed, name))?.value;
}
