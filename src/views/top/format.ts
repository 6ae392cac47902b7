// Numbers as top shows them: SI-scaled to three significant digits, and the
// markers a rate can carry (saturated PMA counter, reset, wrap).
import type { RateMark } from '../../model/rates.js';

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** 0, 7, 999, 1.00k, 12.3k, 123k, 1.23M ... (counts and rates alike). */
export function si(v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (v < 0) return `-${si(-v)}`;
  if (v < 1000) return v === 0 || v >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v < 10 ? v.toFixed(2).replace(/\.?0+$/,
    '') : v.toFixed(1).replace(/\.0$/, '');
  let i = 0;
  while (v >= 999.5 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 99.95 ? v.toFixed(0) : v >= 9.995 ? v.toFixed(1) : v.toFixed(2)}${SI[i]}`;
}

/** What a rate cell says: the number, or why there is none. */
export function rateCell(rate: number | null | undefined, mark?: RateMark): string {
  if (mark === 'saturated') return 'SAT';
  if (mark === 'reset') return '0 RST';
  if (rate === null || rate === undefined) return '-';
  return mark === 'wrap' ? `${si(rate)} W` : si(rate);
}

export const MARK_TEXT: Record<RateMark, string> = {
  saturated: 'saturated (a PMA counter at all ones stops counting: clear it to see a rate again)',
  reset: 'went backwards (reset or re-created): rate 0 for this interval',
  wrap: 'wrapped at its width; the rate counts the wrap',
};
