import { RdmaObjectCommand, GLOBAL_OPTIONS_HELP } from './shared.js';

export default class Doctor extends RdmaObjectCommand {
  static override object = 'doctor';
  static override summary = 'Check whether a namespace, process or container can use RDMA, and say why not (exit 0 ok, 1 warn, 2 fail).';
  static override description = `rdma-ts [-n NS] doctor [pid PID | container ID] [expect shared|exclusive]\n\n${GLOBAL_OPTIONS_HELP}`;
  static override examples = ['rdma-ts -n pod-a doctor', 'rdma-ts doctor pid 4242',
    'rdma-ts -j doctor container 0123456789ab expect exclusive'];
}
