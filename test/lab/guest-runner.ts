// Runs inside the lab guest: every case through iproute2's `rdma` (a child
// process) and through rdma-ts in this process (process start costs ~0.5 s
// under TCG), against the same frozen kernel state. Writes results as JSON.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { main } from '../../src/cli/main.js';
import { Output } from '../../src/views/output.js';
import { LAB_CASES, LAB_BATCHES } from './cases.js';

export interface Outcome {
  stdout: string;
  stderr: string;
  status: number;
  ms: number;
}

export interface LabResult {
  argv: string;
  differs?: string;
  rdma: Outcome;
  ts: Outcome;
}

const [outFile] = process.argv.slice(2);
const vars: Record<string, string> = { SPID: process.env.SPID ?? '0', CPID: process.env.CPID ?? '0' };
const expand = (s: string) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
const words = (s: string) => s.split(' ').filter(Boolean);

function rdma(argv: string[]): Outcome {
  const t = performance.now();
  const r = spawnSync('rdma', argv, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1, ms: performance.now() - t };
}

function rdmaTs(argv: string[]): Outcome {
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const sink = Output.defaultSink;
  Output.defaultSink = (s) => { stdout += s; };
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  const t = performance.now();
  let status: number;
  try {
    status = main(['--compat', '6.1', ...argv]);
  } finally {
    Output.defaultSink = sink;
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  return { stdout, stderr, status, ms: performance.now() - t };
}

const results: LabResult[] = [];
for (const c of LAB_CASES) {
  const argv = words(expand(c.argv));
  results.push({ argv: c.argv, differs: c.differs, rdma: rdma(argv), ts: rdmaTs(argv) });
}
LAB_BATCHES.forEach((text, i) => {
  const file = `/tmp/batch-${i}.txt`;
  writeFileSync(file, text);
  for (const flags of [['-b', file], ['-f', '-b', file]]) {
    results.push({ argv: `${flags.join(' ')} (${JSON.stringify(text)})`, rdma: rdma(flags), ts: rdmaTs(flags) });
  }
});
writeFileSync(outFile, JSON.stringify({ kernel: process.env.KREL, results }, null, 1));
