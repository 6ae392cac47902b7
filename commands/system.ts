import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class System extends RdmaObjectCommand {
  static override object = 'system';
  static override aliases = ['sys'];
  static override summary = 'Show and set RDMA subsystem settings: netns mode, privileged qkey, copy-on-fork.';
  static override description = `rdma-ts system [show]\nrdma-ts system set netns shared|exclusive [--persist [--yes]]\nrdma-ts system set privileged-qkey on|off\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts system', 'rdma-ts -n pod-a sys', 'rdma-ts system set netns exclusive --persist --yes'];
}
