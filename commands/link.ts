import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Link extends RdmaObjectCommand {
  static override object = 'link';
  static override summary = 'Show RDMA ports; add and delete software links (rxe, siw).';
  static override description = `rdma-ts link [show|list] [DEV[/PORT]]\nrdma-ts link add NAME type rxe|siw netdev ` +
    `IFNAME\nrdma-ts link delete NAME\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts link', 'rdma-ts link show mlx5_0/1', 'rdma-ts -d -j link',
    'rdma-ts link add rxe0 type rxe netdev eth0'];
}
