// The doctor's checks in order, for one target.
import { Session } from '../../transport/session.js';
import { RdmaClient } from '../client.js';
import { dumpDevices } from '../device.js';
import { getSystem } from '../system.js';
import { surveyGids } from '../gid-survey.js';
import { DoctorTarget } from './target.js';
import { Finding, finding } from './finding.js';
import { TransportError } from '../../transport/errors.js';
import { Mode, checkNetnsMode, checkDevices, checkCharDevices } from './checks-namespace.js';
import { checkMemlock, checkCgroup } from './checks-process.js';
import { checkGids, checkV1, checkPorts } from './checks-gid.js';

export function runDoctor(base: Session, t: DoctorTarget, expect?: Mode): Finding[] {
  let devices;
  try {
    devices = dumpDevices(new RdmaClient(t.here));
  } catch (e) {
    // No RDMA core at all: the one finding that matters (the rest would all fail with it).
    if (e instanceof TransportError && (e.errno === 93 || e.errno === 97)) return [finding('rdma-core', 'fail',
      'this kernel has no RDMA netlink: no RDMA core (ib_core) is loaded', [e.message],
        'modprobe ib_core and the device driver (mlx5_ib, rdma_rxe, ...), or boot a kernel with CONFIG_INFINIBAND')];
    throw e;
  }
  const mode = getSystem(new RdmaClient(base)).netnsMode;
  const ports = devices.length ? surveyGids(base, { scopes: [t.scope] }) : [];
  return [
    checkNetnsMode(base, expect),
    checkDevices(base, t, devices, mode === 1 ? 'shared' : mode === 0 ? 'exclusive' : undefined),
    checkCharDevices(base, t, devices),
    checkPorts(t.here, devices),
    checkMemlock(base, t),
    checkCgroup(base, t),
    checkGids(t, ports),
    checkV1(ports),
  ];
}
