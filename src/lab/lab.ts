// One entry point for everything that needs a lab kernel ready to boot:
// host packages, the Debian kernel, its initramfs, siw and the movable rxe.
import { ensurePackages, ensureKernel, ensureInitramfs, ProvisionedLab, Progress } from './provision.js';
import { ensureModules } from './modules.js';

export const LAB_SERIES = ['6.1', '6.12'];

export function provisionLab(series: string, progress: Progress): ProvisionedLab {
  if (!LAB_SERIES.includes(series)) throw new Error(`unknown lab kernel ${JSON.stringify(series)}: use one of ${LAB_SERIES.join(', ')}`);
  const t0 = Date.now();
  ensurePackages(progress);
  const kernel = ensureKernel(series, progress);
  const initramfs = ensureInitramfs(kernel, progress);
  ensureModules(kernel, progress);
  return { kernel, initramfs, ms: Date.now() - t0 };
}
