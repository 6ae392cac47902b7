// Out-of-tree RDMA modules for a lab kernel, built from Debian's own
// linux-source with the matching headers and kbuild (all `apt-get download`,
// nothing installed):
//   siw.ko              Soft-iWARP: RDMA_SIW is not set in any Debian amd64 kernel.
//   rdma_rxe_lab.ko     Soft-RoCE that can change network namespace and has per-QP counters (patches below).
//   rdma_rxe_gid.ko     Soft-RoCE with RoCE v1 and v2 GIDs and a GID table length parameter.
// Built once per kernel release, cached, and installed under the extracted
// kernel tree's lib/modules/RELEASE/extra so the guest's modprobe finds them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, copyFileSync, rmSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { Kernel, LAB_CACHE, LabUnavailable, Progress } from './provision.js';

/** A source edit applied to a copy of the driver; `find` must occur exactly once. */
interface Patch {
  file: string;
  find: string;
  replace: string;
}

interface ModuleBuild {
  /** Module (and .ko) name. */
  name: string;
  /** Driver directory in the kernel tree. */
  srcDir: string;
  /** Kconfig symbol the driver's Makefile keys on. */
  config: string;
  patches: Patch[];
}

// rdma_rxe_lab: Soft-RoCE with two things real HCAs have and stock rxe lacks.
//
// 1. Namespace moves. Stock rxe has no disassociate_ucontext op, so ib_core
// answers EOPNOTSUPP to every netns move (core/device.c, rdma_dev_change_netns).
// An empty op is what mlx5 ships: since 5.x the uverbs core itself destroys
// the user objects and zaps the mmaps on disassociation. And rxe unregisters
// its ib_device on NETDEV_UNREGISTER, which a netdev changing namespace also
// sends, so moving the netdev would delete the RDMA device; a real HCA keeps
// its device, and so does this variant while the netdev stays registered
// (reg_state is NETREG_REGISTERED during a namespace change, NETREG_UNREGISTERING
// on a real unregister).
//
// 2. Per-QP counters. ib_core binds QPs to counters (auto mode by type/PID,
// manual bind) only for drivers with the counter_* ops; stock rxe has none, so
// every bind fails with ENOMEM. Here a counter is a copy of the port's
// hw_counters layout, and a QP bound to one counts its packets there instead
// of in the port counters, as a HCA's counter sets do: the kernel adds the
// bound counters back into the port totals (rdma_counter_get_hwstat_value), so
// port figures stay whole. sent_pkts, send_err and rcvd_pkts are counted per QP;
// the other counters stay per port. A QP unbound while it sends could touch a
// freed counter: acceptable in a lab module, not upstream.
const LAB_RXE_PATCHES: Patch[] = [
  {
    file: 'rxe_verbs.c',
    find: 'static const struct ib_device_ops rxe_dev_ops = {\n',
    replace: `/* rdma-ts lab: see src/lab/modules.ts */
static void rxe_lab_disassociate_ucontext(struct ib_ucontext *uctx) {}

static struct rdma_hw_stats *rxe_lab_counter_alloc_stats(struct rdma_counter *counter)
{
\treturn rxe_ib_alloc_hw_port_stats(counter->device, counter->port);
}

/* Bound QPs count straight into counter->stats (rxe_qp_counter_inc). */
static int rxe_lab_counter_update_stats(struct rdma_counter *counter)
{
\treturn 0;
}

static int rxe_lab_counter_dealloc(struct rdma_counter *counter)
{
\treturn 0;
}

static int rxe_lab_counter_bind_qp(struct rdma_counter *counter, struct ib_qp *qp)
{
\tWRITE_ONCE(qp->counter, counter);
\treturn 0;
}

static int rxe_lab_counter_unbind_qp(struct ib_qp *qp)
{
\tWRITE_ONCE(qp->counter, NULL);
\treturn 0;
}

static const struct ib_device_ops rxe_dev_ops = {
\t.disassociate_ucontext = rxe_lab_disassociate_ucontext,
\t.counter_alloc_stats = rxe_lab_counter_alloc_stats,
\t.counter_update_stats = rxe_lab_counter_update_stats,
\t.counter_dealloc = rxe_lab_counter_dealloc,
\t.counter_bind_qp = rxe_lab_counter_bind_qp,
\t.counter_unbind_qp = rxe_lab_counter_unbind_qp,
`,
  },
  {
    file: 'rxe_verbs.h',
    find: 'static inline void rxe_counter_inc(struct rxe_dev *rxe, enum rxe_counters ' +
      'index)\n{\n\tatomic64_inc(&rxe->stats_counters[index]);\n}\n',
    replace: `static inline void rxe_counter_inc(struct rxe_dev *rxe, enum rxe_counters index)
{
\tatomic64_inc(&rxe->stats_counters[index]);
}

/* rdma-ts lab: a QP bound to a counter counts there instead of in the port's counters. */
static inline void rxe_qp_counter_inc(struct rxe_dev *rxe, struct rxe_qp *qp, enum rxe_counters index)
{
\tstruct rdma_counter *counter = qp ? READ_ONCE(qp->ibqp.counter) : NULL;

\tif (counter && counter->stats)
\t\tatomic64_inc((atomic64_t *)&counter->stats->value[index]);
\telse
\t\tatomic64_inc(&rxe->stats_counters[index]);
}
`,
  },
  { file: 'rxe_net.c', find: '\trxe_counter_inc(rxe, RXE_CNT_SENT_PKTS);\n',
    replace: '\trxe_qp_counter_inc(rxe, qp, RXE_CNT_SENT_PKTS);\n' },
  { file: 'rxe_net.c', find: '\t\trxe_counter_inc(rxe, RXE_CNT_SEND_ERR);\n',
    replace: '\t\trxe_qp_counter_inc(rxe, qp, RXE_CNT_SEND_ERR);\n' },
  { file: 'rxe_recv.c', find: '\trxe_counter_inc(rxe, RXE_CNT_RCVD_PKTS);\n',
    replace: '\trxe_qp_counter_inc(rxe, pkt->qp, RXE_CNT_RCVD_PKTS);\n' },
  {
    file: 'rxe_net.c',
    find: '\tcase NETDEV_UNREGISTER:\n\t\tib_unregister_device_queued(&rxe->ib_dev);\n',
    replace: '\tcase NETDEV_UNREGISTER:\n\t\tif (ndev->reg_state == NETREG_REGISTERED) /* rdma-ts lab: netns move */\n\t\t\tbreak;\n'
      + '\t\tib_unregister_device_queued(&rxe->ib_dev);\n',
  },
  { file: 'Makefile', find: 'obj-$(CONFIG_RDMA_RXE) += rdma_rxe.o\n\nrdma_rxe-y',
    replace: 'obj-$(CONFIG_RDMA_RXE) += rdma_rxe_lab.o\n\nrdma_rxe_lab-y' },
];

