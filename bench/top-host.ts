// A synthetic host for the top benchmark (the lab's rxe has one port per
// device and no PMA counters, so it cannot show this load): 32 dual-port
// mlx5-like InfiniBand HCAs = 64 ports, 10,000 RC QPs owned by 50
// processes, 1,000 bound QP counters (auto pid mode), as a UAPI-level
// NLDEV kernel (test/support/uapi-kernel.ts) plus a sysfs tree with each
// port's PMA counters/ and hw_counters/ files.
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { A } from '../src/protocol/nldev-schema.js';
import type { EncodeEntry } from '../src/protocol/codec.js';
import type { KernelState, DevState } from '../test/support/uapi-kernel.js';

export const HW_COUNTERS = ['rx_write_requests', 'rx_read_requests', 'rx_atomic_requests', 'out_of_buffer', 'out_of_sequence',
  'duplicate_request', 'rnr_nak_retry_err', 'packet_seq_err', 'implied_nak_seq_err', 'local_ack_timeout_err',
  'resp_local_length_error', 'resp_cqe_error', 'req_cqe_error', 'req_remote_invalid_request', 'req_remote_access_errors',
  'resp_remote_access_errors', 'resp_cqe_flush_error', 'req_cqe_flush_error', 'roce_adp_retrans', 'roce_slow_restart',
  'rp_cnp_ignored', 'rp_cnp_handled', 'np_ecn_marked_roce_packets', 'np_cnp_sent'];
const PMA = ['symbol_error', 'link_error_recovery', 'link_downed', 'port_rcv_errors', 'port_rcv_remote_physical_errors',
  'port_rcv_switch_relay_errors', 'port_xmit_discards', 'port_xmit_constraint_errors', 'port_rcv_constraint_errors',
  'local_link_integrity_errors', 'excessive_buffer_overrun_errors', 'VL15_dropped', 'port_xmit_data', 'port_rcv_data',
  'port_xmit_packets', 'port_rcv_packets', 'port_xmit_wait', 'unicast_xmit_packets', 'unicast_rcv_packets',
  'multicast_xmit_packets', 'multicast_rcv_packets'];

export interface TopLoad {
  devices: number;
  portsPerDevice: number;
  qps: number;
  counters: number;
  processes: number;
}

export const FULL_LOAD: TopLoad = { devices: 32, portsPerDevice: 2, qps: 10_000, counters: 1_000, processes: 50 };

export function topKernel(load: TopLoad): KernelState {
  const devices: DevState[] = [];
  const qpsPer = Math.ceil(load.qps / load.devices);
  const countersPer = Math.ceil(load.counters / load.devices);
  for (let d = 0; d < load.devices; d++) {
    const qps: EncodeEntry[][] = [];
    for (let q = 0; q < qpsPer && d * qpsPer + q < load.qps; q++) {
      const pid = 4000 + ((d * qpsPer + q) % load.processes);
      qps.push([[A.PORT_INDEX, 1 + (q % load.portsPerDevice)], [A.RES_LQPN, 100 + q], [A.RES_RQPN, 5000 + q], [A.RES_RQ_PSN,
        q * 7], [A.RES_SQ_PSN, q * 13],
        [A.RES_PATH_MIG_STATE, 0], [A.RES_TYPE, 2], [A.RES_STATE, 3], [A.RES_PDN, 1], [A.RES_PID, pid]]);
    }
    const qpCounters = Array.from({ length: Math.min(countersPer, load.counters - d * countersPer) }, (_, i) => ({
      id: i, port: 1 + (i % load.portsPerDevice), pid: 4000 + ((d * countersPer + i) % load.processes),
      lqpns: Array.from({ length: Math.floor(qpsPer / countersPer) }, (_, j) => 100 + i * Math.floor(qpsPer / countersPer) + j),
      values: HW_COUNTERS.map(() => 0n),
    }));
    devices.push({
      index: d, name: `mlx5_${d}`, ports: load.portsPerDevice, caps: 0n, guid: 0x248a070300000000n + BigInt(d), nodeType: 1,
        dim: 1, protocol: 'ib',
      fw: '28.39.1002', summary: [], res: { [A.RES_QP]: qps }, counters: HW_COUNTERS.map((n) => [n, 0n]), qpMode: { mode: 1,
        mask: 2 }, qpCounters,
      portInfo: Array.from({ length: load.portsPerDevice }, (_, p) => ({
        state: 4, phys: 5, netdev: `ib${d * load.portsPerDevice + p}`, netdevIndex: 10 + d * load.portsPerDevice + p,
        ib: { subnetPrefix: 0xfe80000000000000n, lid: 1 + d * load.portsPerDevice + p, smLid: 1, lmc: 0, caps: 0n },
      })),
    });
  }
  return { devices, sys: [[A.SYS_ATTR_NETNS_MODE, 1], [A.SYS_ATTR_COPY_ON_FORK, 1]] };
}

/** Moves every counter on, as traffic would (called once per second by the benchmark). */
export function advance(state: KernelState, step: number): void {
  for (const dev of state.devices) {
    dev.counters = dev.counters!.map(([n, v], i) => [n, v + BigInt(step * (i + 1))]);
    for (const c of dev.qpCounters ?? []) c.values = c.values!.map((v, i) => v + BigInt(step * (i % 3)));
  }
}

/** The sysfs tree of the same host under `root` (RDMA_TS_SYSFS=root). */
export function topSysfs(root: string, load: TopLoad): void {
  const ib = join(root, 'class/infiniband');
  mkdirSync(ib, { recursive: true });
  const driver = join(root, 'bus/pci/drivers/mlx5_core');
  mkdirSync(driver, { recursive: true });
  for (let d = 0; d < load.devices; d++) {
    const dev = join(root, `devices/pci0000:00/0000:00:${(d + 1).toString(16).padStart(2, '0')}.0`);
    const node = join(dev, `infiniband/mlx5_${d}`);
    mkdirSync(node, { recursive: true });
    symlinkSync(driver, join(dev, 'driver'));
    symlinkSync(dev, join(node, 'device'));
    symlinkSync(node, join(ib, `mlx5_${d}`));
    for (let p = 1; p <= load.portsPerDevice; p++) {
      const port = join(node, `ports/${p}`);
      mkdirSync(join(port, 'counters'), { recursive: true });
      mkdirSync(join(port, 'hw_counters'), { recursive: true });
      writeFileSync(join(port, 'rate'), '200 Gb/sec (4X HDR)\n');
      writeFileSync(join(port, 'link_layer'), 'InfiniBand\n');
      writeFileSync(join(port, 'state'), '4: ACTIVE\n');
      writeFileSync(join(port, 'phys_state'), '5: LinkUp\n');
      PMA.forEach((n, i) => writeFileSync(join(port, 'counters', n), `${i >= 12 ? i * 1_000_000 + d : 0}\n`));
      HW_COUNTERS.forEach((n) => writeFileSync(join(port, 'hw_counters', n), '0\n'));
      writeFileSync(join(port, 'hw_counters/lifespan'), '10\n');
    }
  }
}
