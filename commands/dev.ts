import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Dev extends RdmaObjectCommand {
  static override object = 'dev';
  static override summary = 'Show, rename, move between network namespaces, add and delete RDMA devices.';
  static override description = `rdma-ts dev [show|list] [DEV]\nrdma-ts dev set DEV name NEW | netns NAME|PID|PATH|host ` +
    `[--with-netdev] | adaptive-moderation on|off\nrdma-ts dev add NAME type smi parent DEV\nrdma-ts dev delete NAME\n\nPrints ` +
      `index, name, node type, firmware and GUIDs; -d adds adaptive moderation and capabilities.\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts dev', 'rdma-ts -d dev show mlx5_0', 'rdma-ts -n pod-a -j dev',
    'rdma-ts dev set mlx5_1 netns pod-a --with-netdev', 'rdma-ts --dry-run dev set rxe0 name roce0'];
}