// rdma_rxe_gid: Soft-RoCE with a GID table like a ConnectX port's, for the
// GID capacity scenario (docs/gids.md). Stock rxe advertises RoCE v2 only and
// 1024 GID slots, so it never shows the v1/v2 doubling or a full table. This
// variant advertises v1 and v2, as mlx5 and bnxt_re do, so ib_core adds two
// entries per IP (v1 traffic itself is refused by rxe_av.c; rdma_cm uses v2),
// and takes its table length as a parameter: gid_tbl_len (default 16).
// It shifts every GID index (0 and 1 are the v1 and v2 default GIDs), so it
// is a separate module: the other scenarios' `-g 1` stays the IPv4 v2 GID.
const GID_RXE_PATCHES: Patch[] = [
  {
    file: 'rxe_verbs.c',
    find: 'immutable->core_cap_flags = RDMA_CORE_PORT_IBA_ROCE_UDP_ENCAP;',
    replace: 'immutable->core_cap_flags = RDMA_CORE_PORT_IBA_ROCE | RDMA_CORE_PORT_IBA_ROCE_UDP_ENCAP; /* rdma-ts lab: v1 too */',
  },
  {
    file: 'rxe.c',
    find: 'MODULE_LICENSE("Dual BSD/GPL");\n',
    replace: `MODULE_LICENSE("Dual BSD/GPL");

/* rdma-ts lab: the GID table length, read when a link is added (src/lab/modules.ts). */
static unsigned int gid_tbl_len = 16;
module_param(gid_tbl_len, uint, 0444);
MODULE_PARM_DESC(gid_tbl_len, "GID table length of new rxe links, 2 to 1024 (default 16)");
`,
  },
  {
    file: 'rxe.c',
    find: 'port->attr.gid_tbl_len\t\t= RXE_PORT_GID_TBL_LEN;',
    replace: 'port->attr.gid_tbl_len\t\t= clamp_val(gid_tbl_len, 2, RXE_PORT_GID_TBL_LEN);',
  },
  { file: 'Makefile', find: 'obj-$(CONFIG_RDMA_RXE) += rdma_rxe.o\n\nrdma_rxe-y',
    replace: 'obj-$(CONFIG_RDMA_RXE) += rdma_rxe_gid.o\n\nrdma_rxe_gid-y' },
];

