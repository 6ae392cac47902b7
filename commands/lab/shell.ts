import { Command, Flags } from '@oclif/core';
import { labShell, LAB_FAILED } from '../../src/lab/session.js';
import { LAB_SERIES } from '../../src/lab/lab.js';
import { KERNEL_PATCHES } from '../../src/lab/modules.js';
import { LabUnavailable } from '../../src/lab/provision.js';

export default class LabShellCommand extends Command {
  static override summary = 'An interactive root shell in a disposable real RDMA kernel (QEMU) with rxe0, siw0 and live traffic.';
  static override description = `rdma-ts lab shell [--kernel 6.1|6.12]\n\n` +
    `The same lab as "rdma-ts lab run", with a shell on this terminal instead of one command: rehearse a runbook ` +
    `(namespaces, rdma dev set, rdma-ts -n ...) on a kernel you can throw away. Needs a terminal on stdin; in ` +
    `scripts use "rdma-ts lab run". Leave with "exit" (or Ctrl-A X, QEMU's escape).`;
  static override examples = ['rdma-ts lab shell', 'rdma-ts lab shell --kernel 6.12'];
  static override flags = {
    kernel: Flags.string({ options: LAB_SERIES, default: '6.1', description: 'Debian kernel series to boot' }),
    'kernel-patch': Flags.string({ options: KERNEL_PATCHES,
      description: 'boot ib_core rebuilt with this rdma-ts kernel patch (kernel/NAME); rxe is then the RoCE v1+v2 variant' }),
    'gid-table': Flags.integer({ min: 2, max: 1024,
      description: 'rxe is the RoCE v1+v2 variant with this many GID slots (default 16 with --kernel-patch)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(LabShellCommand);
    if (!process.stdin.isTTY) this.error('lab shell needs a terminal on stdin; in scripts use: rdma-ts lab run -- CMD', { exit: 2 });
    const progress = (m: string) => process.stderr.write(`lab: ${m}\n`);
    try {
      process.exitCode = await labShell({ series: flags.kernel, kernelPatch: flags['kernel-patch'],
        gidTable: flags['gid-table'], progress, cwd: process.cwd() });
    } catch (e) {
      progress(e instanceof LabUnavailable ? `cannot run the lab here: ${e.message}` : (e as Error).message);
      process.exitCode = LAB_FAILED;
    }
  }
}
