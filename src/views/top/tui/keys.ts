// The top TUI's keys as a pure function: a key and the state before it give
// the state after it and what the program must do (quit, pause, interval).
import { VIEWS } from '../rows.js';
import type { Row } from '../rows.js';
import type { Column } from '../../table.js';
import type { UiState } from './screen.js';

/** A key press, as ink reports it (input text plus flags) or a raw sequence ink does not name (F6). */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
  /** F6, which ink delivers only as raw input. */
  f6?: boolean;
}

export type Action = 'quit' | 'pause' | 'slower' | 'faster';

const CONTROL: Record<string, Partial<KeyPress>> = { '\r': { return: true }, '\t': { tab: true }, '\x7f': { delete: true },
  '\b': { backspace: true } };

/**
 * ink splits input only at escape sequences, so keys typed (or pasted, or sent
 * by tmux) in one burst arrive as one chunk without flags: `abc\r`. Such a
 * chunk is that many key presses, one per character.
 */
export function splitChunk(k: KeyPress): KeyPress[] {
  const flagged = Object.entries(k).some(([name, v]) => name !== 'input' && v === true);
  if (flagged || k.input.length <= 1 || k.input.includes('\x1b')) return [k];
  return [...k.input].map((c) => ({ input: c, ...CONTROL[c] }));
}

export interface KeyContext {
  rows: Row[];
  columns: Column[];
  /** Rows the table area shows at once (PgUp/PgDn step). */
  page: number;
}

export function onKey(ui: UiState, k: KeyPress, ctx: KeyContext): { ui: UiState; action?: Action } {
  if (k.ctrl && k.input === 'c') return { ui, action: 'quit' };
  switch (ui.mode) {
    case 'filter':
      if (k.escape) return { ui: { ...ui, mode: 'normal', filter: '' } };
      if (k.return) return { ui: { ...ui, mode: 'normal' } };
      if (k.backspace || k.delete) return { ui: { ...ui, filter: ui.filter.slice(0, -1) } };
      if (k.ctrl || !k.input || /[\x00-\x1f\x7f]/.test(k.input)) return { ui };
      return { ui: { ...ui, filter: ui.filter + k.input } };
    case 'help':
      return { ui: { ...ui, mode: 'normal' } };
    case 'detail':
      if (k.return || k.escape || k.input === 'q') return { ui: { ...ui, mode: 'normal' } };
      return { ui };
    case 'sort': {
      const n = ctx.columns.length;
      if (k.escape || k.input === 'q') return { ui: { ...ui, mode: 'normal' } };
      if (k.upArrow || k.input === 'k') return { ui: { ...ui, sortCursor: (ui.sortCursor + n - 1) % n } };
      if (k.downArrow || k.input === 'j') return { ui: { ...ui, sortCursor: (ui.sortCursor + 1) % n } };
      if (k.return) {
        const c = ctx.columns[ui.sortCursor];
        if (!c) return { ui: { ...ui, mode: 'normal' } };
        // Numbers sort largest first (the busiest on top); words A to Z.
        const ascending = c.align === 'left';
        return { ui: { ...ui, mode: 'normal', sort: { ...ui.sort, [ui.view]: { by: c.id, ascending } } } };
      }
      return { ui };
    }
    case 'normal':
      break;
  }
  if (k.input === 'q' || k.escape) return { ui, action: 'quit' };
  if (k.input === '?' || k.input === 'h') return { ui: { ...ui, mode: 'help' } };
  if (k.tab) {
    const i = VIEWS.indexOf(ui.view);
    const view = VIEWS[(i + (k.shift ? VIEWS.length - 1 : 1)) % VIEWS.length];
    return { ui: { ...ui, view, selected: undefined, filter: '' } };
  }
  if (k.return) return { ui: { ...ui, mode: 'detail', selected: ui.selected ?? ctx.rows[0]?.id } };
  if (k.input === '/') return { ui: { ...ui, mode: 'filter' } };
  if (k.input === 's' || k.f6) {
    const current = ctx.columns.findIndex((c) => c.id === ui.sort[ui.view]?.by);
    return { ui: { ...ui, mode: 'sort', sortCursor: Math.max(0, current) } };
  }
  if (k.input === 'r') {
    const s = ui.sort[ui.view] ?? { by: ctx.columns[0]?.id, ascending: true };
    if (!s.by) return { ui };
    return { ui: { ...ui, sort: { ...ui.sort, [ui.view]: { by: s.by, ascending: !s.ascending } } } };
  }
  if (k.input === ' ' || k.input === 'p') return { ui, action: 'pause' };
  if (k.input === '+') return { ui, action: 'slower' };
  if (k.input === '-') return { ui, action: 'faster' };
  if (k.input === 'c') return { ui: { ...ui, byContainer: !ui.byContainer, selected: undefined } };
  const moves: Array<[boolean | undefined, (i: number, n: number) => number]> = [
    [k.upArrow || k.input === 'k', (i) => i - 1], [k.downArrow || k.input === 'j', (i) => i + 1],
    [k.pageUp, (i) => i - ctx.page], [k.pageDown, (i) => i + ctx.page], [k.home, () => 0], [k.end, (_, n) => n - 1],
  ];
  const move = moves.find(([hit]) => hit);
  if (move && ctx.rows.length) {
    const at = ctx.rows.findIndex((r) => r.id === ui.selected);
    const i = Math.min(ctx.rows.length - 1, Math.max(0, move[1](at < 0 ? -1 : at, ctx.rows.length)));
    return { ui: { ...ui, selected: ctx.rows[i].id } };
  }
  return { ui };
}

/** The interval steps + and - walk through (seconds, within the 0.2..60 the option allows). */
export const INTERVALS = [0.2, 0.5, 1, 2, 5, 10, 30, 60];

export function nextInterval(now: number, longer: boolean): number {
  if (longer) return INTERVALS.find((s) => s > now) ?? now;
  return [...INTERVALS].reverse().find((s) => s < now) ?? now;
}
