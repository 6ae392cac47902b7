import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Resource extends RdmaObjectCommand {
  static override object = 'resource';
  // Hidden: the root help lists each object once, its alias in the summary.
  static override hiddenAliases = ['res'];
  static override summary = 'Show RDMA resources: per-device counts, QPs, CM IDs, CQs, MRs, PDs, contexts, SRQs (also: res).';
  static override description =
    `rdma-ts resource [show] [DEV]\nrdma-ts resource show qp|cm_id|cq|mr|pd|ctx|srq [link DEV/PORT | dev DEV] [FILTER VALUE]...\n\n` +
    `Filters take numbers, lists and ranges (lqpn 1-3,7) or names (type RC,UD); -r prints raw driver data.\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts res', 'rdma-ts res show qp link mlx5_0/1 type RC', 'rdma-ts -j res show cq pid 4242'];
}
