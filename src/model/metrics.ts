// A reading (top's Sampler), GID tables and RDMA cgroups as Prometheus
// metric families. Port counters keep node_exporter's infiniband names
// (node_infiniband_*{device,port}, data counters x4 into bytes) so existing
// dashboards work; what node_exporter cannot see is rdma_*: driver counters,
// netdev bytes of ports without PMA data counters, bound QP counters with
// their process, container, pod and namespace, GID tables and cgroups.
import type { Sample } from './sampler.js';
import type { Reading } from './reading.js';
import type { SurveyedPort } from './gid-survey.js';
import type { CgroupUse } from './cgroup-survey.js';
import { PORT_STATES, PHYS_STATES } from '../protocol/enums.js';

export type Labels = Record<string, string>;
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Array<{ labels: Labels; value: number }>;
}

/** PMA counters/ file → node_exporter's name (collector/infiniband_linux.go, procfs class_infiniband.go). */
export const NODE_EXPORTER_PMA: Record<string, [string, string]> = {
  port_rcv_data: ['port_data_received_bytes_total', 'Number of data octets received on all links'],
  port_xmit_data: ['port_data_transmitted_bytes_total', 'Number of data octets transmitted on all links'],
  port_rcv_packets: ['port_packets_received_total', 'Number of packets received on all VLs by this port (including errors)'],
  port_xmit_packets: ['port_packets_transmitted_total', 'Number of packets transmitted on all VLs from this port (including errors)'],
  port_rcv_errors: ['port_errors_received_total', 'Number of packets containing an error that were received on this port'],
  port_xmit_discards: ['port_discards_transmitted_total',
    'Number of outbound packets discarded by the port because the port is down or congested'],
  port_rcv_constraint_errors: ['port_constraint_errors_received_total',
    'Number of packets received on the switch physical port that are discarded'],
  port_xmit_constraint_errors: ['port_constraint_errors_transmitted_total',
    'Number of packets not transmitted from the switch physical port'],
  port_xmit_wait: ['port_transmit_wait_total',
    'Number of ticks during which the port had data to transmit but no data was sent during the entire tick'],
  port_rcv_remote_physical_errors: ['port_receive_remote_physical_errors_total',
    'Number of packets marked with the EBP delimiter received on the port'],
  port_rcv_switch_relay_errors: ['port_receive_switch_relay_errors_total', 'Number of packets that could not be forwarded by the switch'],
  symbol_error: ['symbol_error_total', 'Number of minor link errors detected on one or more physical lanes'],
  VL15_dropped: ['vl15_dropped_total', 'Number of incoming VL15 packets dropped due to resource limitations'],
  link_downed: ['link_downed_total', 'Number of times the link failed to recover from an error state and went down'],
  link_error_recovery: ['link_error_recovery_total', 'Number of times the link successfully recovered from an error state'],
  local_link_integrity_errors: ['local_link_integrity_errors_total',
    'Number of times that the count of local physical errors exceeded the threshold'],
  excessive_buffer_overrun_errors: ['excessive_buffer_overrun_errors_total',
    'Number of times that OverrunErrors consecutive flow control update periods occurred'],
  unicast_rcv_packets: ['unicast_packets_received_total', 'Number of unicast packets received (including errors)'],
  unicast_xmit_packets: ['unicast_packets_transmitted_total', 'Number of unicast packets transmitted (including errors)'],
  multicast_rcv_packets: ['multicast_packets_received_total', 'Number of multicast packets received (including errors)'],
  multicast_xmit_packets: ['multicast_packets_transmitted_total', 'Number of multicast packets transmitted (including errors)'],
};

/** A metric-name-safe form of a kernel counter name. */
export const metricSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');

/** Metric names by prefix and counter name: a scrape names ~27k series from a few dozen counter names. */
const nameCache = new Map<string, Map<string, string>>();
const metricName = (prefix: string, counter: string): string => {
  let names = nameCache.get(prefix);
  if (!names) nameCache.set(prefix, (names = new Map()));
  let n = names.get(counter);
  if (n === undefined) names.set(counter, (n = `${prefix}${metricSafe(counter)}_total`));
  return n;
};

/**
 * Label sets kept from one reading to the next, one object per distinct set.
 * Why: the exposition writer (prom-client) formats a series' sharedLabels once
 * per object (a WeakMap), so a QP counter's ~25 series and every later scrape
 * of them reuse one formatted string. Sets unused in a reading are dropped.
 */
export class LabelSets {
  private cur = new Map<string, Labels>();
  private prev = new Map<string, Labels>();
  /** Starts a reading: sets not asked for again in it are forgotten after it. */
  next(): void {
    this.prev = this.cur;
    this.cur = new Map();
  }
  get(labels: Labels): Labels {
    let key = '';
    for (const k in labels) key += `${k}\0${labels[k]}\0`;
    let l = this.cur.get(key);
    if (!l) {
      l = this.prev.get(key) ?? labels;
      this.cur.set(key, l);
    }
    return l;
  }
}

/** "100 Gb/sec (4X EDR)" → bytes per second, as node_exporter computes it (Gb/s × 125,000,000). */
export function rateBytesPerSecond(rate: string | undefined): number | undefined {
  const m = /^([\d.]+) Gb\/sec/.exec(rate ?? '');
  return m ? Number(m[1]) * 125_000_000 : undefined;
}

