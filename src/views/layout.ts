// Output layouts: what differs between iproute2 releases, as data.
// 'upstream' follows iproute2 7.1; '6.1' reproduces Debian bookworm's
// iproute2 6.1.0 byte for byte (checked against real captures in the lab).

export interface Layout {
  name: string;
  /** Since 6.7 newline() is putchar('\n') after every record, JSON included. */
  recordNewlineInJson: boolean;
  /** Since 6.7 counters, mode lists and driver tables always break lines in text. */
  alwaysBreakLines: boolean;
  /** Before 6.7, -p also broke those lines in text output. */
  prettyBreaksText: boolean;
  /** Driver tables wrap after 80 printed characters (only before 6.7, and only with -p). */
  driverTableWraps: boolean;
  /** Attributes that newer iproute2 prints and older ignores. */
  devProtocol: boolean; // `protocol` in dev show (6.5)
  devTypeParent: boolean; // `type smi parent X` (6.11)
  sysPrivilegedQkey: boolean; // 6.7
  sysMonitor: boolean; // 6.13
  qpSubtype: boolean; // RES_SUBTYPE (6.9)
  statOpcounters: boolean; // optional-counters in stat qp mode (6.15)
  statQpFilters: boolean; // `stat qp show` filters (6.1 knows only `link`)
  oneline: boolean; // -o exists (6.7)
  /**
   * iproute2 6.1 prints a user SRQ's comm from a dead stack buffer that its range helper reuses: after a QPN
   * range, the comm shows the last range segment (`lqpn 20-21 ... comm 20-21`); see model/srq-qps.ts. 7.1 is fixed.
   */
  srqCommIsRangeBuffer: boolean;
  /** -r for SRQs (RES_SRQ_GET_RAW): 7.x; 6.1 ignores -r there and prints the parsed SRQs (lab-checked). */
  srqRaw: boolean;
  /** rdma-ts's own: a port's RoCE GID types from the proposed kernel attribute (kernel/); no iproute2 prints them. */
  roceGidTypes: boolean;
}

export const LAYOUTS: Record<string, Layout> = {
  upstream: {
    name: 'upstream', recordNewlineInJson: true, alwaysBreakLines: true, prettyBreaksText: false,
    driverTableWraps: false, devProtocol: true, devTypeParent: true, sysPrivilegedQkey: true,
    sysMonitor: true, qpSubtype: true, statOpcounters: true, statQpFilters: true, oneline: true, roceGidTypes: true,
    srqCommIsRangeBuffer: false, srqRaw: true,
  },
  '6.1': {
    name: '6.1', recordNewlineInJson: false, alwaysBreakLines: false, prettyBreaksText: true,
    driverTableWraps: true, devProtocol: false, devTypeParent: false, sysPrivilegedQkey: false,
    sysMonitor: false, qpSubtype: false, statOpcounters: false, statQpFilters: false, oneline: false, roceGidTypes: false,
    srqCommIsRangeBuffer: true, srqRaw: false,
  },
};

/** --compat's accepted names, and the layout each selects. */
export const COMPAT_NAMES: Record<string, string> = { upstream: 'upstream', '7': 'upstream', '7.1': 'upstream', '6.1': '6.1', '6': '6.1' };

export function layoutFor(compat: string | undefined): Layout {
  const name = compat ? COMPAT_NAMES[compat] : 'upstream';
  if (!name) throw new Error(`unknown --compat layout '${compat}' (known: upstream, 6.1)`); // the options parser refuses it first
  return LAYOUTS[name];
}

/** A Layout flag by name, as field tables and object kinds name them (`qpSubtype`, `srqRaw`). */
export function layoutFlag(layout: Layout, name: string): boolean {
  return (layout as unknown as Record<string, boolean>)[name] === true;
}
