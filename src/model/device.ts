// RDMA devices (RDMA_NLDEV_CMD_GET).
import { Attrs } from '../protocol/codec.js';
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';

export interface Device {
  index: number;
  name: string;
  /** PORT_INDEX in a GET reply is the number of ports. */
  portCount: number;
  nodeType?: number;
  protocol?: string;
  fw?: string;
  nodeGuid?: bigint;
  sysImageGuid?: bigint;
  dim?: number;
  caps?: bigint;
  type?: number;
  parent?: string;
}

export class SwitchDeviceError extends Error {}

export function toDevice(tb: Attrs): Device {
  if (tb[A.PORT_INDEX] === undefined) throw new SwitchDeviceError("This tool doesn't support switches yet");
  return {
    index: tb[A.DEV_INDEX],
    name: tb[A.DEV_NAME],
    portCount: tb[A.PORT_INDEX],
    nodeType: tb[A.DEV_NODE_TYPE],
    protocol: tb[A.DEV_PROTOCOL],
    fw: tb[A.FW_VERSION],
    nodeGuid: tb[A.NODE_GUID],
    sysImageGuid: tb[A.SYS_IMAGE_GUID],
    dim: tb[A.DEV_DIM],
    caps: tb[A.CAP_FLAGS],
    type: tb[A.DEV_TYPE],
    parent: tb[A.PARENT_NAME],
  };
}

export function dumpDevices(rd: RdmaClient): Device[] {
  return rd.dump(CMD.GET).map(toDevice);
}

// Changes (RDMA_NLDEV_CMD_SET / NEWDEV / DELDEV). Each is one request; under
// --dry-run RdmaClient.write describes it instead of sending it.

export function renameDevice(rd: RdmaClient, index: number, name: string): void {
  rd.write(CMD.SET, [[A.DEV_INDEX, index], [A.DEV_NAME, name]]);
}

/** `netnsFd` is an open fd of the target namespace; `label` names it for --dry-run. */
export function setDeviceNetns(rd: RdmaClient, index: number, netnsFd: number, label: string, session = rd.session): void {
  rd.write(CMD.SET, [[A.DEV_INDEX, index], [A.NET_NS_FD, netnsFd]], session, `NET_NS_FD is ${label}`);
}

export function setAdaptiveModeration(rd: RdmaClient, index: number, on: boolean): void {
  rd.write(CMD.SET, [[A.DEV_INDEX, index], [A.DEV_DIM, on ? 1 : 0]]);
}

/** RDMA_DEVICE_TYPE_SMI = 1 (uapi rdma_netlink.h): the only sub-device type. */

export function addDevice(rd: RdmaClient, name: string, type: number, parentIndex: number): void {
  rd.write(CMD.NEWDEV, [[A.DEV_NAME, name], [A.DEV_TYPE, type], [A.DEV_INDEX, parentIndex]]);
}

export function deleteDevice(rd: RdmaClient, index: number): void {
  rd.write(CMD.DELDEV, [[A.DEV_INDEX, index]]);
}
