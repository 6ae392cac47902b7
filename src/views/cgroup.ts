// cgroup show: one row per cgroup and device, `current/limit` per resource.
// JSON: one flat record per cgroup and device (README: RDMA cgroup).
import { Output } from './output.js';
import { fitTable, fixedColumns } from './table.js';
import { effectiveLimit, type CgroupUse, type DeviceUse, type ResourceUse } from '../model/cgroup-survey.js';
import { RDMA_RESOURCES, RdmaHierarchy } from '../model/rdma-cgroup.js';
import { ownerLabel } from '../model/attribution.js';

const COLUMNS = fixedColumns('cgroup:CGROUP', 'container:CONTAINER', 'dev:DEV', 'hca_handle:HCA_HANDLE',
  'hca_object:HCA_OBJECT', 'events:EVENTS');


function cell(u: ResourceUse): string {
  let s = `${u.current ?? '-'}/${effectiveLimit(u)}`;
  if (u.inherited) s += ` (limit of ${u.inherited.cgroup})`;
  if (u.peak !== undefined) s += ` peak ${u.peak}`;
  return s;
}

const eventsText = (d: DeviceUse) => Object.entries(d.events ?? {}).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ') || '-';
const owner = (c: CgroupUse) => ownerLabel(c) ?? '-';

export function printCgroupsText(out: Output, h: RdmaHierarchy, cgroups: CgroupUse[]): void {
  const rows = cgroups.flatMap((c) => (c.devices.length ? c.devices : [undefined]).map((d) => ({
    cgroup: c.path, container: owner(c), dev: d?.dev ?? '-',
    hca_handle: d ? cell(d.resources.hca_handle) : '-', hca_object: d ? cell(d.resources.hca_object) : '-', events: d ? eventsText(d) : '-',
  })));
  if (!rows.length) {
    out.raw(`no cgroup limits or uses RDMA (rdma controller: cgroup v${h.version} at ${h.mount})\n`);
    return;
  }
  const t = fitTable(COLUMNS, rows);
  out.raw([t.header, ...t.lines].join('\n') + '\n');
  for (const c of cgroups) if (c.path === '/') out.raw('note: the root cgroup has no rdma.max or rdma.current: limits and ' +
    'counts live in child cgroups\n');
}

export function printCgroupsJson(out: Output, h: RdmaHierarchy, cgroups: CgroupUse[]): void {
  out.standardJson = true;
  out.begin();
  for (const c of cgroups) {
    for (const d of c.devices.length ? c.devices : [undefined]) {
      out.openRecord();
      out.jsonOnly('cgroup', c.path);
      out.jsonOnly('hierarchy', `v${h.version}`);
      out.jsonOnly('container', c.container?.name ?? null);
      out.jsonOnly('container_id', c.container?.id ?? null);
      out.jsonOnly('runtime', c.container?.runtime ?? null);
      out.jsonOnly('pod_namespace', c.pod?.namespace ?? null);
      out.jsonOnly('pod_name', c.pod?.name ?? null);
      out.jsonOnly('pod_uid', c.pod?.uid ?? null);
      out.jsonOnly('dev', d?.dev ?? null);
      for (const r of RDMA_RESOURCES) {
        const u = d?.resources[r];
        out.jsonOnly(r, u?.current ?? null);
        out.jsonOnly(`${r}_max`, u?.max ?? null);
        out.jsonOnly(`${r}_limit`, u ? effectiveLimit(u) : null);
        out.jsonOnly(`${r}_limit_cgroup`, u ? (u.inherited?.cgroup ?? (u.max !== undefined && u.max !== 'max' ? c.path : null)) : null);
        out.jsonOnly(`${r}_peak`, u?.peak ?? null);
      }
      if (d?.events) {
        out.openObject('events');
        for (const [k, v] of Object.entries(d.events)) out.jsonOnly(k, v);
        out.closeObject();
      } else out.jsonOnly('events', null);
      out.closeRecord();
    }
  }
  out.end();
}
