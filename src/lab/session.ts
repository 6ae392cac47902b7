// `rdma-ts lab run` and `rdma-ts lab shell`: a fresh lab kernel with the
// devices and live-traffic scenarios set up (not frozen), then the user's
// command or an interactive shell, as root in the guest.
//
// Decision: always a VM, never the host kernel in a netns. The scenarios
// load modules, switch the RDMA subsystem's netns mode and create devices,
// which are global to a kernel; a rehearsal lab must not change the host.
import { openSync, readSync, closeSync, existsSync, readFileSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { provisionLab } from './lab.js';
import { Progress } from './provision.js';
import { DEVICES, RPING, Scenario } from './scenarios.js';
import { boot } from './vm.js';
import { shellQuote as quote } from './quote.js';

/** Exit status when the lab itself failed (like `docker run`): the command did not run. */
export const LAB_FAILED = 125;

/** The scenarios a user lab starts with: rxe0 + siw0 on veths, rping and ibv_rc_pingpong running. */
export const SESSION_SCENARIOS: Scenario[] = [DEVICES, RPING];

export interface SessionOptions {
  series: string;
  /** Boot ib_core rebuilt with this kernel patch (kernel/NAME); rxe is then rdma_rxe_gid. */
  kernelPatch?: string;
  /** rxe is rdma_rxe_gid (RoCE v1 and v2) with this many GID slots (16 with a kernel patch). */
  gidTable?: number;
  progress: Progress;
  /** The guest's working directory (the host root is mounted read-only at the same paths). */
  cwd: string;
  timeoutMs?: number;
}


/**
 * A single argument is a shell command line (`lab run -- 'rdma-ts res show qp | wc -l'`),
 * like ssh; several are words, quoted one by one (`lab run -- rdma-ts res show qp`).
 */
export function commandLine(argv: string[]): string {
  return argv.length === 1 ? argv[0] : argv.map(quote).join(' ');
}

/**
 * rxe as rdma_rxe_gid (src/lab/modules.ts) when asked for: modprobe resolves
 * rdma_rxe (and the rdma-link-rxe alias) to it, with the table length.
 */
export function gidRxeConf(o: Pick<SessionOptions, 'kernelPatch' | 'gidTable'>): string | undefined {
  if (!o.kernelPatch && o.gidTable === undefined) return undefined;
  return `# rdma-ts lab: rxe is rdma_rxe_gid (RoCE v1 and v2 GIDs)\nalias rdma_rxe rdma_rxe_gid\nblacklist rdma_rxe\n`
    + `options rdma_rxe_gid gid_tbl_len=${o.gidTable ?? 16}\n`;
}

/** What the lab boots, for the progress line. */
function variantText(o: SessionOptions): string {
  const parts = [];
  if (o.kernelPatch) parts.push(`ib_core with kernel/${o.kernelPatch} (a proposal: no released kernel has it)`);
  if (gidRxeConf(o)) parts.push(`rxe = rdma_rxe_gid (RoCE v1+v2, ${o.gidTable ?? 16} GID slots)`);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/** Sets up SESSION_SCENARIOS with progress on the console; a failure writes $W/lab-failed and stops. */
function setupScript(o: SessionOptions): { script: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  let script = `export LAB_VARS=/tmp/lab-vars${gidRxeConf(o) ? ' RXE_IPV4_GID=3' : ''}\n`;
  for (const s of SESSION_SCENARIOS) {
    files[`setup-${s.name}.sh`] = s.setup;
    script += `t0=$(cut -d' ' -f1 /proc/uptime)
sh "$W/setup-${s.name}.sh" > /dev/console 2>&1 ||
  { echo "scenario ${s.name} failed (exit $?); console: see above" > "$W/lab-failed"; exit ${LAB_FAILED}; }
echo "lab: scenario ${s.name}: ready in $(awk -v t0=$t0 '{ printf "%.1f", $1 - t0 }' /proc/uptime) s (${s.describe})" > /dev/console
`;
  }
  return { script, files };
}

/** Copies what the guest appends to `file` (on the 9p work share) to `out`, as it arrives. */
class Follower {
  private offset = 0;
  constructor(private file: string, private out: NodeJS.WritableStream) {}
  poll(): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      this.out.write(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
}

/** Runs `argv` as root in a fresh lab; streams its stdout/stderr here and resolves to its exit status. */
export async function labRun(argv: string[], o: SessionOptions): Promise<number> {
  const lab = provisionLab(o.series, o.progress, { kernelPatch: o.kernelPatch });
  o.progress(`Debian kernel ${lab.kernel.release} under QEMU (TCG), not the host kernel${variantText(o)}; ` +
    `provisioned in ${(lab.ms / 1000).toFixed(1)} s, booting`);
  const { script, files } = setupScript(o);
  files['cmd.sh'] = `cd ${quote(o.cwd)} 2>/dev/null || cd /\n${commandLine(argv)}\n`;
  const body = `${script}echo "lab: running: ${commandLine(argv).replace(/["\\$`]/g, '\\$&')}" > /dev/console
sh "$W/cmd.sh" > "$W/stdout" 2> "$W/stderr" < /dev/null
`;
  let followers: Follower[] = [];
  let timer: NodeJS.Timeout | undefined;
  const r = await boot(lab.kernel, lab.initramfs, body, {
    progress: o.progress,
    files,
    modprobeConf: gidRxeConf(o),
    timeoutMs: o.timeoutMs,
    onStart: (w) => {
      followers = [new Follower(join(w, 'stdout'), process.stdout), new Follower(join(w, 'stderr'), process.stderr)];
      timer = setInterval(() => followers.forEach((f) => f.poll()), 200);
    },
  }).finally(() => clearInterval(timer));
  followers.forEach((f) => f.poll());
  const failed = join(r.workDir, 'lab-failed');
  if (existsSync(failed)) {
    o.progress(`${readFileSync(failed, 'utf8').trim()} (${r.console})`);
    process.stderr.write(readFileSync(r.console, 'utf8').split('\n').filter((l) => !l.startsWith('lab: ')).slice(-15).join('\n') + '\n');
    return LAB_FAILED;
  }
  if (!existsSync(join(r.workDir, 'stdout'))) {
    o.progress(`the guest stopped before running the command (console: ${r.console})`);
    return LAB_FAILED;
  }
  o.progress(`guest finished after ${(r.totalMs / 1000).toFixed(1)} s (boot ${(r.bootMs / 1000).toFixed(1)} s); command exit ${r.rc}`);
  return r.rc;
}

/** An interactive root shell in a fresh lab, on this terminal. */
export async function labShell(o: SessionOptions): Promise<number> {
  const lab = provisionLab(o.series, o.progress, { kernelPatch: o.kernelPatch });
  o.progress(`Debian kernel ${lab.kernel.release} under QEMU (TCG), not the host kernel${variantText(o)}; booting. Leave with ` +
    `"exit" (or Ctrl-A X).`);
  const { script, files } = setupScript(o);
  // setsid -c makes the serial console the shell's controlling terminal (job control, Ctrl-C).
  const body = `${script}cd ${quote(o.cwd)} 2>/dev/null || cd /
echo "rdma-ts lab: $(uname -r); rxe0 on veth0 10.99.0.1, siw0 on veth1 10.99.0.2; rping and ibv_rc_pingpong running." \\
  "rdma and rdma-ts are on PATH." > /dev/console
stty -F /dev/console sane 2>/dev/null
PS1='lab# ' setsid -c -w sh -i < /dev/console > /dev/console 2>&1
`;
  const r = await boot(lab.kernel, lab.initramfs, body, { files, interactive: true, timeoutMs: o.timeoutMs ?? 24 * 3600 * 1000,
    modprobeConf: gidRxeConf(o) });
  if (existsSync(join(r.workDir, 'lab-failed'))) {
    o.progress(readFileSync(join(r.workDir, 'lab-failed'), 'utf8').trim());
    return LAB_FAILED;
  }
  return r.rc;
}
