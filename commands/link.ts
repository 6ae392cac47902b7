import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Link extends RdmaObjectCommand {
  static override object = 'link';
  static override summary = 'Show RDMA ports: state, physical state, netdev.';
  static override description = `rdma-ts link [show|list] [DEV[/PORT]]\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts link', 'rdma-ts link show mlx5_0/1', 'rdma-ts -d -j link'];
}
