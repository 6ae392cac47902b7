// Kernel lab provisioning: Debian packages, a stock Debian kernel (not
// installed, just extracted), and a tiny initramfs that mounts the host root
// over 9p. Everything is cached under LAB_CACHE, keyed on the versions used.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readdirSync, copyFileSync, chmodSync, rmSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_CACHE = process.env.RDMA_TS_LAB_CACHE ?? '/var/tmp/rdma-ts-lab';
export const HOST_PACKAGES = ['qemu-system-x86', 'busybox-static', 'kmod', 'cpio', 'rdma-core', 'ibverbs-utils',
  'rdmacm-utils', 'perftest', 'ibverbs-providers', 'iproute2',
  // building siw and the movable rxe out of tree (src/lab/modules.ts)
  'gcc', 'make', 'libc6-dev', 'xz-utils', 'patch'];

export type Progress = (msg: string) => void;

export class LabUnavailable extends Error {}

function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
}

export function ensurePackages(progress: Progress): void {
  const missing = HOST_PACKAGES.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p],
    { encoding: 'utf8' }).stdout !== 'install ok installed');
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new LabUnavailable(`the lab needs these packages and root to install them: ${missing.join(' ')}`);
  progress(`installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { env, stdio: 'ignore' });
  if (update.status !== 0 || install.status !== 0) throw new LabUnavailable(`apt-get install ${missing.join(' ')} failed`);
}

export interface Kernel {
  series: string;
  release: string; // e.g. 6.1.0-56-amd64
  dir: string; // extracted package root (lib/modules/RELEASE inside)
  vmlinuz: string;
}

/** The newest stock (not rt/cloud) Debian kernel image of a series, e.g. 6.1 -> linux-image-6.1.0-56-amd64-unsigned. */
export function resolveKernelPackage(series: string): string {
  if (process.env.RDMA_TS_LAB_KERNEL_PKG) return process.env.RDMA_TS_LAB_KERNEL_PKG;
  // `6.1` must not match 6.12: the series is followed by a dot and a digit.
  const out = sh('apt-cache', ['search', '--names-only', `^linux-image-${series.replace('.', '\\.')}\\.[0-9][.0-9+a-z-]*-amd64-unsigned$`]);
  const names = out.split('\n').map((l) => l.split(' ')[0]).filter((n) => n && !/-(rt|cloud)-amd64/.test(n));
  if (!names.length) throw new LabUnavailable(`no Debian kernel package for ${series} (apt-get update?)`);
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop()!;
}

export function ensureKernel(series: string, progress: Progress): Kernel {
  const pkg = resolveKernelPackage(series);
  const release = pkg.replace(/^linux-image-/, '').replace(/-unsigned$/, '');
  const dir = join(LAB_CACHE, 'kernels', release);
  const vmlinuz = join(dir, 'boot', `vmlinuz-${release}`);
  if (!existsSync(join(dir, 'lib/modules', release, 'modules.dep'))) {
    mkdirSync(dir, { recursive: true });
    progress(`downloading ${pkg}`);
    const dl = join(LAB_CACHE, 'debs');
    mkdirSync(dl, { recursive: true });
    sh('apt-get', ['download', pkg], dl);
    const deb = readdirSync(dl).find((f) => f.startsWith(`${pkg}_`));
    if (!deb) throw new LabUnavailable(`apt-get download ${pkg} left no .deb`);
    progress(`extracting ${deb}`);
    sh('dpkg', ['-x', join(dl, deb), dir]);
    sh('depmod', ['-b', dir, release]);
  }
  return { series, release, dir, vmlinuz };
}

const INIT = `#!/bin/busybox sh
# rdma-ts lab initramfs: load virtio+9p, mount the host root read-only, the
# work share read-write, then run the scenario script from the share.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /modules.order); do insmod /mod/$m 2>/dev/null; done
mkdir -p /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro,cache=loose hostroot /newroot ||
  { echo "lab: cannot mount host root"; poweroff -f; }
mount -t tmpfs tmpfs /newroot/tmp
mount -t tmpfs tmpfs /newroot/run
mkdir -p /newroot/tmp/lab-work
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 work /newroot/tmp/lab-work ||
  { echo "lab: cannot mount work share"; poweroff -f; }
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /bin/sh /tmp/lab-work/guest.sh
`;

/** An initramfs with busybox and the virtio/9p modules of `k`, cached per kernel release. */
export function ensureInitramfs(k: Kernel, progress: Progress): string {
  const out = join(LAB_CACHE, 'initramfs', `${k.release}.cpio.gz`);
  if (existsSync(out)) return out;
  progress(`building initramfs for ${k.release}`);
  const root = join(LAB_CACHE, 'initramfs', `${k.release}.d`);
  rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'mod', 'proc', 'sys', 'dev', 'newroot']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  const deps = sh('modprobe', ['-d', k.dir, '-S', k.release, '--show-depends', '-a', 'virtio_pci', '9pnet_virtio', '9p'])
    // `insmod PATH [OPTIONS]`: the path may have spaces (RDMA_TS_LAB_CACHE), and ends with .ko[.xz|.zst].
    .split('\n').map((l) => /^insmod (.*?\.ko(?:\.xz|\.zst)?)(?: |$)/.exec(l)?.[1]).filter((p): p is string => !!p);
  const order: string[] = [];
  for (const path of deps) {
    const name = path.split('/').pop()!;
    if (order.includes(name)) continue;
    // busybox insmod takes plain .ko only; 6.12 ships .ko.xz.
    const plain = name.replace(/\.(xz|zst)$/, '');
    if (path.endsWith('.xz')) writeFileSync(join(root, 'mod', plain), execFileSync('xz', ['-dc', path], { maxBuffer: 1 << 28 }));
    else if (path.endsWith('.zst')) writeFileSync(join(root, 'mod', plain), execFileSync('zstd', ['-dcq', path], { maxBuffer: 1 << 28 }));
    else copyFileSync(path, join(root, 'mod', plain));
    order.push(plain);
  }
  writeFileSync(join(root, 'modules.order'), order.join('\n') + '\n');
  writeFileSync(join(root, 'init'), INIT, { mode: 0o755 });
  mkdirSync(join(LAB_CACHE, 'initramfs'), { recursive: true });
  // A pipeline, so sh; the output path goes in as $1, never into the script's text.
  execFileSync('sh', ['-c', 'find . | cpio -o -H newc --quiet | gzip -1 > "$1"', 'sh', `${out}.tmp`], { cwd: root });
  renameSync(`${out}.tmp`, out);
  return out;
}

export interface ProvisionedLab {
  kernel: Kernel;
  initramfs: string;
  ms: number;
}
