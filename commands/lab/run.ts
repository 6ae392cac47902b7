import { Command, Flags } from '@oclif/core';
import { labRun, LAB_FAILED } from '../../src/lab/session.js';
import { LAB_SERIES } from '../../src/lab/lab.js';
import { KERNEL_PATCHES } from '../../src/lab/modules.js';
import { LabUnavailable } from '../../src/lab/provision.js';

export default class LabRunCommand extends Command {
  static override summary = 'Run a command as root in a disposable real RDMA kernel (QEMU) with Soft-RoCE and Soft-iWARP ' +
    'devices and live traffic.';
  static override description = `rdma-ts lab run [--kernel 6.1|6.12] -- CMD [ARG...]\n\n` +
    `Boots a stock Debian kernel under QEMU with the host's files visible read-only, creates rxe0 (on veth0, ` +
    `10.99.0.1) and siw0 (on veth1, 10.99.0.2), starts rping on both and ibv_rc_pingpong on rxe0, then runs CMD as ` +
    `root. rdma and rdma-ts are on the guest's PATH. CMD's stdout and stderr stream back here and its exit status ` +
    `becomes this command's; ${LAB_FAILED} means the lab itself failed (provisioning, boot or setup). One argument ` +
    `is a shell command line ('rdma-ts res show qp | wc -l'); several are words. The first run installs packages, ` +
    `downloads the kernel and builds modules (a few minutes, needs root and apt); later runs boot in seconds. ` +
    `Progress goes to stderr, prefixed "lab:".`;
  static override examples = [
    'rdma-ts lab run -- rdma-ts res show qp',
    'rdma-ts lab run --kernel 6.12 -- rdma-ts -j system',
    "rdma-ts lab run -- 'rdma-ts dev && rdma-ts -j stat show link rxe0/1'",
    "rdma-ts lab run --kernel-patch roce-gid-types -- 'rdma-ts link set rxe0/1 roce-v1 off && rdma-ts gid show rxe0'",
  ];
  static override usage = 'lab run [--kernel 6.1|6.12] [--kernel-patch roce-gid-types] [--gid-table N] [--timeout SECONDS] -- CMD [ARG...]';
  static override strict = false;
  static override flags = {
    kernel: Flags.string({ options: LAB_SERIES, default: '6.1', description: 'Debian kernel series to boot' }),
    'kernel-patch': Flags.string({ options: KERNEL_PATCHES,
      description: 'boot ib_core rebuilt with this rdma-ts kernel patch (kernel/NAME); rxe is then the RoCE v1+v2 variant' }),
    'gid-table': Flags.integer({ min: 2, max: 1024,
      description: 'rxe is the RoCE v1+v2 variant with this many GID slots (default 16 with --kernel-patch)' }),
    timeout: Flags.integer({ default: 900, description: 'seconds before the guest is stopped' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(LabRunCommand);
    const words = argv as string[];
    if (!words.length) this.error('lab run needs a command after --, e.g. rdma-ts lab run -- rdma-ts dev', { exit: 2 });
    const progress = (m: string) => process.stderr.write(`lab: ${m}\n`);
    try {
      process.exitCode = await labRun(words, { series: flags.kernel, kernelPatch: flags['kernel-patch'],
        gidTable: flags['gid-table'], progress, cwd: process.cwd(), timeoutMs: flags.timeout * 1000 });
    } catch (e) {
      progress(e instanceof LabUnavailable ? `cannot run the lab here: ${e.message}` : (e as Error).message);
      process.exitCode = LAB_FAILED;
    }
  }
}
