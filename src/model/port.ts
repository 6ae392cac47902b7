// RDMA ports (RDMA_NLDEV_CMD_PORT_GET).
import { Attrs } from '../protocol/codec.js';
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';

export interface Port {
  devIndex: number;
  devName: string;
  port: number;
  subnetPrefix?: bigint;
  lid?: number;
  smLid?: number;
  lmc?: number;
  state?: number;
  physState?: number;
  /** Present only when the netdev lives in the caller's namespace. */
  netdev?: string;
  netdevIndex?: number;
  caps?: bigint;
  /** Enabled RoCE GID types (TYPE_BIT mask): only a kernel with the proposed interface reports it (kernel/). */
  roceGidTypes?: number;
  /** The types the port can have; same kernels. */
  roceGidTypesCap?: number;
}

export function toPort(tb: Attrs): Port {
  return {
    devIndex: tb[A.DEV_INDEX],
    devName: tb[A.DEV_NAME],
    port: tb[A.PORT_INDEX],
    subnetPrefix: tb[A.SUBNET_PREFIX],
    lid: tb[A.LID],
    smLid: tb[A.SM_LID],
    lmc: tb[A.LMC],
    state: tb[A.PORT_STATE],
    physState: tb[A.PORT_PHYS_STATE],
    netdev: tb[A.NDEV_NAME],
    netdevIndex: tb[A.NDEV_INDEX],
    caps: tb[A.CAP_FLAGS],
    roceGidTypes: tb[A.ROCE_GID_TYPES],
    roceGidTypesCap: tb[A.ROCE_GID_TYPES_CAP],
  };
}

export function getPort(rd: RdmaClient, devIndex: number, port: number): Port {
  const tb = rd.doitOne(CMD.PORT_GET, [[A.DEV_INDEX, devIndex], [A.PORT_INDEX, port]]);
  return toPort(tb);
}
