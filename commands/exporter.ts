import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';
import { EXPORTER_USAGE } from '../src/cli/exporter.js';

export default class Exporter extends RdmaObjectCommand {
  static override object = 'exporter';
  static override summary = 'Prometheus endpoint: node_exporter\'s infiniband port counters plus driver, QP-counter (pid, ' +
    'container, pod, netns), GID table and RDMA cgroup metrics.';
  static override description = `${EXPORTER_USAGE}\nMetric names and deployment (deploy/): README and ` +
    `docs/exporter.md.\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts exporter', 'rdma-ts --all-netns exporter --listen 127.0.0.1:9879',
    'curl -s localhost:9879/metrics | grep node_infiniband'];
}
