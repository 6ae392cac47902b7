// How many containers a RoCE port's GID table holds with RoCE v1 and v2 GIDs,
// with v2 only (v1 turned off before the containers come), and with v1
// turned off at run time once the table is full. Runs as root inside a lab
// guest booted with --kernel-patch roce-gid-types (the v1+v2 rxe,
// rdma_rxe_gid, and ib_core with the proposed interface):
//   node dist/bench/gid-capacity.js TABLE [TABLE...] [--rdma-cm]
// A container is a named netns with a macvlan on gid0 (the RoCE netdev,
// which carries no address itself) and one IPv4 address, IPv6 address
// generation off. It counts when its address has a RoCE v2 GID; with
// --rdma-cm also only when rdma_cm inside it binds and resolves address
// and route over that address (rping -d -c -I IP; without a GID the bind
// fails with ENODEV, which is what a pod sees). rxe sends and receives in
// init_net only (rxe_net.c), so no connection completes from a container.
// Prints one JSON object per table size (for the lab tier's assertions),
// then a table.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const RDMA_TS = join(dirname(fileURLToPath(import.meta.url)), '../../bin/rdma-ts.js');
const PEER = '10.98.255.254';
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const rdmaTs = (...args: string[]) => spawnSync(process.execPath, [RDMA_TS, ...args], { encoding: 'utf8' });
const ipOf = (i: number) => `10.98.${Math.floor(i / 250)}.${(i % 250) + 1}`;
/** The GID sysfs prints for an IPv4 address (IPv4-mapped). */
const gidOf = (ip: string) => {
  const hex = ip.split('.').map(Number).reduce((s, b, k) => s + b.toString(16).padStart(2, '0') + (k === 1 ? ':' : ''), '');
  return `0000:0000:0000:0000:0000:ffff:${hex}`;
};
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function ipBatch(lines: string[], netns?: string): void {
  const file = '/tmp/gid-capacity.batch';
  writeFileSync(file, lines.join('\n') + '\n');
  sh('ip', [...(netns ? ['-n', netns] : []), '-b', file]);
}

/** Tears everything down and brings up rxeg on gid0 (no address) and rxep on gid1 (PEER) with `table` slots each. */
function freshPort(table: number): void {
  spawnSync('sh', ['-c',
    'pkill -x rping; ip -all netns delete; for l in $(rdma link show | awk \'{print $2}\' | cut -d/ -f1 | grep ^rxe); do rdma ' +
      'link delete $l; done; ip link delete gid0; modprobe -r rdma_rxe_gid rdma_rxe rdma_rxe_lab'], { stdio: 'ignore' });
  sh('modprobe', ['rdma_rxe_gid', `gid_tbl_len=${table}`]);
  ipBatch(['link add gid0 address 02:00:00:00:01:01 type veth peer name gid1 address 02:00:00:00:01:02', 'link set gid0 up',
    'link set gid1 up', `addr add ${PEER}/16 dev gid1`]);
  sh('rdma', ['link', 'add', 'rxeg', 'type', 'rxe', 'netdev', 'gid0']);
  sh('rdma', ['link', 'add', 'rxep', 'type', 'rxe', 'netdev', 'gid1']);
  spawnSync('sh', ['-c', `rping -s -a ${PEER} -C 100000000 > /dev/null 2>&1 &`]);
}

function addContainer(i: number): void {
  ipBatch([`netns add ctr${i}`, `link add mv${i} link gid0 type macvlan mode bridge`, `link set mv${i} netns ctr${i}`]);
  ipBatch([`link set mv${i} addrgenmode none`, `addr add ${ipOf(i)}/16 dev mv${i}`, `link set mv${i} up`], `ctr${i}`);
}

/** The v2 GID entries of rxeg/1, as `gid netdev` strings. */
function v2Entries(): Set<string> {
  const dir = '/sys/class/infiniband/rxeg/ports/1';
  const out = new Set<string>();
  for (const n of readdirSync(`${dir}/gids`)) {
    let type: string;
    try {
      type = readFileSync(`${dir}/gid_attrs/types/${n}`, 'utf8').trim();
    } catch {
      continue; // an empty slot: EINVAL
    }
    const read = (what: string) => readFileSync(`${dir}/${what}/${n}`, 'utf8').trim();
    if (type === 'RoCE v2') out.add(`${read('gids')} ${read('gid_attrs/ndevs')}`);
  }
  return out;
}

/** Waits (GID events run on ib_core's workqueue) until container i's address has a v2 GID, or the kernel said it could not add one. */
function hasV2(i: number, timeoutMs = 3000): boolean {
  const want = `${gidOf(ipOf(i))} mv${i}`;
  const t0 = Date.now();
  for (;;) {
    if (v2Entries().has(want)) return true;
    if (Date.now() - t0 > timeoutMs) return false;
    sleep(50);
  }
}

