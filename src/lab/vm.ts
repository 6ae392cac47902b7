// Boots a lab kernel under QEMU (TCG: no /dev/kvm here) with the host root
// shared read-only over 9p, runs one guest script, and collects its exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kernel, Progress } from './provision.js';
import { shellQuote, qemuValue } from './quote.js';

export interface BootResult {
  rc: number;
  workDir: string;
  bootMs: number;
  totalMs: number;
  console: string;
}

/** This checkout (dist/src/lab/vm.js is three levels down): the guest sees it at the same path. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The guest's modprobe (module autoloading from the extracted kernel tree: the host has no
 * /lib/modules for it) and rdma-ts, written by the host into the work share: the paths are
 * quoted once here, for any checkout or RDMA_TS_LAB_CACHE path (spaces, quotes, commas).
 */
const WRAPPERS = (k: Kernel, modprobeConf?: string): Record<string, string> => ({
  'bin/modprobe': `#!/bin/sh\nexec /sbin/modprobe -d ${shellQuote(k.dir)}${modprobeConf === undefined ? '' : ' -C /tmp/lab-modprobe.d'}` +
    ' "$@"\n',
  'bin/rdma-ts': `#!/bin/sh\nexec node ${shellQuote(join(PROJECT_ROOT, 'bin/rdma-ts.js'))} "$@"\n`,
});

const PRELUDE = (modprobeConf?: string) => `#!/bin/sh
# Guest prelude: PATH, module autoloading, rdma-ts on PATH, loopback up.
export PATH=/tmp/lab-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp
W=/tmp/lab-work
mkdir -p /tmp/lab-bin
${modprobeConf === undefined ? '' : `mkdir -p /tmp/lab-modprobe.d
cat > /tmp/lab-modprobe.d/rdma-ts-lab.conf <<'LABCONF'
${modprobeConf}LABCONF
`}cp "$W/bin/modprobe" "$W/bin/rdma-ts" /tmp/lab-bin/
chmod +x /tmp/lab-bin/modprobe /tmp/lab-bin/rdma-ts
echo /tmp/lab-bin/modprobe > /proc/sys/kernel/modprobe
# The guest mounts a fresh tmpfs on /tmp and /run: a checkout there comes in as its own share.
P=${shellQuote(PROJECT_ROOT)}
[ -e "$P/package.json" ] ||
  { mkdir -p "$P" && mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro,cache=loose project "$P"; } ||
  echo "lab: cannot mount the project at $P"
ip link set lo up
# Terminals (tmux, script) need devpts; cgroup v2 for container attribution and the rdma controller.
mkdir -p /dev/pts && mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
echo "lab: guest up after $(cut -d' ' -f1 /proc/uptime)s" > /dev/console
`;

const EPILOGUE = `
rc=$?
echo "$rc" > "$W/rc"
sync
/bin/busybox poweroff -f
`;

export interface BootOptions {
  timeoutMs?: number;
  /** Streams the guest console (stderr of the caller) while it runs. */
  echo?: boolean;
  progress?: Progress;
  /** Extra files for the work share ($W in the guest), by name. */
  files?: Record<string, string>;
  /** Attach the guest console to this process's terminal (for a shell); nothing is captured. */
  interactive?: boolean;
  /** Called once QEMU runs, with the host side of the work share. */
  onStart?: (workDir: string) => void;
  /** modprobe.d lines for the guest (aliases, module options); the host's /etc/modprobe.d is not used then. */
  modprobeConf?: string;
}

export function boot(k: Kernel, initramfs: string, script: string, opts: BootOptions = {}): Promise<BootResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'rdma-ts-lab-'));
  writeFileSync(join(workDir, 'guest.sh'), PRELUDE(opts.modprobeConf) + script + EPILOGUE, { mode: 0o755 });
  mkdirSync(join(workDir, 'bin'));
  for (const [name, text] of Object.entries({ ...WRAPPERS(k, opts.modprobeConf), ...opts.files })) {
    writeFileSync(join(workDir, name), text, { mode: 0o755 });
  }
  const args = [
    '-accel', 'tcg', '-cpu', 'qemu64', '-m', '2G', '-smp', '1', '-nographic', '-no-reboot', '-nic', 'none',
    ...(existsSync('/usr/share/qemu/qboot.rom') ? ['-bios', '/usr/share/qemu/qboot.rom'] : []),
    '-kernel', k.vmlinuz, '-initrd', initramfs, '-append', 'console=ttyS0 panic=-1 quiet',
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    '-virtfs', `local,path=${qemuValue(workDir)},mount_tag=work,security_model=none,multidevs=remap`,
    '-virtfs', `local,path=${qemuValue(PROJECT_ROOT)},mount_tag=project,security_model=none,readonly=on,multidevs=remap`,
  ];
  const t0 = Date.now();
  let bootMs = 0;
  const log = createWriteStream(join(workDir, 'console.log'));
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-x86_64', args, { stdio: opts.interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    opts.onStart?.(workDir);
    const timer = setTimeout(() => {
      q.kill('SIGKILL');
      reject(new Error(`lab guest did not finish within ${(opts.timeoutMs ?? 900000) / 1000} s (console: ` +
        `${join(workDir, 'console.log')})`));
    }, opts.timeoutMs ?? 900000);
    // Guest lines starting "lab: " are progress (scenario setup, timings): pass them on.
    let partial = '';
    const onData = (d: Buffer) => {
      log.write(d);
      if (opts.echo) process.stderr.write(d);
      const lines = (partial + d.toString()).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('lab: ')) continue;
        if (!bootMs && line.startsWith('lab: guest up')) {
          bootMs = Date.now() - t0;
          opts.progress?.(`guest booted in ${(bootMs / 1000).toFixed(1)} s`);
        } else if (bootMs) opts.progress?.(`guest: ${line.slice(5)}`);
      }
    };
    q.stdout?.on('data', onData);
    q.stderr?.on('data', onData);
    q.on('error', (e) => { clearTimeout(timer); reject(e); });
    q.on('close', () => {
      clearTimeout(timer);
      log.end();
      const rcFile = join(workDir, 'rc');
      const rc = existsSync(rcFile) ? Number(readFileSync(rcFile, 'utf8').trim()) : 255;
      resolve({ rc, workDir, bootMs, totalMs: Date.now() - t0, console: join(workDir, 'console.log') });
    });
  });
}
