// top's layout rules: tables fit the width (low-priority columns drop first,
// lines never wrap), numbers and markers, and every key of the key map.
import test from 'ava';
import { fitTable, Column, cut } from '../src/views/table.js';
import { si, rateCell } from '../src/views/top/format.js';
import { onKey, nextInterval, splitChunk, KeyPress, KeyContext } from '../src/views/top/tui/keys.js';
import { initialUi, UiState } from '../src/views/top/tui/screen.js';
import type { Row } from '../src/views/top/rows.js';

const cols: Column[] = [
  { id: 'a', title: 'DEV/PORT', align: 'left', priority: 1 }, { id: 'b', title: 'NETNS', align: 'left', priority: 3 },
  { id: 'c', title: 'RX B/s', align: 'right', priority: 1 }, { id: 'd', title: 'RATE', align: 'left', priority: 6 },
];
const cells = [{ a: 'mlx5_0/1', b: 'pod-abcdef', c: '12.3M', d: '100 Gb/sec (4X EDR)' }, { a: 'rxe0/1', b: 'init', c: '0',
  d: '10 Gb/sec' }];

test('fitTable: everything fits on a wide terminal, right-aligned numbers', (t) => {
  const f = fitTable(cols, cells, 200);
  t.deepEqual(f.columns.map((c) => c.id), ['a', 'b', 'c', 'd']);
  t.is(f.header, 'DEV/PORT NETNS      RX B/s RATE               '.padEnd(200).slice(0, 200).trimEnd().padEnd(f.header.length));
  t.true(f.lines[1].startsWith('rxe0/1   init            0 10 Gb/sec'));
});

test('fitTable: a narrow terminal drops the highest priority numbers first and never exceeds the width', (t) => {
  for (const width of [60, 40, 25, 20, 12]) {
    const f = fitTable(cols, cells, width);
    for (const l of [f.header, ...f.lines]) t.true(l.length <= width, `${width}: ${JSON.stringify(l)}`);
  }
  t.deepEqual(fitTable(cols, cells, 30).columns.map((c) => c.id), ['a', 'b', 'c'], 'RATE (6) goes first');
  t.deepEqual(fitTable(cols, cells, 20).columns.map((c) => c.id), ['a', 'c'], 'then NETNS (3)');
  t.deepEqual(fitTable(cols, cells, 12).columns.map((c) => c.id), ['a', 'c'], 'essential columns stay, cut');
  t.is(fitTable(cols, cells, 12).lines[0], 'mlx5~  12.3M', 'the widest column is cut, marked with ~');
});

test('cut marks what it cut', (t) => {
  t.is(cut('abcdef', 4), 'abc~');
  t.is(cut('abc', 4), 'abc');
});

test('si: three significant digits and SI prefixes; rate cells carry markers', (t) => {
  t.deepEqual([0, 7, 7.25, 42.5, 999, 1000, 12_345, 123_456, 1_234_567, 9.9e9].map(si), ['0', '7', '7.25', '42.5', '999',
    '1.00k', '12.3k', '123k', '1.23M', '9.90G']);
  t.is(rateCell(null), '-');
  t.is(rateCell(null, 'saturated'), 'SAT');
  t.is(rateCell(0, 'reset'), '0 RST');
  t.is(rateCell(2048, 'wrap'), '2.05k W');
});

const rows = (ids: string[]): Row[] => ids.map((id) => ({ id, cells: {}, sort: {}, readings: [], json: {}, about: [] }));
const ctx: KeyContext = { rows: rows(['r1', 'r2', 'r3', 'r4', 'r5']), columns: cols, page: 2 };
const press = (ui: UiState, ...keys: KeyPress[]) => keys.flatMap(splitChunk).reduce((u, k) => onKey(u, k, ctx).ui, ui);
const k = (input: string, flags: Partial<KeyPress> = {}): KeyPress => ({ input, ...flags });

test('keys: q, Esc and Ctrl-C quit; Ctrl-C quits from any mode', (t) => {
  const ui = initialUi();
  t.is(onKey(ui, k('q'), ctx).action, 'quit');
  t.is(onKey(ui, k('', { escape: true }), ctx).action, 'quit');
  t.is(onKey({ ...ui, mode: 'filter' }, k('c', { ctrl: true }), ctx).action, 'quit');
  t.is(onKey({ ...ui, mode: 'filter' }, k('q'), ctx).action, undefined, 'q is text in the filter');
});

test('keys: ? and h open help, any key closes it', (t) => {
  t.is(press(initialUi(), k('?')).mode, 'help');
  t.is(press(initialUi(), k('h')).mode, 'help');
  t.is(press(initialUi(), k('?'), k('x')).mode, 'normal');
});

