// The lab tier: boots real Debian kernels under QEMU, runs every scenario and
// its cases in one guest boot per kernel (test/lab/guest-runner.ts), and
// prints TAP with `# pass N` / `# fail N` for .ci/test-all.
//   RDMA_TS_LAB_KERNELS=6.1,6.12 (default)   which kernels
//   RDMA_TS_LAB_SCENARIOS=devices,gids        only these scenarios (development; with --record only theirs are replaced)
//   RDMA_TS_LAB_PATCHES=roce-gid-types (default) each kernel booted again with these kernel patches ('' for none)
//   --record DIR   also record the fixture cases into DIR (npm run fixtures)
import { readFileSync, cpSync, existsSync, readdirSync, rmSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LabUnavailable, LAB_CACHE } from '../../src/lab/provision.js';
import { shellQuote } from '../../src/lab/quote.js';
import { provisionLab } from '../../src/lab/lab.js';
import { boot } from '../../src/lab/vm.js';
import { KERNEL_PATCHES } from '../../src/lab/modules.js';
import { gidRxeConf } from '../../src/lab/session.js';
import type { GuestReport } from './guest-runner.js';
import { upstreamRdma } from './oracle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const kernels = (process.env.RDMA_TS_LAB_KERNELS ?? '6.1,6.12').split(',').filter(Boolean);
/** Each kernel is booted again with each kernel patch (kernel/NAME) for what it changes; '' for none. */
const patches = (process.env.RDMA_TS_LAB_PATCHES ?? KERNEL_PATCHES.join(',')).split(',').filter(Boolean);
const recordAt = process.argv.indexOf('--record');
const recordDir = recordAt > 0 ? resolve(process.argv[recordAt + 1] ?? 'fixtures/lab') : undefined;
const progress = (m: string) => process.stderr.write(`lab: ${m}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let n = 0, pass = 0, fail = 0, skip = 0;
/** A skipped case (`skip`: why) is TAP's `ok N - NAME # SKIP WHY`, counted apart from passes. */
function tap(ok: boolean, name: string, detail?: string, skipped?: string): void {
  n++;
  if (skipped) {
    skip++;
    console.log(`ok ${n} - ${name} # SKIP ${skipped}`);
    return;
  }
  if (ok) pass++;
  else fail++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) console.log(detail.split('\n').map((l) => `  # ${l}`).join('\n'));
}

const upstreamRdmaBin = () => upstreamRdma(progress);

