// Lab checks for `gid show` and the RoCE mode settings, on the GIDS scenario
// (src/lab/scenarios.ts: a 16-slot v1+v2 table, 9 macvlan containers, 7 of
// which fit). Every expectation about the table is derived here from sysfs,
// read by the script itself, not from rdma-ts.
import { release } from 'node:os';
import type { ShellCheck } from './cases.js';
import { GID_NET } from '../../src/lab/scenarios.js';
import { POD_LABEL } from './top-cases.js';
import { all, contains, marks, section, status, Outcome } from './expect.js';

interface GidRecord {
  kind: 'summary' | 'entry' | 'stranded';
  dev: string;
  port: number;
  [k: string]: unknown;
}

/** The guest runs on a kernel with the roce-gid-types patch (test/lab/run.ts sets it). */
const PATCHED = process.env.LAB_KERNEL_PATCH === 'roce-gid-types';

const records = (r: Outcome, n = 0): GidRecord[] => JSON.parse(section(r.stdout, n) || '[]') as GidRecord[];

/** The script's own sysfs reading: `ENTRY dev port index gid type netdev` (type with _ for spaces) and `SIZE dev port n`. */
const SYSFS = `for d in /sys/class/infiniband/*; do D=\${d##*/}; for p in $d/ports/*; do P=\${p##*/}
  echo "SIZE $D $P $(ls $p/gids | wc -l)"
  for g in $p/gids/*; do i=\${g##*/}; t=$(cat $p/gid_attrs/types/$i 2>/dev/null) || continue
    echo "ENTRY $D $P $i $(cat $g) $(echo "$t" | tr ' ' _) $(cat $p/gid_attrs/ndevs/$i 2>/dev/null || echo -)"
  done; done; done`;

interface SysfsEntry { dev: string; port: number; index: number; gid: string; type: string; netdev: string | null }

function sysfsEntries(stdout: string): SysfsEntry[] {
  return stdout.split('\n').filter((l) => l.startsWith('ENTRY ')).map((l) => {
    const [, dev, port, index, gid, type, netdev] = l.split(' ');
    return { dev, port: Number(port), index: Number(index), gid, type: type.replace(/_/g, ' '), netdev: netdev === '-' ? null : netdev };
  });
}

const key = (e: Record<string, unknown>) =>
  `${e.dev}/${e.port}#${e.index} ${e.gid} ${e.type} ${e.netdev}`;

/** Container N's IPv4 address as an IPv4-mapped GID, the way sysfs prints it. */
const mappedGid = (n: number) => `0000:0000:0000:0000:0000:ffff:0a62:${n.toString(16).padStart(4, '0')}`;

const entriesMatchSysfs: ShellCheck = {
  name: 'gid show -j: every entry (index, gid, type, netdev) and every summary size/used/v1/v2 as the test reads them from sysfs',
  script: `${SYSFS}\necho "=BEGIN"; $RDMA_TS -j gid show; rc=$?; echo "=END"; echo "STATUS $rc"`,
  expect: all(status(0), (r) => {
    const fs = sysfsEntries(r.stdout);
    const recs = records(r);
    const mine = recs.filter((x) => x.kind === 'entry').map(key).sort();
    const theirs = fs.map((e) => key({ ...e })).sort();
    if (mine.join('\n') !== theirs.join('\n')) {
      return `entries differ:\nrdma-ts only: ${mine.filter((k) => !theirs.includes(k)).join('\n  ')}\nsysfs only: ` +
        `${theirs.filter((k) => !mine.includes(k)).join('\n  ')}`;
    }
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('SIZE '))) {
      const [, dev, port, size] = line.split(' ');
      const s = recs.find((x) => x.kind === 'summary' && x.dev === dev && x.port === Number(port));
      const mineOf = fs.filter((e) => e.dev === dev && e.port === Number(port));
      if (!s) return `no summary for ${dev}/${port}`;
      // Not RoCE (siw): its one entry reads "IB/RoCE v1" but is no v1 GID.
      const count = (t: string) => (s.roce ? mineOf.filter((e) => e.type === t).length : 0);
      const want = { size: Number(size), used: mineOf.length, v1: count('IB/RoCE v1'), v2: count('RoCE v2') };
      const got = { size: s.size, used: s.used, v1: s.v1, v2: s.v2 };
      if (JSON.stringify(got) !== JSON.stringify(want)) return `${dev}/${port} summary ${JSON.stringify(got)}, sysfs says ` +
        `${JSON.stringify(want)}`;
    }
    const g = recs.find((x) => x.kind === 'summary' && x.dev === 'rxeg')!;
    const wantG = { free: 0, default: 2, fit_v1_on: 0, fit_v1_off: 6, wanted_ips: 9, stranded: 2, types: ['IB/RoCE v1',
      'RoCE v2'], types_reported: PATCHED };
    const gotG = Object.fromEntries(Object.keys(wantG).map((k) => [k, g[k]]));
    if (JSON.stringify(gotG) !== JSON.stringify(wantG)) return `rxeg summary ${JSON.stringify(gotG)}, want ` +
      `${JSON.stringify(wantG)} (16 slots: 2 default + 7 x 2; 9 IPs want slots; v1 off: 15 - 9)`;
    const defaults = recs.filter((x) => x.kind === 'entry' && x.dev === 'rxeg' && x.default).map((x) => x.index);
    return defaults.join() === '0,1' ? undefined : `rxeg default entries at ${defaults}, want 0,1 (the reserved slots)`;
  }),
};