test('keys: Tab and Shift-Tab cycle the four views', (t) => {
  const tab = k('', { tab: true });
  t.deepEqual([1, 2, 3, 4].map((n) => press(initialUi(), ...Array(n).fill(tab)).view), ['counters', 'processes', 'namespaces', 'ports']);
  t.is(press(initialUi(), k('', { tab: true, shift: true })).view, 'namespaces');
});

test('keys: arrows, j/k, PgUp/PgDn, Home/End move the cursor within the rows', (t) => {
  const down = k('', { downArrow: true });
  t.is(press(initialUi(), down).selected, 'r1');
  t.is(press(initialUi(), down, down, k('j')).selected, 'r3');
  t.is(press(initialUi(), down, down, k('', { upArrow: true })).selected, 'r1');
  t.is(press(initialUi(), k('k')).selected, 'r1', 'up at the top stays');
  t.is(press(initialUi(), down, k('', { pageDown: true })).selected, 'r3');
  t.is(press(initialUi(), k('', { end: true })).selected, 'r5');
  t.is(press(initialUi(), k('', { end: true }), k('', { home: true })).selected, 'r1');
  t.is(press(initialUi(), k('', { end: true }), down).selected, 'r5', 'down at the bottom stays');
});

test('keys: Enter opens the detail pane of the row, Enter or Esc closes it', (t) => {
  const ui = press(initialUi(), k('', { downArrow: true }), k('', { downArrow: true }), k('\r', { return: true }));
  t.like(ui, { mode: 'detail', selected: 'r2' });
  t.is(press(ui, k('', { escape: true })).mode, 'normal');
  t.is(press(ui, k('\r', { return: true })).mode, 'normal');
});

test('keys: / filters with typed text; Backspace deletes, Enter keeps, Esc clears', (t) => {
  const ui = press(initialUi(), k('/'), k('r'), k('x'), k('e'), k('', { backspace: true }), k('p'));
  t.like(ui, { mode: 'filter', filter: 'rxp' });
  t.like(press(ui, k('\r', { return: true })), { mode: 'normal', filter: 'rxp' });
  t.like(press(ui, k('', { escape: true })), { mode: 'normal', filter: '' });
  t.is(press(ui, k('\x7f', { delete: true })).filter, 'rx', 'ink reports Backspace (0x7f) as delete');
  t.is(press(ui, k('\x1b[A')).filter, 'rxp', 'control sequences are not text');
});

test('keys: s and F6 open the sort picker; Enter picks; r reverses', (t) => {
  t.is(press(initialUi(), k('s')).mode, 'sort');
  t.is(press(initialUi(), k('', { f6: true })).mode, 'sort');
  const picked = press(initialUi(), k('s'), k('', { downArrow: true }), k('', { downArrow: true }), k('\r', { return: true }));
  t.deepEqual(picked.sort.ports, { by: 'c', ascending: false }, 'numbers sort largest first');
  t.deepEqual(press(picked, k('r')).sort.ports, { by: 'c', ascending: true });
  t.deepEqual(press(initialUi(), k('s'), k('\r', { return: true })).sort.ports, { by: 'a', ascending: true }, 'names sort A to Z');
  t.is(press(initialUi(), k('s'), k('', { escape: true })).mode, 'normal');
});

test('keys: Space and p pause, + and - change the interval, c groups by container', (t) => {
  t.is(onKey(initialUi(), k(' '), ctx).action, 'pause');
  t.is(onKey(initialUi(), k('p'), ctx).action, 'pause');
  t.is(onKey(initialUi(), k('+'), ctx).action, 'slower');
  t.is(onKey(initialUi(), k('-'), ctx).action, 'faster');
  t.true(press(initialUi(), k('c')).byContainer);
  t.deepEqual([nextInterval(1, true), nextInterval(1, false), nextInterval(0.2, false), nextInterval(60, true),
    nextInterval(1.5, true)], [2, 0.5, 0.2, 60, 2]);
});

test('keys: a burst ink delivers as one chunk is one key press per character', (t) => {
  const ui = press(initialUi(), k('/'), k('rxe\r'));
  t.like(ui, { mode: 'normal', filter: 'rxe' }, 'typed text and Enter in one chunk');
  t.like(press(initialUi(), k('/'), k('ab\x7fc')), { mode: 'filter', filter: 'ac' });
  t.is(press(initialUi(), k('jj')).selected, 'r2');
  t.is(press(initialUi(), k('\x1b[17~')).mode, 'normal', 'escape sequences are not split');
});
