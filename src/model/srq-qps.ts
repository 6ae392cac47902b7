// An SRQ's QP list as rdmatool prints it: its get_srq_qps() and
// filter_srq_range_qps() (rdma/res-srq.c, the same in 6.1 and 7.1) redone,
// buffer sizes included, because the printed list depends on them.

/** An SRQ's QPs as the kernel lists them: one QPN, or a MIN..MAX range. */
export type QpnRange = [qpn: number] | [min: number, max: number];

export interface SrqQpList {
  /** The list's items (`18`, `23-24`), after the lqpn filter; empty if nothing is left. */
  items: string[];
  /**
   * What filter_srq_range_qps() left in its `char tmp[16]`, if it ran (a range entry was seen).
   * iproute2 6.1's res_srq_line() keeps the comm in a buffer whose scope has ended, and
   * Debian's 6.1 build gives that stack slot to this tmp (disassembly: both are 0x360(%rsp)),
   * so 6.1 prints this as a user SRQ's comm. Lab-observed: ranges `19-20` -> `comm 19-20`,
   * single QPNs `18,20` -> the real comm.
   */
  rangeBuffer?: string;
}

const MAX_QP_STR_LEN = 256;
const TMP_LEN = 16;

/** snprintf(tmp, 16, ...): at most 15 characters. */
const tmp = (s: string) => s.slice(0, TMP_LEN - 1);

/**
 * rdmatool's list for the entries, keeping the QPNs `shown` accepts (the lqpn filter).
 * A filtered QPN inside a range splits it; as in rdmatool, QPN 0 cannot open a segment.
 */
export function srqQpList(entries: QpnRange[], shown: (qpn: number) => boolean = () => true): SrqQpList {
  let qpStr = '';
  let delimiter = '';
  let rangeBuffer: string | undefined;
  // strncat(qp_str, s, MAX_QP_STR_LEN - strlen(qp_str) - 1)
  const append = (s: string) => {
    qpStr += s.slice(0, Math.max(0, MAX_QP_STR_LEN - qpStr.length - 1));
  };
  const segment = (lo: number, hi: number) => tmp(hi ? `${delimiter}${lo}-${hi}` : `${delimiter}${lo}`);
  for (const [lo, hi] of entries) {
    if (hi === undefined) {
      if (!shown(lo)) continue;
      append(tmp(`${delimiter}${lo}`));
      delimiter = ',';
      continue;
    }
    rangeBuffer = '';
    let min = 0;
    let max = 0;
    for (let qpn = lo; qpn <= hi; qpn++) {
      if (!shown(qpn)) {
        if (!min) continue;
        append(segment(min, max));
        rangeBuffer = ''; // memset(tmp, 0, strlen(tmp))
        delimiter = ',';
        min = max = 0;
        continue;
      }
      if (!min) min = qpn;
      else max = qpn;
    }
    if (!min) continue;
    rangeBuffer = segment(min, max);
    append(rangeBuffer);
    delimiter = ',';
  }
  // print_qps() splits with strtok(",")
  return { items: qpStr.split(',').filter((s) => s !== ''), rangeBuffer };
}