/** One boot of `series`: the stock kernel, or ib_core with `kernelPatch` (PATCHED_SCENARIOS only, nothing recorded). */
async function runKernel(series: string, kernelPatch?: string): Promise<void> {
  const lab = provisionLab(series, progress, { kernelPatch });
  const k = lab.kernel;
  const label = `${k.release}${kernelPatch ? `+${kernelPatch}` : ''}`;
  progress(`${label}: provisioned in ${secs(lab.ms)}, booting`);
  const only = process.env.RDMA_TS_LAB_SCENARIOS;
  const record = recordDir && !kernelPatch;
  const env = [`LAB_RDMA_UPSTREAM=${shellQuote(upstreamRdmaBin())}`, record ? 'LAB_RECORD="$W/fixtures"' : '',
    only ? `RDMA_TS_LAB_SCENARIOS=${shellQuote(only)}` : '', kernelPatch ? `LAB_KERNEL_PATCH=${shellQuote(kernelPatch)}` : '']
    .filter(Boolean).join(' ');
  const script = `cd ${shellQuote(ROOT)} && ${env} node dist/test/lab/guest-runner.js "$W/report.json"\n`;
  const r = await boot(k, lab.initramfs, script, { progress, timeoutMs: 60 * 60 * 1000, modprobeConf: gidRxeConf({ kernelPatch }) });
  progress(`${label}: guest finished rc=${r.rc} after ${secs(r.totalMs)} (boot ${secs(r.bootMs)})`);
  const reportFile = join(r.workDir, 'report.json');
  if (r.rc !== 0 || !existsSync(reportFile)) {
    tap(false, `lab ${label}: guest run failed (rc ${r.rc})`, readFileSync(r.console, 'utf8').slice(-4000));
    return;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as GuestReport;
  for (const s of report.scenarios) {
    progress(`${label}: scenario ${s.name}: setup ${secs(s.setupMs)}, ${s.verdicts.length} cases in ${secs(s.runMs)}`);
    for (const v of s.verdicts) tap(v.ok, `lab ${label} ${s.name}: ${v.name}`, v.detail, v.skip);
  }
  for (const note of report.notes) progress(note);
  if (record && existsSync(join(r.workDir, 'fixtures'))) {
    if (only) {
      // Only the scenarios that ran: each one's directory replaced, the others kept.
      for (const scenario of only.split(',')) {
        const from = join(r.workDir, 'fixtures', k.release, scenario);
        rmSync(join(recordDir, k.release, scenario), { recursive: true, force: true });
        if (existsSync(from)) cpSync(from, join(recordDir, k.release, scenario), { recursive: true });
      }
    } else {
      // Replace this series' recordings whole (a newer Debian ABI renames the directory).
      const sameSeries = new RegExp(`^${series.replace('.', '\\.')}\\.\\d`);
      if (existsSync(recordDir)) for (const d of readdirSync(recordDir)) if (sameSeries.test(d)) rmSync(join(recordDir, d),
        { recursive: true });
      cpSync(join(r.workDir, 'fixtures'), recordDir, { recursive: true });
    }
    progress(`${k.release}: fixtures recorded into ${recordDir}`);
  }
}

/**
 * A checkout and a lab cache whose paths have a space, both quotes and a comma: no path may
 * reach a shell or QEMU's option parser unquoted. The checkout is hard-linked from this one;
 * the cache links to the real cache's kernels, modules and packages, but builds its own
 * initramfs (the xz and cpio steps run on the odd path).
 */
function oddPaths(): { checkout: string; cache: string } {
  const top = join('/var/tmp', `rdma-ts lab, it's "odd"`);
  rmSync(top, { recursive: true, force: true });
  const checkout = join(top, 'check out');
  const cache = join(top, 'cache, too');
  mkdirSync(checkout, { recursive: true });
  mkdirSync(cache);
  const cp = spawnSync('cp', ['-al', ...['bin', 'dist', 'node_modules', 'package.json'].map((f) => join(ROOT, f)), checkout]);
  if (cp.status !== 0) throw new Error(`cp -al into ${checkout} failed: ${cp.stderr}`);
  for (const d of ['kernels', 'modules', 'debs', 'debs-build']) {
    if (existsSync(join(LAB_CACHE, d))) symlinkSync(join(LAB_CACHE, d), join(cache, d));
  }
  return { checkout, cache };
}

/**
 * The user-facing `rdma-ts lab run`, as the README uses it (output and exit status come back),
 * run from the odd checkout with the odd cache.
 */
function labRunCommand(series: string): void {
  const t0 = Date.now();
  const { checkout, cache } = oddPaths();
  const r = spawnSync(process.execPath, [join(checkout, 'bin/rdma-ts.js'), 'lab', 'run', '--kernel', series, '--',
    'rdma-ts dev; rdma-ts -j res show qp link siw0/1 > /dev/null && pwd && exit 3'],
    { encoding: 'utf8', timeout: 10 * 60 * 1000, cwd: checkout, env: { ...process.env, RDMA_TS_LAB_CACHE: cache } });
  progress(`rdma-ts lab run --kernel ${series} (checkout and cache at ${JSON.stringify(dirname(checkout))}): ${secs(Date.now() - t0)}`);
  const want = /^0: rxe0: node_type ca .*\n1: siw0: node_type rnic .*\n(.*)\n$/;
  const m = want.exec(r.stdout);
  const ok = r.status === 3 && m?.[1] === checkout && /lab: guest: scenario rping: ready/.test(r.stderr) &&
    /building initramfs/.test(r.stderr) && existsSync(join(cache, 'initramfs'));
  tap(ok, `rdma-ts lab run --kernel ${series} -- 'rdma-ts dev; ... exit 3' from ${JSON.stringify(checkout)} with ` +
    `RDMA_TS_LAB_CACHE=${JSON.stringify(cache)}: rxe0 and siw0 on stdout, the guest in that checkout, exit 3 passed through`,
    ok ? undefined : `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr.slice(-3000)}`);
  if (ok) rmSync(dirname(checkout), { recursive: true, force: true });
}

async function main(): Promise<void> {
  const boots = [...kernels.map((series) => ({ series, patch: undefined as string | undefined })),
    ...patches.flatMap((patch) => kernels.map((series) => ({ series, patch })))];
  for (const { series, patch } of boots) {
    try {
      await runKernel(series, patch);
    } catch (e) {
      if (e instanceof LabUnavailable) {
        tap(false, `lab ${series}${patch ? `+${patch}` : ''}: cannot run here: ${e.message}`);
        if (!process.env.CI) return;
      } else throw e;
    }
  }
  if (!recordDir && !process.env.RDMA_TS_LAB_SCENARIOS) labRunCommand(kernels[0]);
}

main()
  .catch((e) => tap(false, `lab: ${(e as Error).stack ?? e}`))
  .finally(() => {
    console.log(`1..${n}`);
    console.log(`# pass ${pass}`);
    console.log(`# fail ${fail}`);
    console.log(`# skip ${skip}`);
    process.exitCode = fail ? 1 : 0;
  });
