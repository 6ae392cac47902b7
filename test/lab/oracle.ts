// Upstream iproute2 7.1's `rdma`, the second oracle (and the lab bench's yardstick): built once
// from the unmodified release tarball in test/oracle (build-rdma.sh, ~5 s) into the lab cache,
// which the guest sees through the host root it mounts.
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabUnavailable, LAB_CACHE } from '../../src/lab/provision.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let built: string | undefined;

export function upstreamRdma(progress: (m: string) => void): string {
  if (built) return built;
  const out = join(LAB_CACHE, 'iproute2-7.1.0');
  progress('building iproute2 7.1 rdma (test/oracle/build-rdma.sh)');
  const r = spawnSync('sh', [join(ROOT, 'test/oracle/build-rdma.sh'), out], { encoding: 'utf8' });
  if (r.status !== 0 || !/iproute2-7\.1\.0$/m.test(r.stdout)) {
    throw new LabUnavailable(`building iproute2 7.1's rdma failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  }
  built = join(out, 'rdma');
  return built;
}
