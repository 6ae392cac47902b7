// The lab tier: boots real Debian kernels under QEMU and runs the
// differential test (iproute2 6.1 `rdma` vs `rdma-ts --compat 6.1`) inside.
// Prints TAP lines and `# pass N` / `# fail N` for .ci/test-all.
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages, ensureKernel, ensureInitramfs, LabUnavailable } from '../../src/lab/provision.js';
import { boot } from '../../src/lab/vm.js';
import { RXE_RPING, RXE_RPING_END } from './scenario.js';
import type { LabResult } from './guest-runner.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const kernels = (process.env.RDMA_TS_LAB_KERNELS ?? '6.1,6.12').split(',').filter(Boolean);
const progress = (m: string) => process.stderr.write(`lab: ${m}\n`);

let n = 0, pass = 0, fail = 0;
function tap(ok: boolean, name: string, detail?: string): void {
  n++;
  if (ok) pass++;
  else fail++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) console.log(detail.split('\n').map((l) => `  # ${l}`).join('\n'));
}

function diff(a: string, b: string): string {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  rdma:    ${JSON.stringify(x[i])}\n  rdma-ts: ${JSON.stringify(y[i])}`;
  }
  return '';
}

async function main(): Promise<void> {
  try {
    ensurePackages(progress);
  } catch (e) {
    if (e instanceof LabUnavailable) {
      tap(false, `lab: cannot run here: ${e.message}`);
      return;
    }
    throw e;
  }
  for (const series of kernels) {
    const t0 = Date.now();
    const k = ensureKernel(series, progress);
    const initramfs = ensureInitramfs(k, progress);
    progress(`${k.release}: provisioned in ${((Date.now() - t0) / 1000).toFixed(1)} s, booting`);
    const script = RXE_RPING + `node ${ROOT}/dist/test/lab/guest-runner.js "$W/results.json"\n` + RXE_RPING_END;
    const r = await boot(k, initramfs, script, { progress, timeoutMs: 20 * 60 * 1000 });
    progress(`${k.release}: guest finished rc=${r.rc} after ${(r.totalMs / 1000).toFixed(1)} s (boot ${(r.bootMs / 1000).toFixed(1)} s)`);
    if (r.rc !== 0) {
      tap(false, `lab ${k.release}: guest scenario failed (rc ${r.rc})`, readFileSync(r.console, 'utf8').slice(-3000));
      continue;
    }
    const { results } = JSON.parse(readFileSync(join(r.workDir, 'results.json'), 'utf8')) as { results: LabResult[] };
    let rdmaMs = 0, tsMs = 0;
    for (const x of results) {
      rdmaMs += x.rdma.ms;
      tsMs += x.ts.ms;
      const same = x.rdma.stdout === x.ts.stdout && x.rdma.status === x.ts.status;
      const name = `lab ${k.release}: rdma ${x.argv}`;
      if (x.differs) {
        tap(!same, `${name} (allowed difference: ${x.differs})`, same ? 'expected a difference, got identical output' : undefined);
      } else {
        tap(same, name, `exit ${x.rdma.status} vs ${x.ts.status}\n${diff(x.rdma.stdout, x.ts.stdout)}\nrdma stderr: ${x.rdma.stderr}\nrdma-ts stderr: ${x.ts.stderr}`);
      }
    }
    progress(`${k.release}: ${results.length} cases; rdma processes ${(rdmaMs / 1000).toFixed(1)} s, rdma-ts in-process ${(tsMs / 1000).toFixed(1)} s`);
  }
}

main()
  .catch((e) => tap(false, `lab: ${(e as Error).message}`))
  .finally(() => {
    console.log(`1..${n}`);
    console.log(`# pass ${pass}`);
    console.log(`# fail ${fail}`);
    process.exitCode = fail ? 1 : 0;
  });
