// Boots a lab kernel under QEMU (TCG: no /dev/kvm here) with the host root
// shared read-only over 9p, runs one guest script, and collects its exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kernel, Progress } from './provision.js';

export interface BootResult {
  rc: number;
  workDir: string;
  bootMs: number;
  totalMs: number;
  console: string;
}

const PRELUDE = (k: Kernel) => `#!/bin/sh
# Guest prelude: PATH, module autoloading from the extracted kernel tree
# (the host has no /lib/modules for it), loopback up.
export PATH=/tmp/lab-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp
W=/tmp/lab-work
mkdir -p /tmp/lab-bin
printf '#!/bin/sh\\nexec /sbin/modprobe -d ${k.dir} "$@"\\n' > /tmp/lab-bin/modprobe
chmod +x /tmp/lab-bin/modprobe
echo /tmp/lab-bin/modprobe > /proc/sys/kernel/modprobe
ip link set lo up
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
}

export function boot(k: Kernel, initramfs: string, script: string, opts: BootOptions = {}): Promise<BootResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'rdma-ts-lab-'));
  writeFileSync(join(workDir, 'guest.sh'), PRELUDE(k) + script + EPILOGUE, { mode: 0o755 });
  const args = [
    '-accel', 'tcg', '-cpu', 'qemu64', '-m', '2G', '-smp', '1', '-nographic', '-no-reboot', '-nic', 'none',
    ...(existsSync('/usr/share/qemu/qboot.rom') ? ['-bios', '/usr/share/qemu/qboot.rom'] : []),
    '-kernel', k.vmlinuz, '-initrd', initramfs, '-append', 'console=ttyS0 panic=-1 quiet',
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    '-virtfs', `local,path=${workDir},mount_tag=work,security_model=none,multidevs=remap`,
  ];
  const t0 = Date.now();
  let bootMs = 0;
  const log = createWriteStream(join(workDir, 'console.log'));
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      q.kill('SIGKILL');
      reject(new Error(`lab guest did not finish within ${(opts.timeoutMs ?? 900000) / 1000} s (console: ${join(workDir, 'console.log')})`));
    }, opts.timeoutMs ?? 900000);
    const onData = (d: Buffer) => {
      log.write(d);
      const s = d.toString();
      if (!bootMs && s.includes('lab: guest up')) {
        bootMs = Date.now() - t0;
        opts.progress?.(`guest booted in ${(bootMs / 1000).toFixed(1)} s`);
      }
      if (opts.echo) process.stderr.write(d);
    };
    q.stdout.on('data', onData);
    q.stderr.on('data', onData);
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
