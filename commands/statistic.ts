import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Statistic extends RdmaObjectCommand {
  static override object = 'statistic';
  // Hidden: the root help lists each object once, its alias in the summary.
  static override hiddenAliases = ['stat'];
  static override summary = 'Show and configure RDMA counters: per port, per QP counter, counter modes, optional counters (also: stat).';
  static override description =
    'rdma-ts statistic [show] [link DEV[/PORT]]\nrdma-ts statistic show mr\nrdma-ts statistic qp [show|mode] [link ' +
      'DEV/PORT]\nrdma-ts statistic mode [supported] [link DEV/PORT]\n' +
    'rdma-ts statistic qp set link DEV/PORT auto {type|pid|type,pid} on [optional-counters on|off] | auto off\n' +
    'rdma-ts statistic qp bind link DEV/PORT lqpn N [cntn M]\nrdma-ts statistic qp unbind link DEV/PORT cntn M [lqpn N]\n' +
    'rdma-ts statistic set link DEV/PORT optional-counters NAME[,NAME]\nrdma-ts statistic unset link DEV/PORT ' +
      'optional-counters\n\n' + GLOBAL_OPTIONS_HELP;
  static override examples = ['rdma-ts stat', 'rdma-ts stat show link mlx5_0/1', 'rdma-ts stat qp mode',
    'rdma-ts stat qp set link mlx5_0/1 auto type,pid on', 'rdma-ts stat qp bind link mlx5_0/1 lqpn 178'];
}