const owners: ShellCheck = {
  name: 'gid show -j: each container IP\'s entries name its macvlan and namespace; ctr3\'s its pod; the defaults gid0 in init',
  script: `. $LAB_VARS; echo "C3PID $C3PID"; echo "=BEGIN"; $RDMA_TS -j gid show rxeg; rc=$?; echo "=END"; echo "STATUS $rc"`,
  expect: all(status(0), (r) => {
    const [c3pid] = marks(r.stdout, 'C3PID');
    const entries = records(r).filter((x) => x.kind === 'entry');
    for (let n = 1; n <= 7; n++) {
      const mine = entries.filter((x) => x.gid === mappedGid(n));
      const want = { ipv4: `${GID_NET.prefix}.${n}`, netdev: `mv${n}`, netns: `ctr${n}`, container: n === 3 ? POD_LABEL : null,
        netns_pid: n === 3 ? c3pid : null };
      if (mine.length !== 2 || mine.map((x) => x.type).join() !== 'IB/RoCE v1,RoCE v2') return `container ${n}: entries ` +
        `${JSON.stringify(mine)}`;
      for (const e of mine) {
        const got = Object.fromEntries(Object.keys(want).map((k) => [k, e[k]]));
        if (JSON.stringify(got) !== JSON.stringify(want)) return `container ${n}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
      }
    }
    const defaults = entries.filter((x) => x.default);
    return defaults.length === 2 && defaults.every((x) => x.netdev === 'gid0' && x.netns === 'init'
      && x.container === null) ? undefined : `defaults: ${JSON.stringify(defaults)}`;
  }),
};

const stranded: ShellCheck = {
  name: 'gid show: exactly the IPs sysfs has no GID for (8th named, 9th unnamed container) are listed, with namespace and reason',
  script: `. $LAB_VARS; echo "UCPID $UCPID"; ${SYSFS}
echo "=BEGIN"; $RDMA_TS -j gid show rxeg/1; rc=$?; echo "=END"; echo "STATUS $rc"; $RDMA_TS gid show rxeg/1`,
  expect: all(status(0), (r) => {
    const [ucpid] = marks(r.stdout, 'UCPID');
    const present = new Set(sysfsEntries(r.stdout).filter((e) => e.dev === 'rxeg' && e.type === 'RoCE v2').map((e) => e.gid));
    const noGid = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((n) => !present.has(mappedGid(n))).map((n) => `${GID_NET.prefix}.${n}`);
    const listed = records(r).filter((x) => x.kind === 'stranded');
    if (listed.map((x) => x.ip).join() !== noGid.join() || noGid.join() !== `${GID_NET.prefix}.8,${GID_NET.prefix}.9`) {
      return `stranded ${listed.map((x) => x.ip)}, sysfs lacks v2 GIDs for ${noGid} (want .8 and .9)`;
    }
    const nine = listed[1];
    const want9 = { netdev: 'mv9', netns: `pid:${ucpid}(sleep)`, missing: ['IB/RoCE v1', 'RoCE v2'],
      reason: 'no entry: the table is full' };
    const got9 = Object.fromEntries(Object.keys(want9).map((k) => [k, nine[k]]));
    if (JSON.stringify(got9) !== JSON.stringify(want9)) return `9th: ${JSON.stringify(got9)}, want ${JSON.stringify(want9)}`;
    return contains(`  no GID: ${GID_NET.prefix}.8 on mv8 (netns ctr8): no entry: the table is full\n  no GID: ` +
      `${GID_NET.prefix}.9 on mv9 (netns pid:${ucpid}(sleep)): no entry: the table is full\n`)(r);
  }),
};

const typeFilter: ShellCheck = {
  name: 'gid show rxeg/1 type v2: only the 8 v2 entries; the summary stays whole',
  script: `echo "=BEGIN"; $RDMA_TS -j gid show rxeg/1 type v2; rc=$?; echo "=END"; echo "STATUS $rc"`,
  expect: all(status(0), (r) => {
    const recs = records(r);
    const e = recs.filter((x) => x.kind === 'entry');
    const s = recs.find((x) => x.kind === 'summary');
    return e.length === 8 && e.every((x) => x.type === 'RoCE v2') && s?.used === 16 ? undefined : `${e.length} entries, types ` +
      `${e.map((x) => x.type)}, used ${s?.used}`;
  }),
};

const fromContainer: ShellCheck = {
  name: 'gid show from inside a container (-n ctr3) and --all-netns: the same entries, each device once',
  script: `echo "=BEGIN"; $RDMA_TS -j gid show rxeg; echo "=END"; echo "=BEGIN"; $RDMA_TS -n ctr3 -j gid show rxeg; echo "=END"
echo "=BEGIN"; $RDMA_TS --all-netns -j gid; rc=$?; echo "=END"; echo "STATUS $rc"`,
  expect: all(status(0), (r) => {
    const ids = (n: number) => records(r, n).filter((x) => x.kind !== 'summary').map((x) => JSON.stringify(x)).join('\n');
    if (ids(0) !== ids(1)) return `-n ctr3 differs:\n${section(r.stdout, 1)}\nvs\n${section(r.stdout, 0)}`;
    const devs = records(r, 2).filter((x) => x.kind === 'summary').map((x) => `${x.dev}/${x.port}`);
    const once = devs.length === new Set(devs).size && devs.includes('rxeg/1') && devs.includes('rxep/1');
    return once ? undefined : `--all-netns summaries ${devs}, want rxeg/1 and rxep/1, each port once`;
  }),
};

/** rping -d from inside a container over its own IP: resolution succeeds with a GID, and with none bind fails (ENODEV). */
const rdmaCmFromContainers: ShellCheck = {
  name: 'rdma_cm inside containers: ctr2 (has GIDs) resolves address and route over its IP; ctr8 (none) fails with ENODEV',
  // rxe's UDP socket is in init_net, so ctr2's connect may hang after the route resolves: timeout ends
  // it, and stdbuf keeps rping's debug lines (stdio-buffered into the pipe) from dying with it.
  script: [2, 8].map((n) => `echo "=BEGIN"
ip netns exec ctr${n} timeout 20 stdbuf -oL -eL rping -d -c -I ${GID_NET.prefix}.${n} -a ${GID_NET.peer} -C 1 -v 2>&1
echo "=END"`).join('\n'),
  expect: (r) => {
    const two = section(r.stdout, 0);
    const eight = section(r.stdout, 1);
    if (!two.includes('RDMA_CM_EVENT_ADDR_RESOLVED') || !two.includes('RDMA_CM_EVENT_ROUTE_RESOLVED')) return `ctr2 did not ` +
      `resolve:\n${two}`;
    return eight.includes('rdma_resolve_addr: No such device') && !eight.includes('RESOLVED') ? undefined : `ctr8 did not fail ` +
      `with ENODEV:\n${eight}`;
  },
};

const CM = `/sys/kernel/config/rdma_cm`;
/** An rping client on rxep (10.98.0.254 to itself), at most 30 s: RC 0 when 3 pings went through. */
const PING = `timeout 30 rping -c -a ${GID_NET.peer} -C 3 -v > /tmp/cm-ping.log 2>&1; echo "PING $?"`;

const cmRoceMode: ShellCheck = {
  name: 'link set rxep/1 cm-roce-mode v1: shown by gid show, rping cannot connect (rxe refuses v1); cm-roce-mode v2: rping connects',
  script: `$RDMA_TS link set rxep/1 cm-roce-mode v1 2> /tmp/cm.err; echo "SETV1 $?"; cat /tmp/cm.err
echo "=BEGIN"; $RDMA_TS -j gid show rxep/1; echo "=END"; ${PING}; echo "DIRLEFT $(ls ${CM} | wc -l)"
$RDMA_TS link set rxep/1 cm-roce-mode v2; echo "SETV2 $?"; ${PING.replace('PING', 'PING2')}
echo "=BEGIN"; $RDMA_TS -j gid show rxep/1; echo "=END"`,
  expect: all(status(0, 'SETV1'), status(0, 'SETV2'), status(0, 'DIRLEFT'), (r) => (marks(r.stdout,
    'PING')[0] !== 0 ? undefined : `rping connected over v1:\n${r.stdout}`),
    status(0, 'PING2'), contains('note: rdma_cm now picks IB/RoCE v1 GIDs on rxep/1 for new connections; this frees no GID table entries'),
    (r) => {
      const mode = (n: number) => records(r, n).find((x) => x.kind === 'summary')?.cm_roce_mode;
      return mode(0) === 'IB/RoCE v1' && mode(1) === 'RoCE v2' ? undefined : `modes shown ${mode(0)}, ${mode(1)}`;
    }),
};

const cmDryRun: ShellCheck = {
  name: '--dry-run link set rxeg/1 cm-roce-mode v2: the configfs steps, byte for byte, and nothing done',
  script: `$RDMA_TS --dry-run link set rxeg/1 cm-roce-mode v2; echo "STATUS $?"; echo "DIR $(ls ${CM} | wc -l)"`,
  expect: all(status(0), status(0, 'DIR'), (r) => {
    const want = `dry-run: would mkdir ${CM}/rxeg\ndry-run: would write "RoCE v2" to ` +
      `${CM}/rxeg/ports/1/default_roce_mode\ndry-run: would rmdir ${CM}/rxeg\nSTATUS 0\n`;
    return r.stdout.startsWith(want) ? undefined : `stdout:\n${r.stdout}\nwant:\n${want}`;
  }),
};

const cmErrors: ShellCheck = {
  name: 'cm-roce-mode errors: a bad mode, a port that is not there',
  script: `$RDMA_TS link set rxeg/1 cm-roce-mode v3; echo "BAD $?"; $RDMA_TS link set rxeg/2 cm-roce-mode v2; echo "PORT $?"`,
  expect: all(status(1, 'BAD'), status(1, 'PORT'), contains("link set rxeg/1 cm-roce-mode: the mode is v2 or v1, not 'v3'",
    'stderr'), contains('Wrong device name', 'stderr')),
};

/** What a stock kernel says to `roce-v1 off`, and the request --dry-run shows. */
export const roceV1Stock: ShellCheck = {
  name: 'link set rxeg/1 roce-v1 off on a stock kernel: no released kernel has it, the patch, what works today; --dry-run ' +
    'prints the request',
  script: `$RDMA_TS link set rxeg/1 roce-v1 off; echo "STATUS $?"
echo "=BEGIN"; $RDMA_TS --dry-run link set rxeg/1 roce-v1 off 2> /tmp/dr.err; rc=$?; echo "=END"; echo "DRY $rc"; cat /tmp/dr.err
rdma dev show rxeg | sed 's/^\\([0-9]*\\):.*/IDX \\1/'`,
  expect: all(status(1), status(0, 'DRY'), contains('No released Linux kernel has a per-port GID type control', 'stderr'),
    contains('kernel/roce-gid-types/', 'stderr'), contains('rdma-ts link set rxeg/1 cm-roce-mode v2', 'stderr'),
    contains('note: this kernel does not report RDMA_NLDEV_ATTR_ROCE_GID_TYPES'), (r) => {
      const [idx] = marks(r.stdout, 'IDX');
      const want = `dry-run: would send RDMA_NLDEV_CMD_SET: DEV_INDEX ${idx}, PORT_INDEX 1, ROCE_GID_TYPES 4\n`;
      return section(r.stdout) === want.trimEnd() ? undefined : `dry-run printed ${JSON.stringify(section(r.stdout))}, want ` +
        `${JSON.stringify(want)}`;
    }),
};

/** The patched kernel: v1 off removes every v1 entry and the stranded IPs get their v2 GIDs; on brings v1 back where it fits. */
const roceV1OffOn: ShellCheck = {
  name: 'link set rxeg/1 roce-v1 off, then on (roce-gid-types kernel): v1 entries removed and restored, stranded IPs get v2 ' +
    'GIDs, link show and gid show say so',
  script: `. $LAB_VARS; ${SYSFS.replace(/ENTRY/g, 'BEFORE').replace(/SIZE/g, 'BSIZE')}
$RDMA_TS link set rxeg/1 roce-v1 off; echo "OFF $?"; sleep 1; ${SYSFS.replace(/ENTRY/g, 'OFFE').replace(/SIZE/g, 'OSIZE')}
echo "=BEGIN"; $RDMA_TS -j gid show rxeg/1; echo "=END"; $RDMA_TS link show rxeg/1
$RDMA_TS link set rxeg/1 roce-v1 on; echo "ON $?"; sleep 1; ${SYSFS.replace(/ENTRY/g, 'ONE').replace(/SIZE/g, 'NSIZE')}
echo "=BEGIN"; $RDMA_TS -j gid show rxeg/1; echo "=END"; $RDMA_TS -d -j link show rxeg/1 | sed 's/^/LINKJSON /'`,
  expect: all(status(0, 'OFF'), status(0, 'ON'),
    contains('link rxeg/1 state ACTIVE physical_state LINK_UP netdev gid0 roce-gid-types v2 \n'),
    contains('LINKJSON [{"ifindex":'), contains('"roce_gid_types":["v1","v2"],"roce_gid_types_supported":["v1","v2"]}'), (r) => {
      const at = (tag: string) => r.stdout.split('\n').filter((l) => l.startsWith(`${tag} rxeg `)).map((l) => {
        const [, , , index, gid, type, netdev] = l.split(' ');
        return { index: Number(index), gid, type: type.replace(/_/g, ' '), netdev };
      });
      const before = at('BEFORE'), off = at('OFFE'), on = at('ONE');
      const v2ips = (xs: typeof off) => xs.filter((e) => e.type === 'RoCE v2' && e.gid.startsWith('0000')).map((e) => e.netdev).sort();
      const ctrs = Array.from({ length: 9 }, (_, k) => `mv${k + 1}`).sort();
      if (before.filter((e) => e.type === 'IB/RoCE v1').length !== 8) return `before: ${before.length} entries, want 8 v1`;
      if (off.some((e) => e.type === 'IB/RoCE v1')) return `v1 entries left after off: ${JSON.stringify(off)}`;
      if (v2ips(off).join() !== ctrs.join()) return `after off, v2 IP GIDs on ${v2ips(off)}, want all 9 containers (the 2 ` +
        `stranded rescanned in)`;
      if (off.length !== 10) return `after off ${off.length} entries, want 10 (v2 default + 9 IPs)`;
      const v1on = on.filter((e) => e.type === 'IB/RoCE v1');
      if (v2ips(on).join() !== ctrs.join()) return `after on, a container lost its v2 GID: ${v2ips(on)}`;
      if (on.length !== 16 || v1on.length !== 6) return `after on ${on.length} entries (${v1on.length} v1), want 16 with 6 v1 ` +
        `(the default and 5 IPs where they fit)`;
      const offRec = records(r, 0), onRec = records(r, 1);
      const sOff = offRec.find((x) => x.kind === 'summary')!, sOn = onRec.find((x) => x.kind === 'summary')!;
      const want = (s: GidRecord, types: string[], free: number) => JSON.stringify([s.types, s.types_reported, s.stranded,
        s.free]) === JSON.stringify([types, true, 0, free]);
      if (!want(sOff, ['RoCE v2'], 6)) return `gid show after off: ${JSON.stringify(sOff)}`;
      if (!want(sOn, ['IB/RoCE v1', 'RoCE v2'], 0)) return `gid show after on: ${JSON.stringify(sOn)}`;
      return undefined;
    }),
};

const roceV1DryRunPatched: ShellCheck = {
  name: '--dry-run link set rxeg/1 roce-v1 off (roce-gid-types kernel): the request, nothing changed',
  script: `rdma dev show rxeg | sed 's/^\\([0-9]*\\):.*/IDX \\1/'; $RDMA_TS --dry-run link set rxeg/1 roce-v1 off; echo "STATUS ` +
    `$?"; $RDMA_TS link show rxeg/1`,
  expect: all(status(0), contains('roce-gid-types v1,v2 '), (r) => {
    const [idx] = marks(r.stdout, 'IDX');
    return contains(`dry-run: would send RDMA_NLDEV_CMD_SET: DEV_INDEX ${idx}, PORT_INDEX 1, ROCE_GID_TYPES 4\nSTATUS 0\n`)(r);
  }),
};

const cmGuard: ShellCheck = {
  name: 'roce-v1 off with rdma_cm on IB/RoCE v1 (roce-gid-types kernel): rdma-ts moves rdma_cm to RoCE v2 first and says so',
  script: `$RDMA_TS link set rxeg/1 cm-roce-mode v1 2>/dev/null; echo "V1 $?"; $RDMA_TS link set rxeg/1 roce-v1 off; echo "OFF $?"
echo "=BEGIN"; $RDMA_TS -j gid show rxeg/1; echo "=END"
$RDMA_TS link set rxeg/1 cm-roce-mode v1; echo "REFUSED $?"; $RDMA_TS link set rxeg/1 roce-v1 on; echo "ON $?"`,
  expect: all(status(0, 'V1'), status(0, 'OFF'), status(1, 'REFUSED'), status(0, 'ON'),
    contains("note: rxeg/1: rdma_cm's cm-roce-mode was IB/RoCE v1; set to RoCE v2 first, as no v1 GID will be left", 'stderr'),
    contains('the kernel refused it (EINVAL): rxeg/1 has no IB/RoCE v1 GIDs', 'stderr'),
    (r) => (records(r).find((x) => x.kind === 'summary')?.cm_roce_mode === 'RoCE v2' ? undefined : `cm mode after: ${section(r.stdout)}`)),
};

const COMMON = [entriesMatchSysfs, owners, stranded, typeFilter, fromContainer, rdmaCmFromContainers, cmRoceMode, cmDryRun, cmErrors];
export const GID_CHECKS: ShellCheck[] = PATCHED ? [...COMMON, roceV1DryRunPatched, roceV1OffOn, cmGuard] : [...COMMON, roceV1Stock];

interface Capacity {
  table: number;
  v1v2: { containers: number; failed: { ip: string; rdmaCm?: string }; stranded: string[] };
  runtime: { total: number; strandedGotV2: boolean; strandedRdmaCm?: string; failed: { ip: string }; stranded: string[] };
  v2Before: { containers: number; failed: { ip: string }; stranded: string[] };
  ratio: number;
}

/** bench/gid-capacity.ts on one table size: the counts the arithmetic predicts, the stranded IP listed exactly. */
const capacity = (table: number, rdmaCm: boolean): ShellCheck => ({
  name: `GID capacity, ${table} slots${rdmaCm ? ', rdma_cm inside each container' : ''}: ${Math.floor((table - 2) / 2)} ` +
    `containers with v1+v2, ${table - 1} with v2 only (before, and after v1 off at run time, the stranded one included); gid ` +
      `show lists exactly the stranded IP`,
  timeoutMs: 40 * 60_000,
  script: `node dist/bench/gid-capacity.js ${table}${rdmaCm ? ' --rdma-cm' : ''}; echo "STATUS $?"`,
  note: (r) => {
    const at = r.stdout.indexOf('Containers per RoCE port');
    return at < 0 ? undefined : `${release()}${PATCHED ? '+roce-gid-types' : ''}: ` +
      `${r.stdout.slice(at).replace(/\nSTATUS \d+\n?$/, '').trimEnd()}`;
  },
  expect: all(status(0), (r) => {
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) return `no result:\n${r.stdout}\n${r.stderr}`;
    const c = JSON.parse(line) as Capacity;
    const v1v2 = Math.floor((table - 2) / 2), v2 = table - 1;
    const wrong: string[] = [];
    if (c.v1v2.containers !== v1v2) wrong.push(`v1+v2 ${c.v1v2.containers}, want ${v1v2}`);
    if (c.v2Before.containers !== v2) wrong.push(`v2 only before ${c.v2Before.containers}, want ${v2}`);
    if (c.runtime.total !== v2) wrong.push(`v1 off at run time ${c.runtime.total}, want ${v2}`);
    if (!c.runtime.strandedGotV2) wrong.push('the stranded container got no v2 GID after v1 off');
    for (const [name, p] of [['v1+v2', c.v1v2], ['runtime', c.runtime], ['v2 before', c.v2Before]] as const) {
      if (p.stranded.join() !== p.failed.ip) wrong.push(`${name}: gid show listed ${JSON.stringify(p.stranded)} as stranded, ` +
        `want exactly ${p.failed.ip}`);
    }
    if (rdmaCm && !/No such device/.test(c.v1v2.failed.rdmaCm
      ?? '')) wrong.push(`rdma_cm in the stranded container: ${c.v1v2.failed.rdmaCm}, want ENODEV`);
    if (rdmaCm && c.runtime.strandedRdmaCm !== 'address and route resolved') wrong.push(`rdma_cm in the formerly stranded ` +
      `container: ${c.runtime.strandedRdmaCm}`);
    return wrong.length ? `${wrong.join('; ')}\n${r.stdout}` : undefined;
  }),
});

export const CAPACITY_CHECKS: ShellCheck[] = [capacity(16, true), capacity(256, false)];

/** Recorded for the unit tier's replay (fixtures/lab/KERNEL/gids/NAME.json). */
export const GID_RECORDINGS = [
  { name: 'gid-json', argv: '-j gid show' },
  { name: 'gid-text', argv: 'gid show' },
  { name: 'gid-ctr3', argv: '-n ctr3 gid show rxeg/1 type v2' },
  { name: 'doctor-ctr8', argv: '-n ctr8 doctor', status: 2 },
];

/** In the exclusive-mode NETNS scenario: a device only ns1's sysfs shows. */
export const GID_NETNS_CHECKS: ShellCheck[] = [{
  name: 'gid show -n ns1 rxe0 (exclusive mode: not in our sysfs): the entries ns1\'s own sysfs shows',
  script: `ip netns exec ns1 sh -c '${SYSFS.replace(/'/g, `'\\''`)}'; ls /sys/class/infiniband | sed 's/^/HOSTSEES /'
echo "=BEGIN"; $RDMA_TS -n ns1 -j gid show rxe0; rc=$?; echo "=END"; echo "STATUS $rc"`,
  expect: all(status(0), (r) => {
    if (r.stdout.includes('HOSTSEES rxe0')) return 'rxe0 is in our own sysfs: the check needs exclusive mode';
    const theirs = sysfsEntries(r.stdout).filter((e) => e.dev === 'rxe0').map((e) => key({ ...e })).sort();
    const mine = records(r).filter((x) => x.kind === 'entry').map(key).sort();
    return theirs.length && mine.join('\n') === theirs.join('\n') ? undefined
      : `rdma-ts:\n${mine.join('\n')}\nns1 sysfs:\n${theirs.join('\n')}`;
  }),
}];

/** On the rping scenario (siw0 is iWARP). */
export const GID_RPING_CHECKS: ShellCheck[] = [{
  name: 'roce-v1 and cm-roce-mode on siw0/1: not a RoCE port; gid show siw0: one entry, not RoCE',
  script: `$RDMA_TS link set siw0/1 roce-v1 off; echo "A $?"
$RDMA_TS link set siw0/1 cm-roce-mode v2; echo "B $?"
$RDMA_TS gid show siw0`,
  expect: all(status(1, 'A'), status(1, 'B'), contains('link set siw0/1 roce-v1: siw0/1 is not a RoCE port (iw)', 'stderr'),
    contains('link set siw0/1 cm-roce-mode: siw0/1 is not a RoCE port (iw)', 'stderr'),
      contains('siw0/1: 1 slot, 1 used, 0 free (not RoCE: no v1/v2 GIDs)')),
}];