class Families {
  private map = new Map<string, MetricFamily>();
  /** help: a function for a family named after a counter, so the text is built once per family, not per series. */
  add(name: string, type: MetricFamily['type'], help: string | (() => string), labels: Labels, value: number): void {
    let f = this.map.get(name);
    if (!f) this.map.set(name, (f = { name, type, help: typeof help === 'string' ? help : help(), samples: [] }));
    f.samples.push({ labels, value });
  }
  get all(): MetricFamily[] {
    return [...this.map.values()];
  }
}

const valueOf = (r: Reading) => Number(r.raw) * (r.spec.bytesPerUnit ?? 1);

export interface MetricInputs {
  sample: Sample;
  gids?: SurveyedPort[];
  cgroups?: CgroupUse[];
}

export function toMetrics(input: MetricInputs, sets = new LabelSets()): MetricFamily[] {
  const f = new Families();
  sets.next();
  for (const p of input.sample.ports) {
    const port = sets.get({ device: p.dev, port: String(p.port) });
    const bySource = new Map<string, Labels>();
    const state = p.state === undefined ? -1 : PORT_STATES.indexOf(p.state);
    if (state >= 0) f.add('node_infiniband_state_id', 'gauge',
      'State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5: act defer)', port, state);
    const phys = p.physState === undefined ? -1 : PHYS_STATES.indexOf(p.physState);
    if (phys >= 0) f.add('node_infiniband_physical_state_id', 'gauge',
      'Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable, 4: shift, 5: link up, 6: link ' +
        'error recover, 7: phytest)', port, phys);
    const rate = rateBytesPerSecond(p.linkRate);
    if (rate !== undefined) f.add('node_infiniband_rate_bytes_per_second', 'gauge', 'Maximum signal transfer rate', port, rate);
    f.add('rdma_port_info', 'gauge', 'RDMA port facts: its netns, netdev and link layer (always 1)', sets.get({ ...port,
      netns: p.netns.label, netdev: p.netdev ?? '', link_layer: p.linkLayer ?? '' }), 1);
    const netdev = sets.get({ ...port, netdev: p.netdev ?? '' });
    for (const r of p.counters) {
      if (r.source === 'pma') {
        const ne = NODE_EXPORTER_PMA[r.name];
        if (ne) f.add(`node_infiniband_${ne[0]}`, 'counter', ne[1], port, valueOf(r));
        continue;
      }
      if (r.source === 'netdev') {
        f.add(metricName('rdma_port_netdev_', r.name), 'counter',
          () => `The port's netdev ${r.name} (IFLA_STATS64, read in the netdev's namespace): a software device's RDMA traffic`,
            netdev, valueOf(r));
        continue;
      }
      let hw = bySource.get(r.source);
      if (!hw) bySource.set(r.source, (hw = sets.get({ ...port, source: r.source })));
      f.add(metricName('rdma_port_hw_', r.name), 'counter',
        () => `Driver counter ${r.name} of the port (sysfs hw_counters/ or netlink STAT_GET)`, hw, valueOf(r));
    }
  }
  for (const c of input.sample.counters) {
    const labels = sets.get({
      device: c.dev, port: String(c.port), cntn: String(c.cntn), pid: c.pid === undefined ? '' : String(c.pid), comm: c.comm ?? '',
      container: c.owner?.container?.name ?? c.owner?.container?.id.slice(0, 12) ?? '',
        pod_namespace: c.owner?.pod?.namespace ?? '', pod_name: c.owner?.pod?.name ?? '', netns: c.netns.label,
    });
    for (const r of c.counters) f.add(metricName('rdma_qp_', r.name), 'counter',
      () => `Bound QP counter ${r.name} (netlink STAT_GET, QP counter mode auto by pid or manual)`, labels, valueOf(r));
  }
  for (const g of input.gids ?? []) {
    if (!g.roce) continue;
    const port = sets.get({ device: g.device.name, port: String(g.table.port) });
    f.add('rdma_gid_table_size', 'gauge', 'GID table slots of the port', port, g.table.size);
    f.add('rdma_gid_table_used', 'gauge', 'GID table slots in use', port, g.used);
    f.add('rdma_gid_table_v1_entries', 'gauge', 'GID entries of type IB/RoCE v1', port, g.count.v1);
    f.add('rdma_gid_table_v2_entries', 'gauge', 'GID entries of type RoCE v2', port, g.count.v2);
    f.add('rdma_gid_stranded_ips', 'gauge', 'IPs on the port\'s netdev or its upper devices (any netns) with no RoCE v2 GID',
      port, g.stranded.length);
  }
  for (const c of input.cgroups ?? []) {
    for (const d of c.devices) {
      for (const [resource, u] of Object.entries(d.resources)) {
        const labels = sets.get({ cgroup: c.path, device: d.dev, resource,
          container: c.container?.name ?? c.container?.id.slice(0, 12) ?? '', pod_namespace: c.pod?.namespace ?? '',
            pod_name: c.pod?.name ?? '' });
        f.add('rdma_cgroup_usage', 'gauge', 'RDMA cgroup count (rdma.current)', labels, u.current ?? 0);
        if (typeof u.max === 'number') f.add('rdma_cgroup_limit', 'gauge', 'RDMA cgroup limit (rdma.max, when not max)', labels, u.max);
      }
    }
  }
  return f.all;
}
