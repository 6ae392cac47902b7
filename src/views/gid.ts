// gid show: per port a summary, the entries as a table, then the IPs that
// got no GID. JSON: one flat record per summary, entry and stranded IP, told
// apart by "kind" (docs/gids.md has the keys).
import { Output } from './output.js';
import { fitTable, fixedColumns } from './table.js';
import type { SurveyedPort } from '../model/gid-survey.js';
import type { OwnedGid, StrandedIp } from '../model/gids.js';
import { GID_TYPE, RoceVersion } from '../model/gid-table.js';

export interface GidViewOptions {
  /** Only entries of this type (the summary and stranded IPs stay whole). */
  type?: RoceVersion;
}

const COLUMNS = fixedColumns('index:INDEX>', 'gid:GID', 'ipv4:IPV4', 'type:TYPE', 'default:DEFAULT', 'netdev:NETDEV',
  'netns:NETNS', 'container:CONTAINER');

const shown = (p: SurveyedPort, o: GidViewOptions) => p.entries.filter((e) => !o.type || e.type === GID_TYPE[o.type]);
const list = (v: RoceVersion[]) => (v.length ? v.join(',') : '-');

/** What a missing entry means for that IP. */
export function strandedReason(p: SurveyedPort, s: StrandedIp): string {
  const what = s.present.length ? `no ${GID_TYPE.v2} entry (has ${s.present.map((v) => GID_TYPE[v]).join(', ')})` : 'no entry';
  const why = p.free < p.enabled.length ? 'the table is full' : 'it was added while the table was full and the kernel never retries';
  return `${what}: ${why}`;
}

function cmModeText(p: SurveyedPort): string {
  const m = p.cmRoceMode!;
  return 'mode' in m ? `${m.mode} (steers rdma_cm's choice of GID only; frees no entries)` : `unknown: ${m.unknown}`;
}

function summaryText(p: SurveyedPort): string {
  const name = `${p.device.name}/${p.table.port}`;
  const nd = p.netdev ? ` netdev ${p.netdev.name} (netns ${p.netdev.scope.label})` : '';
  const lines = [`${name}${nd}: ${p.table.size} slot${p.table.size === 1 ? '' : 's'}, ${p.used} used`];
  if (!p.roce) {
    lines[0] += `, ${p.table.size - p.used} free (not RoCE: no v1/v2 GIDs)`;
    return lines.join('\n');
  }
  lines[0] += ` (${p.defaults} default, v1 ${p.count.v1}, v2 ${p.count.v2}), ${p.free} free`;
  const types = `  types ${list(p.enabled)}${p.capable.join() !== p.enabled.join() ? ` of ${list(p.capable)}` : ''}`
    + (p.reported ? ' (reported by the kernel)' : '');
  lines.push(types);
  const off = p.enabled.includes('v1') && !p.reported ? ' (needs the roce-gid-types kernel patch: kernel/README.md)' : '';
  lines.push(p.fit.v1On === undefined ? `  more IPs fit: ${p.fit.v1Off} (no RoCE v1 on this port)`
    : `  more IPs fit: ${p.fit.v1On} with v1 on, ${p.fit.v1Off} with v1 off${off}`);
  lines.push(`  cm-roce-mode ${cmModeText(p)}`);
  return lines.join('\n');
}

function entryCells(e: OwnedGid): Record<string, string> {
  return {
    index: String(e.index), gid: e.gid, ipv4: e.ipv4 ?? '-', type: e.type, default: e.default ? 'yes' : '',
    netdev: e.netdev ?? '-', netns: e.owner?.scope.label ?? '-', container: e.owner?.container ?? '-',
  };
}

export function printGidsText(out: Output, ports: SurveyedPort[], o: GidViewOptions): void {
  for (const p of ports) {
    let s = `${summaryText(p)}\n`;
    const rows = shown(p, o).map(entryCells);
    if (rows.length) {
      const t = fitTable(COLUMNS, rows);
      s += [t.header, ...t.lines].map((l) => `  ${l}`).join('\n') + '\n';
    }
    for (const x of p.stranded) {
      const where = `netns ${x.link.scope.label}${x.container ? `, ${x.container}` : ''}`;
      s += `  no GID: ${x.address} on ${x.link.name} (${where}): ${strandedReason(p, x)}\n`;
    }
    out.raw(s);
  }
}

export function printGidsJson(out: Output, ports: SurveyedPort[], o: GidViewOptions): void {
  out.standardJson = true;
  out.begin();
  for (const p of ports) {
    const base = (kind: string) => {
      out.openRecord();
      out.jsonOnly('kind', kind);
      out.jsonOnly('dev', p.device.name);
      out.jsonOnly('port', p.table.port);
    };
    base('summary');
    out.jsonOnly('dev_netns', p.scope.label);
    out.jsonOnly('netdev', p.netdev?.name ?? null);
    out.jsonOnly('netns', p.netdev?.scope.label ?? null);
    out.jsonOnly('roce', p.roce);
    out.jsonOnly('size', p.table.size);
    out.jsonOnly('used', p.used);
    out.jsonOnly('free', p.free);
    out.jsonOnly('default', p.defaults);
    out.jsonOnly('v1', p.count.v1);
    out.jsonOnly('v2', p.count.v2);
    const arr = (key: string, v: string[]) => {
      out.openArray(key);
      for (const x of v) out.arrayItem('', x);
      out.closeArray();
    };
    arr('types', p.enabled.map((v) => GID_TYPE[v]));
    arr('types_supported', p.capable.map((v) => GID_TYPE[v]));
    out.jsonOnly('types_reported', p.reported);
    out.jsonOnly('wanted_ips', p.wanted);
    out.jsonOnly('fit_v1_on', p.fit.v1On ?? null);
    out.jsonOnly('fit_v1_off', p.fit.v1Off);
    out.jsonOnly('cm_roce_mode', p.cmRoceMode && 'mode' in p.cmRoceMode ? p.cmRoceMode.mode : null);
    if (p.cmRoceMode && 'unknown' in p.cmRoceMode) out.jsonOnly('cm_roce_mode_unknown', p.cmRoceMode.unknown);
    out.jsonOnly('stranded', p.stranded.length);
    out.closeRecord();
    for (const e of shown(p, o)) {
      base('entry');
      out.jsonOnly('index', e.index);
      out.jsonOnly('gid', e.gid);
      out.jsonOnly('ipv4', e.ipv4 ?? null);
      out.jsonOnly('type', e.type);
      out.jsonOnly('default', e.default);
      out.jsonOnly('netdev', e.netdev ?? null);
      out.jsonOnly('netns', e.owner?.scope.label ?? null);
      out.jsonOnly('netns_pid', e.owner?.scope.member?.pid ?? null);
      out.jsonOnly('container', e.owner?.container ?? null);
      out.closeRecord();
    }
    for (const x of p.stranded) {
      base('stranded');
      out.jsonOnly('ip', x.address);
      out.jsonOnly('netdev', x.link.name);
      out.jsonOnly('netns', x.link.scope.label);
      out.jsonOnly('netns_pid', x.link.scope.member?.pid ?? null);
      out.jsonOnly('container', x.container ?? null);
      arr('present', x.present.map((v) => GID_TYPE[v]));
      arr('missing', x.missing.map((v) => GID_TYPE[v]));
      out.jsonOnly('reason', strandedReason(p, x));
      out.closeRecord();
    }
  }
  out.end();
}
