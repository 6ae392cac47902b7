// Errors the command layer reports. `UsageError` prints usage; `CliError`
// prints its text as is; both exit 1 unless told otherwise.
import { NetlinkError } from '../transport/errors.js';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export class UsageError extends CliError {}

/**
 * Runs a kernel request and attaches the way out to the kernel errors we can
 * explain: `hints` maps an errno to the hint (or to a function producing it,
 * called only on that failure).
 */
export function withHints<T>(fn: () => T, hints: Partial<Record<number, string | (() => string | undefined)>>): T {
  try {
    return fn();
  } catch (e) {
    const h = e instanceof NetlinkError && !e.hint ? hints[e.errno] : undefined;
    if (h !== undefined) (e as NetlinkError).hint = typeof h === 'function' ? h() : h;
    throw e;
  }
}
