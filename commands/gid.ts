import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Gid extends RdmaObjectCommand {
  static override object = 'gid';
  static override summary = 'Show GID tables: owners (netns, container), capacity with RoCE v1 on and off, IPs without a GID.';
  static override description = `rdma-ts gid [show] [DEV[/PORT]] [type v1|v2]\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts gid', 'rdma-ts gid show mlx5_0/1 type v2', 'rdma-ts -j --all-netns gid'];
}
