// A table fitted (top's views, gid show) to a width: columns drop in priority order until the rest
// fit, then the widest flexible column is cut; every line is exactly `width`
// characters (or less without a limit), never wrapped.
export interface Column {
  id: string;
  title: string;
  align: 'left' | 'right';
  /** 1 is kept longest; higher numbers drop first on a narrow terminal. */
  priority: number;
  /** Cut to this many characters (e.g. a long busiest-counters list). */
  max?: number;
}

/** Columns that are never dropped (a one-shot command's table): `id:TITLE`, right-aligned when TITLE ends in `>`. */
export function fixedColumns(...specs: string[]): Column[] {
  return specs.map((spec) => {
    const [id, t] = spec.split(':');
    return { id, title: t.replace(/>$/, ''), align: t.endsWith('>') ? 'right' : 'left', priority: 1 };
  });
}

export interface FittedTable {
  columns: Column[];
  widths: number[];
  header: string;
  lines: string[];
}

const GAP = 1;

/** Cuts `s` to `w` characters, marking the cut with `~`. */
export function cut(s: string, w: number): string {
  if (s.length <= w) return s;
  return w <= 1 ? s.slice(0, w) : `${s.slice(0, w - 1)}~`;
}

const pad = (s: string, w: number, align: 'left' | 'right') => (align === 'right' ? s.padStart(w) : s.padEnd(w));

/** Lays out `rows` (cells by column id) in at most `width` characters per line (Infinity: no limit). */
export function fitTable(columns: Column[], rows: Array<Record<string, string>>, width = Infinity): FittedTable {
  let cols = [...columns];
  const natural = (c: Column) => Math.min(c.max ?? Infinity, Math.max(c.title.length, ...rows.map((r) => (r[c.id] ?? '').length)));
  let widths = cols.map(natural);
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
  while (total() > width && cols.length > 1) {
    const worst = cols.reduce((w, c, i) => (c.priority > cols[w].priority || (c.priority === cols[w].priority && i > w) ? i : w), 0);
    if (cols[worst].priority <= 1) break;
    cols = cols.filter((_, i) => i !== worst);
    widths = cols.map(natural);
  }
  // Still too wide (only essential columns left): cut the widest.
  while (total() > width) {
    const i = widths.indexOf(Math.max(...widths));
    if (widths[i] <= 3) break;
    widths[i]--;
  }
  const line = (cells: (c: Column) => string) => {
    const s = cols.map((c, i) => pad(cut(cells(c), widths[i]), widths[i], c.align)).join(' '.repeat(GAP));
    return Number.isFinite(width) ? cut(s, width) : s.trimEnd();
  };
  return { columns: cols, widths, header: line((c) => c.title), lines: rows.map((r) => line((c) => r[c.id] ?? '')) };
}
