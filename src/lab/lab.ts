// One entry point for everything that needs a lab kernel ready to boot:
// host packages, the Debian kernel, its initramfs, the lab's modules, and
// optionally ib_core rebuilt with one of rdma-ts's kernel patches.
import { ensurePackages, ensureKernel, ensureInitramfs, ProvisionedLab, Progress } from './provision.js';
import { ensureModules, ensurePatchedCore } from './modules.js';

export const LAB_SERIES = ['6.1', '6.12'];

/** What a lab boots besides the stock kernel. */
export interface LabVariant {
  /** A kernel patch series (kernel/NAME): ib_core rebuilt with it. */
  kernelPatch?: string;
}

export function provisionLab(series: string, progress: Progress, variant: LabVariant = {}): ProvisionedLab {
  if (!LAB_SERIES.includes(series)) throw new Error(`unknown lab kernel ${JSON.stringify(series)}: use one of ${LAB_SERIES.join(', ')}`);
  const t0 = Date.now();
  ensurePackages(progress);
  const kernel = ensureKernel(series, progress);
  const initramfs = ensureInitramfs(kernel, progress);
  ensureModules(kernel, progress);
  const booted = variant.kernelPatch ? ensurePatchedCore(kernel, variant.kernelPatch, progress) : kernel;
  return { kernel: booted, initramfs, ms: Date.now() - t0 };
}
