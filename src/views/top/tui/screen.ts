// What the top TUI shows for a UI state, an observation and a terminal size:
// a list of lines, each at most `columns` wide (never wrapped), fewer than
// `rows` in all (ink redraws the whole screen when a frame fills it).
import type { Observation } from '../../../model/observation.js';
import { ViewName, VIEWS, VIEW_TITLES, ViewTable, Row, ViewOptions, selectRows, wantsOf } from '../rows.js';
import { buildView } from '../tables.js';
import { Column, fitTable, cut } from '../../table.js';
import { rateCell, MARK_TEXT } from '../format.js';
import { frameHeader } from '../plain.js';

export type Mode = 'normal' | 'filter' | 'help' | 'detail' | 'sort';

export interface UiState {
  view: ViewName;
  /** Row id the cursor is on; follows the row when the order changes. */
  selected?: string;
  sort: Partial<Record<ViewName, { by: string; ascending: boolean }>>;
  filter: string;
  mode: Mode;
  /** Column index under the cursor in the sort picker. */
  sortCursor: number;
  /** Processes grouped by container instead of by PID. */
  byContainer: boolean;
}

export const initialUi = (view: ViewName = 'ports'): UiState => ({ view, sort: {}, filter: '', mode: 'normal', sortCursor: 0,
  byContainer: false });

export interface FeedState {
  latest?: Observation;
  paused: boolean;
  interval: number;
  /** Why sampling stopped (end of a recording, an error). */
  status?: string;
}

export type LineStyle = 'title' | 'header' | 'selected' | 'note' | 'dim' | undefined;
export interface Line {
  text: string;
  style?: LineStyle;
}

export const HELP_LINES = [
  'rdma-ts top: keys',
  '',
  '  Tab / Shift-Tab   next / previous view (Ports, Counters, Processes, Namespaces)',
  '  Up Down j k       move the cursor     PgUp PgDn Home End   by pages, to the ends',
  '  Enter             every counter of the row: raw value, rate, source, width, unit',
  '  /                 filter rows (text in any visible column; Enter keeps it, Esc clears)',
  '  s  F6             choose the sort column          r   reverse the sort',
  '  Space  p          pause / resume sampling        + -  longer / shorter interval',
  '  c                 Processes: group by container / by PID',
  '  ? h               this help                       q Esc Ctrl-C   quit',
  '',
  'Rates are per second over the measured time between samples. SAT: a PMA counter',
  'saturated (all ones); 0 RST: the counter went backwards (reset); W: it wrapped.',
  'Port bytes come from PMA counters (x4, they count 4-octet words) or, without them,',
  'from the netdev (SRC column). Press any key to close.',
];

export interface Screen {
  lines: Line[];
  /** The rows of the current view as shown (filtered, sorted): what the cursor moves over. */
  rows: Row[];
  /** The visible columns (the sort picker lists these). */
  columns: Column[];
  /** The row under the cursor: the chosen one while it is shown, else the first. */
  selected?: string;
}

export function tableFor(ui: UiState, feed: FeedState, opts: ViewOptions): ViewTable | undefined {
  return feed.latest ? buildView(ui.view, feed.latest, { ...opts, byContainer: ui.byContainer }) : undefined;
}

export function visibleRows(ui: UiState, t: ViewTable, columns = t.columns): Row[] {
  const s = ui.sort[ui.view];
  return selectRows(t, ui.filter, s?.by, s?.ascending ?? false, columns);
}

function tabs(ui: UiState): string {
  return VIEWS.map((v) => (v === ui.view ? `[${VIEW_TITLES[v]}]` : ` ${VIEW_TITLES[v]} `)).join('');
}

