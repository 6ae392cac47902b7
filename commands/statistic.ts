import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Statistic extends RdmaObjectCommand {
  static override object = 'statistic';
  static override aliases = ['stat'];
  static override summary = 'Show RDMA counters: per port, per QP counter, counter modes.';
  static override description =
    `rdma-ts statistic [show] [link DEV[/PORT]]\nrdma-ts statistic show mr\nrdma-ts statistic qp [show|mode] [link DEV/PORT]\nrdma-ts statistic mode [supported] [link DEV/PORT]\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts stat', 'rdma-ts stat show link mlx5_0/1', 'rdma-ts stat qp mode'];
}
