import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Cgroup extends RdmaObjectCommand {
  static override object = 'cgroup';
  static override summary = 'Show and set RDMA cgroup limits (rdma.max, rdma.current), named by container or pod.';
  static override description = `rdma-ts cgroup [show] [PATH | pid PID | container ID]\nrdma-ts cgroup set PATH DEV [hca_handle ` +
    `N|max] [hca_object M|max]\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts cgroup', 'rdma-ts -j cgroup show pid 4242',
    'rdma-ts cgroup set /kubepods.slice/pod-a mlx5_0 hca_handle 4 hca_object max'];
}
