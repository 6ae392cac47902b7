// `npm run bench -- --lab [--kernel 6.1|6.12] [--rounds N]`: boots the lab and runs
// bench/lab-guest.ts in it: 10,001 live QPs frozen, rdma-ts against iproute2 6.1 and 7.1.
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labRun } from '../src/lab/session.js';
import { shellQuote } from '../src/lab/quote.js';
import { upstreamRdma } from '../test/lab/oracle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function labBench(argv: string[]): Promise<number> {
  const opt = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
  const progress = (m: string) => process.stderr.write(`lab: ${m}\n`);
  const rdma71 = upstreamRdma(progress);
  const cmd = `${shellQuote(process.execPath)} dist/bench/lab-guest.js ${shellQuote(rdma71)} ${Number(opt('--rounds', '5'))}`;
  return labRun([cmd], { series: opt('--kernel', '6.1'), progress, cwd: ROOT, timeoutMs: 3600_000 });
}
