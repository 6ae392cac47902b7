// top --no-tui (and top without a terminal): plain text frames, one per
// sample, every chosen view as a table, like top -b.
import type { Observation } from '../../model/observation.js';
import { ViewName, VIEW_TITLES, ViewOptions, selectRows } from './rows.js';
import { buildView } from './tables.js';
import { fitTable } from '../table.js';

export function frameHeader(o: Observation, interval: number): string {
  const t = new Date(o.sample.wall).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  const mode = o.sample.netnsMode ? ` (${o.sample.netnsMode} mode)` : '';
  const el = o.elapsed === undefined ? 'first sample: rates from the next one' : `elapsed ${o.elapsed.toFixed(3)} s`;
  return `rdma-ts top - sample ${o.sample.seq}, ${t}, interval ${interval} s, ${el}, netns ` +
    `${o.sample.scopes.map((s) => s.label).join(',')}${mode}`;
}

export function plainFrame(o: Observation, views: ViewName[], interval: number, opts: ViewOptions, width = Infinity): string {
  const lines = [frameHeader(o, interval)];
  for (const p of o.sample.problems) lines.push(`! ${p}`);
  for (const view of views) {
    const t = buildView(view, o, opts);
    lines.push('', `${VIEW_TITLES[view]}:`);
    lines.push(...t.notices.map((n) => `  note: ${n}`));
    const rows = selectRows(t, '', undefined, false);
    const fitted = fitTable(t.columns, [...rows.map((r) => r.cells), ...(t.totals ? [t.totals.cells] : [])], width);
    lines.push(fitted.header, ...fitted.lines);
    if (!rows.length) lines.push('  (none)');
  }
  return lines.join('\n') + '\n\n';
}