function detailLines(row: Row | undefined): string[] {
  if (!row) return ['(no row selected)'];
  const head = ['COUNTER', 'RAW', 'RATE/s', 'SOURCE', 'WIDTH', 'UNIT'];
  const cells = row.readings.map((r) => [r.name, r.raw.toString(), rateCell(r.rate, r.mark), r.source,
    `${r.spec.width}${r.spec.saturates ? ' sat' : ''}`, r.spec.unit]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const fmt = (c: string[]) => c.map((x, i) => (i === 1 || i === 2 ? x.padStart(w[i]) : x.padEnd(w[i]))).join(' ').trimEnd();
  const marks = [...new Set(row.readings.map((r) => r.mark).filter((m): m is NonNullable<typeof m> => !!m))].map((m) => `  ` +
    `${m}: ${MARK_TEXT[m]}`);
  return [...row.about, '', fmt(head), ...cells.map(fmt), ...(marks.length ? ['', ...marks] : []), '', 'Enter or Esc closes'];
}

/** What the shown reading lacks for this view (it was taken for another view; the next one has it). */
function missing(view: ViewName, o: Observation): string | undefined {
  const need = wantsOf([view]);
  if (need.counters && !o.sample.wants.counters) return '  reading the QP counters ...';
  if (need.owners && !o.sample.wants.owners) return '  reading who owns the QPs, MRs and CQs ...';
  return undefined;
}

export function screen(ui: UiState, feed: FeedState, size: { columns: number; rows: number }, opts: ViewOptions): Screen {
  const W = Math.max(20, size.columns);
  const H = Math.max(6, size.rows) - 1; // a full-height frame makes ink clear and redraw everything
  const out: Line[] = [];
  const push = (text: string, style?: LineStyle) => out.push({ text: cut(text, W), style });
  const o = feed.latest;
  const state = feed.status ?? (feed.paused ? 'PAUSED' : `every ${feed.interval} s`);
  push(`rdma-ts top ${tabs(ui)}  ${state}`, 'title');
  push(o ? frameHeader(o, feed.interval).replace(/^rdma-ts top - /, '') : 'waiting for the first sample ...', 'dim');
  const t = tableFor(ui, feed, opts);
  let rows: Row[] = [];
  let columns: Column[] = [];
  let selected: string | undefined;
  if (t) {
    for (const p of o!.sample.problems.slice(0, 2)) push(`! ${p}`, 'note');
    for (const n of t.notices.slice(0, 3)) push(n, 'note');
    rows = visibleRows(ui, t);
    const fitted = fitTable(t.columns, [...rows.map((r) => r.cells), ...(t.totals && !ui.filter ? [t.totals.cells] : [])], W);
    columns = fitted.columns;
    selected = rows.some((r) => r.id === ui.selected) ? ui.selected : rows[0]?.id;
    const footer = 1;
    if (ui.mode === 'help') {
      for (const l of HELP_LINES.slice(0, H - out.length - footer)) push(l);
    } else if (ui.mode === 'detail') {
      const row = rows.find((r) => r.id === selected);
      for (const l of detailLines(row).slice(0, H - out.length - footer)) push(l);
    } else if (ui.mode === 'sort') {
      push('Sort by (Up/Down, Enter picks, Esc cancels):', 'header');
      fitted.columns.forEach((c,
        i) => push(`${i === ui.sortCursor ? '>' : ' '} ` +
          `${c.title}${ui.sort[ui.view]?.by === c.id ? (ui.sort[ui.view]!.ascending ? '  (ascending)' : '  (descending)') : ''}`,
            i === ui.sortCursor ? 'selected' : undefined));
    } else {
      const sortCol = ui.sort[ui.view]?.by;
      const header = fitted.columns.map((c, i) => {
        const title = c.id === sortCol ? `${c.title}${ui.sort[ui.view]!.ascending ? '^' : 'v'}` : c.title;
        return c.align === 'right' ? title.padStart(fitted.widths[i]) : title.padEnd(fitted.widths[i]);
      }).join(' ');
      push(header.padEnd(W), 'header');
      const room = H - out.length - footer - (t.totals && !ui.filter ? 1 : 0);
      const sel = Math.max(0, rows.findIndex((r) => r.id === selected));
      const start = Math.max(0, Math.min(sel - room + 1, rows.length - room));
      // Only the selected row is padded (its inverse bar spans the screen): ink's cost grows with every character drawn.
      for (let i = start; i < Math.min(rows.length, start + room); i++) {
        const sel = rows[i].id === selected;
        push(sel ? fitted.lines[i].padEnd(W) : fitted.lines[i].trimEnd(), sel ? 'selected' : undefined);
      }
      if (!rows.length) push(ui.filter ? `  no row contains "${ui.filter}"` : missing(ui.view, o!) ?? '  (none)', 'dim');
      if (t.totals && !ui.filter) push(fitted.lines[fitted.lines.length - 1], 'dim');
    }
  }
  while (out.length < H - 1) push('');
  const keys = ui.mode === 'filter' ? `/${ui.filter}_   (Enter keeps, Esc clears)`
    : `${ui.filter ? `filter "${ui.filter}"  ` : ''}?:help Tab:view Enter:detail /:filter s:sort r:reverse Space:pause +/-:interval q:quit`;
  push(keys, ui.mode === 'filter' ? 'selected' : 'dim');
  return { lines: out, rows, columns, selected };
}
