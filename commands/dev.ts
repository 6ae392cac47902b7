import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Dev extends RdmaObjectCommand {
  static override object = 'dev';
  static override summary = 'Show RDMA devices.';
  static override description = `rdma-ts dev [show|list] [DEV]\n\nPrints index, name, node type, firmware and GUIDs; -d adds adaptive moderation and capabilities.\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts dev', 'rdma-ts -d dev show mlx5_0', 'rdma-ts -n pod-a -j dev'];
}