export const LAB_MODULES: ModuleBuild[] = [
  { name: 'siw', srcDir: 'drivers/infiniband/sw/siw', config: 'CONFIG_RDMA_SIW', patches: [] },
  { name: 'rdma_rxe_lab', srcDir: 'drivers/infiniband/sw/rxe', config: 'CONFIG_RDMA_RXE', patches: LAB_RXE_PATCHES },
  { name: 'rdma_rxe_gid', srcDir: 'drivers/infiniband/sw/rxe', config: 'CONFIG_RDMA_RXE', patches: GID_RXE_PATCHES },
];

function run(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new LabUnavailable(`${cmd} ${args.join(' ')} failed:\n${(err.stdout ?? '').slice(-2000)}${(err.stderr ?? '').slice(-2000)}`);
  }
}

export function applyPatch(dir: string, p: Patch): void {
  const path = join(dir, p.file);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(p.find);
  if (at < 0 || text.indexOf(p.find, at + 1) >= 0) {
    throw new LabUnavailable(`lab module patch no longer applies to ${path}: expected exactly one ${JSON.stringify(p.find.slice(0, 60))}`);
  }
  writeFileSync(path, text.replace(p.find, p.replace));
}

function downloadDeb(pkg: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const name = pkg.replace(/=.*/, '');
  let deb = readdirSync(dir).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  if (!deb) {
    run('apt-get', ['download', pkg], dir);
    deb = readdirSync(dir).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  }
  if (!deb) throw new LabUnavailable(`apt-get download ${pkg} left no .deb`);
  return join(dir, deb);
}

/** Names the module set: a changed patch is a different build, never a stale cached one. */
const BUILD_KEY = createHash('sha256').update(JSON.stringify(LAB_MODULES)).digest('hex').slice(0, 12);

/** Builds (once per patch set) and installs the lab modules into `k`'s extracted tree. */
export function ensureModules(k: Kernel, progress: Progress): void {
  const modDir = join(k.dir, 'lib/modules', k.release);
  const extra = join(modDir, 'extra');
  const stamp = join(extra, '.rdma-ts-build');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === BUILD_KEY) return;
  const cache = join(LAB_CACHE, 'modules', k.release, BUILD_KEY);
  if (!LAB_MODULES.every((m) => existsSync(join(cache, `${m.name}.ko`)))) buildModules(k, cache, progress);
  rmSync(extra, { recursive: true, force: true });
  mkdirSync(extra, { recursive: true });
  for (const m of LAB_MODULES) copyFileSync(join(cache, `${m.name}.ko`), join(extra, `${m.name}.ko`));
  run('depmod', ['-b', k.dir, k.release]);
  writeFileSync(stamp, BUILD_KEY);
}

/** Headers, kbuild and the kernel's own linux-source, extracted into a work directory to build modules against. */
interface BuildTree {
  work: string;
  /** The configured headers tree (make -C). */
  hdrs: string;
  /** The extracted source tree root (only `srcDirs` are in it). */
  src: string;
}

/** Downloaded .debs are kept here: a rebuild with a changed patch does not fetch them again. */
const DEB_CACHE = join(LAB_CACHE, 'debs-build');

