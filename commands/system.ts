import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class System extends RdmaObjectCommand {
  static override object = 'system';
  // Hidden: the root help lists each object once, its alias in the summary.
  static override hiddenAliases = ['sys'];
  static override summary = 'Show and set RDMA subsystem settings: netns mode, privileged qkey, copy-on-fork (also: sys).';
  static override description = `rdma-ts system [show]\nrdma-ts system set netns shared|exclusive [--persist [--yes]]\nrdma-ts ` +
    `system set privileged-qkey on|off\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts system', 'rdma-ts -n pod-a sys', 'rdma-ts system set netns exclusive --persist --yes'];
}
