import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Monitor extends RdmaObjectCommand {
  static override object = 'monitor';
  static override summary = 'Stream RDMA device events (register, rename, netdev attach/detach/rename) until Ctrl-C or SIGTERM.';
  static override description = `rdma-ts monitor [-j]\n\nText lines as rdmatool prints them; -j prints one JSON object per ` +
    `line. Needs Linux 6.13+.\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts monitor', 'rdma-ts -j monitor | jq .', 'rdma-ts -n pod-a monitor'];
}
