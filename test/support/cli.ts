// Runs the built binary as a user would.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = resolve(ROOT, 'bin/rdma-ts.js');

export interface Run {
  stdout: string;
  stderr: string;
  status: number;
}

export function rdmaTs(args: string[], env: Record<string, string> = {}, input?: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, RDMA_TS_COMPAT: '', ...env }, input, timeout: 30000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

export const fixture = (name: string) => resolve(ROOT, 'fixtures/synthetic', `${name}.json`);
