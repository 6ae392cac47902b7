import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';
import { TOP_USAGE } from '../src/cli/top.js';

export default class Top extends RdmaObjectCommand {
  static override object = 'top';
  static override summary = 'Live RDMA counters per port, QP counter, process or container and network namespace (TUI, plain ' +
    'frames or NDJSON).';
  static override description = `${TOP_USAGE}\nViews (Tab): Ports, Counters, Processes, Namespaces. Keys: ? help, q quit, / ` +
    `filter, s sort, r reverse, Enter detail, Space pause, +/- interval.\nRates divide by the measured time between samples; ` +
      `SAT marks a saturated PMA counter, 0 RST a reset. Schema and sources: docs/top.md.\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts top', 'rdma-ts --all-netns top', 'rdma-ts -j top -c 5 --view ports | jq .rx_bytes_per_s',
    'rdma-ts top --bind-auto pid', 'rdma-ts -n pod-a top --no-tui -c 3'];
}
