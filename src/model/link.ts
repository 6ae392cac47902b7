// Software RDMA links (RDMA_NLDEV_CMD_NEWLINK / DELLINK): rxe and siw on a netdev.
import { A, CMD } from '../protocol/nldev-schema.js';
import { RdmaClient } from './client.js';

export function addLink(rd: RdmaClient, name: string, type: string, netdev: string): void {
  rd.write(CMD.NEWLINK, [[A.DEV_NAME, name], [A.LINK_TYPE, type], [A.NDEV_NAME, netdev]]);
}

export function deleteLink(rd: RdmaClient, index: number): void {
  rd.write(CMD.DELLINK, [[A.DEV_INDEX, index]]);
}