/** rdma_cm inside container i over its own address: bind, address and route resolution. */
function rdmaCmWorks(i: number): { ok: boolean; why: string } {
  // stdbuf: when timeout ends a hung connect, rping's buffered debug lines would go with it.
  const r = spawnSync('ip', ['netns', 'exec', `ctr${i}`, 'timeout', '20', 'stdbuf', '-oL', '-eL', 'rping', '-d', '-c', '-I',
    ipOf(i), '-a', PEER, '-C', '1'], { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  if (out.includes('RDMA_CM_EVENT_ROUTE_RESOLVED')) return { ok: true, why: 'address and route resolved' };
  return { ok: false, why: out.split('\n').find((l) => /rdma_resolve_addr|ERROR|error/.test(l))?.trim() ?? 'no resolution' };
}

interface Phase {
  /** Containers whose address got a v2 GID (and, with --rdma-cm, rdma_cm worked), before the first that did not. */
  containers: number;
  /** The first container that did not. */
  failed: { index: number; ip: string; rdmaCm?: string };
  /** What `rdma-ts gid show` listed as stranded in that state. */
  stranded: string[];
}

function strandedNow(): string[] {
  const r = rdmaTs('-j', 'gid', 'show', 'rxeg/1');
  return (JSON.parse(r.stdout) as Array<{ kind: string; ip: string }>).filter((x) => x.kind === 'stranded').map((x) => x.ip);
}

/** Adds containers from `from` until one gets no v2 GID (or rdma_cm fails in it). */
function fill(from: number, table: number, rdmaCm: boolean): Phase {
  for (let i = from; i <= table + 1; i++) {
    addContainer(i);
    const gid = hasV2(i);
    const cm = rdmaCm ? rdmaCmWorks(i) : undefined;
    if (cm && cm.ok !== gid) throw new Error(`container ${i}: v2 GID ${gid} but rdma_cm ${cm.why}`);
    if (!gid) return { containers: i - 1, failed: { index: i, ip: ipOf(i), rdmaCm: cm?.why }, stranded: strandedNow() };
  }
  throw new Error(`${table + 1} containers all got GIDs in a ${table}-slot table`);
}

function setV1(state: 'on' | 'off'): void {
  const r = rdmaTs('link', 'set', 'rxeg/1', 'roce-v1', state);
  if (r.status !== 0) throw new Error(`rdma-ts link set rxeg/1 roce-v1 ${state}: ${r.stderr}`);
}

export interface CapacityResult {
  table: number;
  kernel: string;
  v1v2: Phase;
  /** v1 turned off at run time in the v1v2 phase's full state: the stranded container, then more until full. */
  runtime: Phase & { strandedGotV2: boolean; strandedRdmaCm?: string; total: number };
  v2Before: Phase;
  ratio: number;
}

function measure(table: number, rdmaCm: boolean): CapacityResult {
  freshPort(table);
  const v1v2 = fill(1, table, rdmaCm);
  setV1('off');
  const strandedGotV2 = hasV2(v1v2.failed.index);
  const strandedCm = rdmaCm ? rdmaCmWorks(v1v2.failed.index) : undefined;
  const more = fill(v1v2.failed.index + 1, table, rdmaCm);
  freshPort(table);
  setV1('off');
  const v2Before = fill(1, table, rdmaCm);
  return {
    table, kernel: sh('uname', ['-r']).trim(), v1v2,
    runtime: { ...more, total: more.containers, strandedGotV2, strandedRdmaCm: strandedCm?.why },
    v2Before, ratio: v2Before.containers / v1v2.containers,
  };
}

const args = process.argv.slice(2);
const rdmaCm = args.includes('--rdma-cm');
const results = args.filter((a) => /^\d+$/.test(a)).map((t) => measure(Number(t), rdmaCm));
for (const r of results) console.log(JSON.stringify(r));
console.log('\nContainers per RoCE port (macvlan + one IPv4 address each) until one gets no RoCE v2 GID:');
console.log('GID slots  v1+v2  v2 only (off before)  v2 only (off at run time)  ratio');
for (const r of results) {
  console.log(`${String(r.table).padStart(9)}  ${String(r.v1v2.containers).padStart(5)}  ` +
    `${String(r.v2Before.containers).padStart(20)}  ${String(r.runtime.total).padStart(25)}  ${r.ratio.toFixed(2)}x`);
}
spawnSync('sh', ['-c', 'pkill -x rping; ip -all netns delete'], { stdio: 'ignore' });
