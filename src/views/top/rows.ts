// top's views as tables: what a row is (its cells, sort keys, the counters
// behind it for the detail pane and JSON, its keys in the NDJSON schema), the
// pieces the four view builders share, and filtering/sorting. Plain frames,
// NDJSON and the ink UI all render these tables (tables.ts builds them).
import type { RatedReading, RatedCounter } from '../../model/observation.js';
import type { SampleWants } from '../../model/sampler.js';
import type { NetnsRef } from '../../model/netns-scope.js';
import { containerLabel } from '../../model/attribution.js';
import { Column } from '../table.js';
import { si } from './format.js';

export type ViewName = 'ports' | 'counters' | 'processes' | 'namespaces';
export const VIEWS: ViewName[] = ['ports', 'counters', 'processes', 'namespaces'];

/** What a reading must hold for these views (the sampler reads nothing else). */
export function wantsOf(views: ViewName[]): SampleWants {
  return {
    counters: views.includes('counters') || views.includes('processes'),
    owners: views.includes('processes') || views.includes('namespaces'),
  };
}
export const VIEW_TITLES: Record<ViewName, string> = { ports: 'Ports', counters: 'Counters', processes: 'Processes',
  namespaces: 'Namespaces' };

export interface Row {
  /** Stable from sample to sample (the selection follows it). */
  id: string;
  cells: Record<string, string>;
  /** Sort keys by column id (numbers sort numerically). */
  sort: Record<string, number | string>;
  /** The counters behind the row (detail pane, JSON `counters`). */
  readings: RatedReading[];
  /** The row's own keys in the NDJSON schema. */
  json: Record<string, unknown>;
  /** Shown above the counters in the detail pane. */
  about: string[];
}

export interface ViewTable {
  view: ViewName;
  columns: Column[];
  rows: Row[];
  totals?: Row;
  /** Lines shown above the table (a port not in auto mode, and the command that fixes it). */
  notices: string[];
}

export interface ViewOptions {
  /** Processes grouped by container instead of by PID. */
  byContainer?: boolean;
}

/** How to run rdma-ts in a namespace, for the commands notices give (`rdma-ts -n pod-a`). */
export function commandIn(ns: NetnsRef): string {
  if (ns.path === undefined) return 'rdma-ts';
  if (ns.kind === 'named') return `rdma-ts -n ${ns.label}`;
  return `rdma-ts -n ${ns.holder?.pid ?? ns.path}`;
}

export const col = (id: string, title: string, align: 'left' | 'right', priority: number, max?: number): Column => ({ id, title,
  align, priority, ...(max ? { max } : {}) });

export const round = (v: number) => Math.round(v * 1000) / 1000;

/** The busiest counters of a row, by rate: "sent_pkts 1.2k rcvd_pkts 1.1k". */
export function busiest(readings: RatedReading[], n = 3): string {
  return [...readings].filter((r) => r.rate).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0)).slice(0, n)
    .map((r) => `${r.name} ${si(r.rate!)}`).join(' ') || '-';
}
export const totalRate = (readings: RatedReading[]) => readings.reduce((s, r) => s + (r.rate ?? 0), 0);

export function ownerJson(c: { owner?: RatedCounter['owner'] }) {
  return {
    container: containerLabel(c.owner?.container) ?? null, container_id: c.owner?.container?.id ?? null,
    runtime: c.owner?.container?.runtime ?? null, pod_namespace: c.owner?.pod?.namespace ?? null,
    pod_name: c.owner?.pod?.name ?? null, pod_uid: c.owner?.pod?.uid ?? null, cgroup: c.owner?.cgroup ?? null,
  };
}

/** Rows whose visible cells contain `filter` (case-insensitive), sorted by `sortBy` (descending unless `ascending`). */
export function selectRows(t: ViewTable, filter: string, sortBy: string | undefined, ascending: boolean, visible = t.columns): Row[] {
  const f = filter.toLowerCase();
  let rows = f ? t.rows.filter((r) => visible.some((c) => (r.cells[c.id] ?? '').toLowerCase().includes(f))) : t.rows;
  if (sortBy) {
    rows = [...rows].sort((a, b) => {
      const x = a.sort[sortBy], y = b.sort[sortBy];
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
      return ascending ? d : -d;
    });
  }
  return rows;
}
