// Out-of-tree RDMA modules for a lab kernel, built from Debian's own
// linux-source with the matching headers and kbuild (all `apt-get download`,
// nothing installed):
//   siw.ko              Soft-iWARP: RDMA_SIW is not set in any Debian amd64 kernel.
//   rdma_rxe_movable.ko Soft-RoCE that can change network namespace (patches below).
// Built once per kernel release, cached, and installed under the extracted
// kernel tree's lib/modules/RELEASE/extra so the guest's modprobe finds them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
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

// Stock rxe has no disassociate_ucontext op, so ib_core answers EOPNOTSUPP to
// every netns move (drivers/infiniband/core/device.c, rdma_dev_change_netns).
// An empty op is what mlx5 ships: since 5.x the uverbs core itself destroys
// the user objects and zaps the mmaps on disassociation.
// Second, rxe unregisters its ib_device on NETDEV_UNREGISTER, and a netdev
// changing namespace sends that event too, so moving the netdev would delete
// the RDMA device. A real HCA keeps its device; so does this variant while
// the netdev stays registered (reg_state is still NETREG_REGISTERED during a
// namespace change, NETREG_UNREGISTERING on a real unregister).
const MOVABLE_RXE_PATCHES: Patch[] = [
  {
    file: 'rxe_verbs.c',
    find: 'static const struct ib_device_ops rxe_dev_ops = {\n',
    replace: '/* rdma-ts lab: see src/lab/modules.ts */\nstatic void rxe_lab_disassociate_ucontext(struct ib_ucontext *uctx) {}\n\n'
      + 'static const struct ib_device_ops rxe_dev_ops = {\n\t.disassociate_ucontext = rxe_lab_disassociate_ucontext,\n',
  },
  {
    file: 'rxe_net.c',
    find: '\tcase NETDEV_UNREGISTER:\n\t\tib_unregister_device_queued(&rxe->ib_dev);\n',
    replace: '\tcase NETDEV_UNREGISTER:\n\t\tif (ndev->reg_state == NETREG_REGISTERED) /* rdma-ts lab: netns move */\n\t\t\tbreak;\n'
      + '\t\tib_unregister_device_queued(&rxe->ib_dev);\n',
  },
  { file: 'Makefile', find: 'obj-$(CONFIG_RDMA_RXE) += rdma_rxe.o\n\nrdma_rxe-y', replace: 'obj-$(CONFIG_RDMA_RXE) += rdma_rxe_movable.o\n\nrdma_rxe_movable-y' },
];

export const LAB_MODULES: ModuleBuild[] = [
  { name: 'siw', srcDir: 'drivers/infiniband/sw/siw', config: 'CONFIG_RDMA_SIW', patches: [] },
  { name: 'rdma_rxe_movable', srcDir: 'drivers/infiniband/sw/rxe', config: 'CONFIG_RDMA_RXE', patches: MOVABLE_RXE_PATCHES },
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

/** Builds (once) and installs the lab modules into `k`'s extracted tree. */
export function ensureModules(k: Kernel, progress: Progress): void {
  const modDir = join(k.dir, 'lib/modules', k.release);
  const extra = join(modDir, 'extra');
  if (LAB_MODULES.every((m) => existsSync(join(extra, `${m.name}.ko`)))) return;
  const cache = join(LAB_CACHE, 'modules', k.release);
  if (!LAB_MODULES.every((m) => existsSync(join(cache, `${m.name}.ko`)))) buildModules(k, cache, progress);
  mkdirSync(extra, { recursive: true });
  for (const m of LAB_MODULES) copyFileSync(join(cache, `${m.name}.ko`), join(extra, `${m.name}.ko`));
  run('depmod', ['-b', k.dir, k.release]);
}

function buildModules(k: Kernel, cache: string, progress: Progress): void {
  const t0 = Date.now();
  const work = join(LAB_CACHE, 'build', k.release);
  rmSync(work, { recursive: true, force: true });
  const debs = join(work, 'debs');
  const root = join(work, 'root');
  mkdirSync(root, { recursive: true });
  progress(`${k.release}: downloading headers, kbuild and linux-source-${k.series} to build siw and movable rxe`);
  const headersDeb = downloadDeb(`linux-headers-${k.release}`, debs);
  const field = (deb: string, f: string) => run('dpkg-deb', ['-f', deb, f]).trim();
  const version = field(headersDeb, 'Version');
  const depends = field(headersDeb, 'Depends');
  const dep = (re: RegExp) => {
    const m = depends.match(re);
    if (!m) throw new LabUnavailable(`linux-headers-${k.release} does not depend on ${re}: ${depends}`);
    return m[0];
  };
  const debsToExtract = [headersDeb, downloadDeb(dep(/linux-headers-[^ ,]+-common/), debs), downloadDeb(dep(/linux-kbuild-[^ ,]+/), debs)];
  for (const d of debsToExtract) run('dpkg', ['-x', d, root]);
  const hdrs = join(root, 'usr/src', `linux-headers-${k.release}`);
  // The arch headers' Makefile includes the common headers by absolute /usr/src path.
  const mk = join(hdrs, 'Makefile');
  writeFileSync(mk, readFileSync(mk, 'utf8').replace(/include \/usr\/src\//g, `include ${root}/usr/src/`));

  // The source must be the kernel's own version, or symbol versions may not match.
  const srcDeb = downloadDeb(`linux-source-${k.series}=${version}`, debs);
  progress(`${k.release}: extracting the RDMA drivers from ${srcDeb.split('/').pop()}`);
  const top = `linux-source-${k.series}`;
  run('sh', ['-c', `dpkg --fsys-tarfile '${srcDeb}' | tar -xO './usr/src/${top}.tar.xz' | tar -xJ -C '${work}' ${LAB_MODULES.map((m) => `'${top}/${m.srcDir}'`).join(' ')}`]);

  mkdirSync(cache, { recursive: true });
  for (const m of LAB_MODULES) {
    const dir = join(work, m.name);
    run('cp', ['-r', join(work, top, m.srcDir), dir]);
    for (const p of m.patches) applyPatch(dir, p);
    progress(`${k.release}: building ${m.name}.ko`);
    // No BTF: 6.12's headers ship vmlinux, and BTF for modules wants pahole; the lab has no use for it.
    run('make', ['-C', hdrs, `M=${dir}`, `${m.config}=m`, 'CONFIG_DEBUG_INFO_BTF_MODULES=', `-j${Math.max(1, cpus().length)}`, 'modules']);
    run('strip', ['--strip-debug', '-o', join(cache, `${m.name}.ko`), join(dir, `${m.name}.ko`)]);
  }
  rmSync(work, { recursive: true, force: true });
  progress(`${k.release}: built ${LAB_MODULES.map((m) => m.name).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
