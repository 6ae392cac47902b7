// `gid show`'s reading: the RDMA ports of the namespaces asked for, each
// port's GID table from the sysfs of a namespace that sees the device, and
// the netdevs and addresses of every namespace on the host (owners can be
// anywhere: a container's macvlan lives in the container's namespace).
import { Session } from '../transport/session.js';
import { RdmaClient } from './client.js';
import { Device, dumpDevices } from './device.js';
import { getPort } from './port.js';
import { Attributor } from './attribution.js';
import { readGidTable } from './gid-table.js';
import { explainPort, PortGids } from './gids.js';
import { NetdevInventory } from './netdevs.js';
import { NetnsRef, allScopes } from './netns-scope.js';
import { IB_SYSFS } from './sysfs.js';
import { CmRoceMode, readCmRoceMode } from './cm-roce-mode.js';
import { isRoce } from './roce-gid-types.js';

export interface SurveyedPort extends PortGids {
  device: Device;
  /** The namespace the device was found in. */
  scope: NetnsRef;
  cmRoceMode?: CmRoceMode;
}

export interface SurveyRequest {
  /** Namespaces whose devices to show (devices seen in several are shown once, from the first). */
  scopes: NetnsRef[];
  dev?: string;
  port?: number;
}

export class UnknownGidDevice extends Error {}

export function surveyGids(cmdSession: Session, req: SurveyRequest): SurveyedPort[] {
  // Scopes carry paths relative to this process's own namespace (not -n's): read them from there.
  const session = cmdSession.home();
  const everyScope = allScopes(session);
  const inventory = NetdevInventory.read(session, everyScope);
  const who = new Attributor(session);
  const own = everyScope[0].inode;
  const seen = new Set<string>();
  const out: SurveyedPort[] = [];
  for (const scope of req.scopes) {
    const here = scope.path === undefined ? session : session.inNetns(scope.path);
    const rd = new RdmaClient(here);
    const devices = dumpDevices(rd).filter((d) => !seen.has(d.name) && (req.dev === undefined || d.name === req.dev));
    // sysfs shows a namespace's own devices (and, in shared mode, all): read the one mounted in the device's namespace.
    const view = scope.inode === own ? undefined : scope.path;
    for (const device of devices) {
      seen.add(device.name);
      if (req.port !== undefined && (req.port < 1 || req.port > device.portCount)) {
        throw new UnknownGidDevice(`${device.name} has ${device.portCount} port${device.portCount === 1 ? '' : 's'}, no port ${req.port}`);
      }
      const ports = req.port !== undefined ? [req.port] : Array.from({ length: device.portCount }, (_, i) => i + 1);
      for (const p of ports) {
        const port = getPort(rd, device.index, p);
        const read = session.withSysfsOf(view, () => ({
          table: readGidTable(session, device.name, p),
          linkLayer: session.readHostFile(`${IB_SYSFS}/${device.name}/ports/${p}/link_layer`)?.trim(),
        }));
        if (!read.table) throw new UnknownGidDevice(`${device.name}/${p}: no GID table in the sysfs of netns ${scope.label} ` +
          `(${IB_SYSFS}/${device.name}/ports/${p}/gids)`);
        const roce = isRoce(device.protocol, read.linkLayer);
        const explained = explainPort(read.table, { netdevName: port.netdev, roce, enabledMask: port.roceGidTypes,
          capMask: port.roceGidTypesCap }, inventory, who);
        out.push({ ...explained, device, scope, cmRoceMode: roce ? readCmRoceMode(session, device.name, p) : undefined });
      }
    }
  }
  if (req.dev !== undefined && !seen.has(req.dev)) {
    const where = req.scopes.length === 1 ? `netns ${req.scopes[0].label}` : 'any network namespace';
    throw new UnknownGidDevice(`no RDMA device named ${req.dev} in ${where}`);
  }
  return out;
}
