// The compiled record printer (views/res.ts resourcePrinter) against the generic one
// (printResource), on every restrack entry in the project's recordings (real lab kernels and
// the synthetic mlx5 ones): for each kind, layout, -d and --all-netns prefix, in text and compact
// JSON, the two print the same bytes. The lab and golden tests compare what the CLI prints (the
// compiled path for these forms) with iproute2; this keeps the generic path, which -r, -dd,
// pretty JSON and SRQs still use, equal to it.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseMessages } from '../src/transport/framing.js';
import { decodeAttrs, Attrs } from '../src/protocol/codec.js';
import { NLDEV_SCHEMA, A } from '../src/protocol/nldev-schema.js';
import { RESOURCE_KINDS, Resource, ResourceKind } from '../src/model/resource.js';
import { Output } from '../src/views/output.js';
import { LAYOUTS } from '../src/views/layout.js';
import { printResource, resourcePrinter, ResPrintOptions } from '../src/views/res.js';

const ROOT = new URL('../..', import.meta.url).pathname;

function* recordings(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* recordings(p);
    else if (name.endsWith('.json') && !name.includes('.rdma')) yield p;
  }
}

/** Every resource entry each kind's dumps hold, from every recording's replies (deduplicated by bytes). */
function entriesByKind(): Map<ResourceKind, Resource[]> {
  const byTable = new Map(Object.values(RESOURCE_KINDS).map((k) => [k.table, k]));
  const out = new Map<ResourceKind, Resource[]>();
  const seen = new Set<string>();
  for (const file of recordings(join(ROOT, 'fixtures'))) {
    let rec: { format?: string; exchanges?: Array<{ protocol: string; replies: string[] }> };
    try {
      rec = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    if (rec.format !== 'rdma-ts-recording/1') continue;
    for (const x of rec.exchanges ?? []) {
      if (x.protocol !== 'rdma') continue;
      for (const hex of x.replies) {
        if (seen.has(hex)) continue;
        seen.add(hex);
        for (const m of parseMessages(Buffer.from(hex, 'hex'))) {
          if (m.type < 0x10) continue;
          let tb: Attrs;
          try {
            tb = decodeAttrs(NLDEV_SCHEMA, m.payload);
          } catch {
            continue; // the malformed answers of the odd-path fixtures
          }
          for (const [table, kind] of byTable) {
            for (const entry of (tb[table] ?? []) as Attrs[]) {
              if (!Array.isArray(entry)) continue;
              const list = out.get(kind) ?? [];
              list.push({ devIndex: tb[A.DEV_INDEX], devName: tb[A.DEV_NAME], port: entry[A.PORT_INDEX], entry });
              out.set(kind, list);
            }
          }
        }
      }
    }
  }
  return out;
}

const ENTRIES = entriesByKind();
const comm = (pid: number) => (pid % 3 ? `proc-${pid}` : pid % 2 ? undefined : 'Web Content with a long name');

/** Counts the generic path's record openings: the compiled one builds records without them. */
class CountingOutput extends Output {
  opened = 0;
  override openRecord(): void {
    this.opened++;
    super.openRecord();
  }
}
let genericRecords = 0;

function print(kind: ResourceKind, rs: Resource[], layout: string, json: boolean, details: boolean, prefix: boolean,
  compiled: boolean): string {
  let text = '';
  const out = new CountingOutput({ json, pretty: false, oneline: false, layout: LAYOUTS[layout] }, (s) => (text += s));
  if (prefix) out.setPrefix({ netns: "pod'a" });
  const o: ResPrintOptions = { raw: false, details, driverDetails: false, comm };
  out.begin();
  const printer = resourcePrinter(out, kind, o);
  for (const r of rs) {
    if (compiled) printer(r);
    else printResource(out, kind, r, o);
  }
  out.end();
  if (compiled) genericRecords = out.opened;
  return text;
}

test('the recordings hold entries of every kind the compiled printer serves', (t) => {
  const kinds = [...ENTRIES.keys()].map((k) => k.name).sort();
  for (const k of ['cm_id', 'cq', 'ctx', 'mr', 'pd', 'qp']) t.true(kinds.includes(k as ResourceKind['name']), `no ${k} entries in fixtures/`);
  const qps = ENTRIES.get(RESOURCE_KINDS.qp)!;
  t.true(qps.length >= 20, `${qps.length} QP entries`);
  // Both owners' forms: a user process (comm from /proc) and a kernel consumer (`[name]`).
  t.true(qps.some((r) => r.entry[A.RES_PID] !== undefined) && qps.some((r) => r.entry[A.RES_KERN_NAME] !== undefined));
});

for (const kind of Object.values(RESOURCE_KINDS)) {
  test(`res show ${kind.name}: the compiled printer prints what the generic one does`, (t) => {
    const rs = ENTRIES.get(kind) ?? [];
    t.true(rs.length > 0, `no ${kind.name} entries in fixtures/`);
    let compared = 0;
    for (const layout of Object.keys(LAYOUTS)) {
      for (const json of [false, true]) {
        for (const details of [false, true]) {
          for (const prefix of json ? [false, true] : [false]) {
            const generic = print(kind, rs, layout, json, details, prefix, false);
            const compiled = print(kind, rs, layout, json, details, prefix, true);
            const form = `${layout} ${json ? '-j' : 'text'}${details ? ' -d' : ''}${prefix ? ' --all-netns' : ''}`;
            t.is(compiled, generic, form);
            // SRQs (QP ranges, 6.1's comm) are left to the generic printer; every other kind is compiled.
            t.is(genericRecords, kind.name === 'srq' ? rs.length : 0, `${form}: records through the generic printer`);
            if (json) t.notThrows(() => JSON.parse(generic.replace(/\\'/g, "'")));
            compared += rs.length;
          }
        }
      }
    }
    t.log(`${kind.name}: ${rs.length} entries, ${compared} records compared`);
  });
}
