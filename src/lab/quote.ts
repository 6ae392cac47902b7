// Quoting for the two languages lab paths pass through: sh (guest scripts,
// whose paths come from the checkout and RDMA_TS_LAB_CACHE) and QEMU's
// option syntax (-virtfs path=..., where a comma ends the value).

/** One shell word, quoted for sh: safe for spaces, quotes, commas, `$` and newlines. */
export const shellQuote = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** A QEMU option value: commas doubled (QEMU's escape), so a path with commas stays one value. */
export const qemuValue = (v: string): string => v.replace(/,/g, ',,');