function prepareBuildTree(k: Kernel, progress: Progress, what: string, srcDirs: string[]): BuildTree {
  // Kbuild cannot build in a directory whose path has spaces (make splits M= and its includes on
  // them), and RDMA_TS_LAB_CACHE may have some: the tree lives in a temporary directory of its own.
  const work = mkdtempSync(join(tmpdir(), `rdma-ts-kbuild-${k.release}-`));
  const root = join(work, 'root');
  mkdirSync(root, { recursive: true });
  progress(`${k.release}: headers, kbuild and linux-source-${k.series} to build ${what}`);
  const headersDeb = downloadDeb(`linux-headers-${k.release}`, DEB_CACHE);
  const field = (deb: string, f: string) => run('dpkg-deb', ['-f', deb, f]).trim();
  const version = field(headersDeb, 'Version');
  const depends = field(headersDeb, 'Depends');
  const dep = (re: RegExp) => {
    const m = depends.match(re);
    if (!m) throw new LabUnavailable(`linux-headers-${k.release} does not depend on ${re}: ${depends}`);
    return m[0];
  };
  const debsToExtract = [headersDeb, downloadDeb(dep(/linux-headers-[^ ,]+-common/), DEB_CACHE), downloadDeb(dep(/linux-kbuild-[^ ,]+/),
    DEB_CACHE)];
  for (const d of debsToExtract) run('dpkg', ['-x', d, root]);
  const hdrs = join(root, 'usr/src', `linux-headers-${k.release}`);
  // The arch headers' Makefile includes the common headers by absolute /usr/src path.
  const mk = join(hdrs, 'Makefile');
  writeFileSync(mk, readFileSync(mk, 'utf8').replace(/include \/usr\/src\//g, `include ${root}/usr/src/`));

  // The source must be the kernel's own version, or symbol versions may not match.
  const srcDeb = downloadDeb(`linux-source-${k.series}=${version}`, DEB_CACHE);
  progress(`${k.release}: extracting ${srcDirs.join(', ')} from ${srcDeb.split('/').pop()}`);
  const top = `linux-source-${k.series}`;
  // A pipeline, so sh; the paths go in as its arguments, never into the script's text.
  run('sh', ['-c', 'deb=$1 top=$2 work=$3; shift 3; dpkg --fsys-tarfile "$deb" | tar -xO "./usr/src/$top.tar.xz" | tar -xJ -C "$work" "$@"',
    'sh', srcDeb, top, work, ...[...new Set(srcDirs)].map((d) => `${top}/${d}`)]);
  return { work, hdrs, src: join(work, top) };
}

/** make modules for the Kbuild in `dir`; the .ko stripped into `out`. */
function makeModule(t: BuildTree, dir: string, name: string, vars: string[], out: string): void {
  // No BTF: 6.12's headers ship vmlinux, and BTF for modules wants pahole; the lab has no use for it.
  run('make', ['-C', t.hdrs, `M=${dir}`, ...vars, 'CONFIG_DEBUG_INFO_BTF_MODULES=', `-j${Math.max(1, cpus().length)}`, 'modules']);
  run('strip', ['--strip-debug', '-o', out, join(dir, `${name}.ko`)]);
}

function buildModules(k: Kernel, cache: string, progress: Progress): void {
  const t0 = Date.now();
  const t = prepareBuildTree(k, progress, LAB_MODULES.map((m) => m.name).join(', '), LAB_MODULES.map((m) => m.srcDir));
  mkdirSync(cache, { recursive: true });
  for (const m of LAB_MODULES) {
    const dir = join(t.work, m.name);
    run('cp', ['-r', join(t.src, m.srcDir), dir]);
    for (const p of m.patches) applyPatch(dir, p);
    progress(`${k.release}: building ${m.name}.ko`);
    makeModule(t, dir, m.name, [`${m.config}=m`], join(cache, `${m.name}.ko`));
  }
  rmSync(t.work, { recursive: true, force: true });
  progress(`${k.release}: built ${LAB_MODULES.map((m) => m.name).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** rdma-ts's kernel proposals: kernel/NAME/SERIES/*.patch, a series for ib_core (git format-patch, -p1 from the tree root). */
export const KERNEL_PATCHES = ['roce-gid-types'];

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function patchFiles(name: string, series: string): string[] {
  const dir = join(PROJECT_ROOT, 'kernel', name, series);
  if (!existsSync(dir)) throw new LabUnavailable(`kernel patch ${name} has no series for Linux ${series} (${dir})`);
  return readdirSync(dir).filter((f) => f.endsWith('.patch')).sort().map((f) => join(dir, f));
}

/** The ib_core exports whose CRC (or presence) differs between the stock and the rebuilt Module.symvers. */
function crcChanges(stockSymvers: string, builtSymvers: string): string[] {
  const crcs = (file: string, owner?: string) => new Map(readFileSync(file, 'utf8').split('\n').map((l) => l.split('\t'))
    .filter((f) => f.length >= 3 && (!owner || f[2].endsWith(owner))).map((f) => [f[1], f[0]]));
  const stock = crcs(stockSymvers, 'drivers/infiniband/core/ib_core');
  const built = crcs(builtSymvers);
  return [...stock].filter(([sym, crc]) => built.get(sym) !== crc).map(([sym]) => sym);
}

/**
 * ib_core rebuilt with kernel patch `name`, installed in a copy of `k`'s tree
 * (hard links: cp -al) under lib/modules/RELEASE/updates, which depmod ranks
 * before kernel/: every other module stays stock and loads against it, as
 * the patch keeps ib_core's export CRCs (checked offline with depmod -e).
 * Returns the patched tree as a Kernel to boot.
 */
export function ensurePatchedCore(k: Kernel, name: string, progress: Progress): Kernel {
  if (!KERNEL_PATCHES.includes(name)) throw new LabUnavailable(`unknown kernel patch ${JSON.stringify(name)} (known: ` +
    `${KERNEL_PATCHES.join(', ')})`);
  const patches = patchFiles(name, k.series);
  const key = createHash('sha256').update(BUILD_KEY).update(patches.map((p) => readFileSync(p,
    'utf8')).join('\0')).digest('hex').slice(0, 12);
  const dir = `${k.dir}+${name}`;
  const stamp = join(dir, '.rdma-ts-build');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return { ...k, dir };
  const ko = join(LAB_CACHE, 'modules', k.release, `${name}-${key}`, 'ib_core.ko');
  if (!existsSync(ko)) {
    const t0 = Date.now();
    const t = prepareBuildTree(k, progress, `ib_core with ${name}`, ['drivers/infiniband/core', 'include/uapi/rdma', 'include/rdma']);
    for (const p of patches) run('patch', ['-p1', '-s', '-d', t.src, '-i', p]);
    const core = join(t.src, 'drivers/infiniband/core');
    // ib_core alone: the directory's Makefile builds seven modules (cm_trace wants a full tree).
    const mk = readFileSync(join(core, 'Makefile'), 'utf8');
    let keep = false;
    const lists = mk.split('\n').filter((l) => (keep = /^ib_core-/.test(l) || (keep && l.startsWith('\t'))));
    writeFileSync(join(core, 'Makefile'), `# rdma-ts lab: ib_core alone (src/lab/modules.ts)\nobj-m := ib_core.o\n${lists.join('\n')}\n`);
    progress(`${k.release}: building ib_core.ko with ${patches.length} patches of ${name}`);
    mkdirSync(dirname(ko), { recursive: true });
    // The patched uAPI header (include/uapi/rdma) must win over the headers package's.
    makeModule(t, core, 'ib_core', [`NOSTDINC_FLAGS=-I${join(t.src, 'include')}`], ko);
    const changed = crcChanges(join(t.hdrs, 'Module.symvers'), join(core, 'Module.symvers'));
    if (changed.length) {
      rmSync(ko);
      throw new LabUnavailable(`${name} changes the symbol versions (CRCs) of ib_core exports, so stock modules would not load: ` +
        `${changed.slice(0, 10).join(', ')}`);
    }
    rmSync(t.work, { recursive: true, force: true });
    progress(`${k.release}: built ib_core.ko (${name}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  rmSync(dir, { recursive: true, force: true });
  run('cp', ['-al', k.dir, dir]);
  const updates = join(dir, 'lib/modules', k.release, 'updates');
  mkdirSync(updates, { recursive: true });
  copyFileSync(ko, join(updates, 'ib_core.ko'));
  // depmod writes its indexes through temporary files and rename(): the stock tree's links stay as they were.
  run('depmod', ['-b', dir, k.release]);
  writeFileSync(stamp, key);
  return { ...k, dir };
}

