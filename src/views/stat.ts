// rdma statistic printers.
import { Output } from './output.js';
import type { Counter, PortCounters, QpCounter, QpCounterMode, CounterStatus } from '../model/stat.js';
import { AUTO_MASK, STAT_MODE } from '../model/stat.js';
import { qpTypeName, onOffName } from '../protocol/enums.js';
import { printLink, printComm, breaksLines } from './fields.js';

function printCounters(out: Output, counters: Counter[]): void {
  const brk = breaksLines(out);
  for (const c of counters) {
    if (brk) out.newlineIndent();
    out.kv(c.name, `${c.name} ${c.value} `, c.value);
  }
}

/** `link DEV/PORT name value ...`; JSON carries ifname and port but no ifindex. */
export function printPortCounters(out: Output, p: PortCounters): void {
  out.openRecord();
  out.kv('ifname', `link ${p.devName}/`, p.devName);
  out.kv('port', `${p.port} `, p.port);
  printCounters(out, p.counters);
  out.closeRecord();
}

export function printQpCounter(out: Output, c: QpCounter, comm: string | undefined): void {
  out.openRecord();
  printLink(out, c.devIndex, c.devName, c.port);
  out.kv('cntn', `cntn ${c.id} `, c.id);
  if (c.qpType !== undefined) out.kv('qp-type', `qp-type ${qpTypeName(c.qpType)} `, qpTypeName(c.qpType));
  if (c.pid !== undefined) out.kv('pid', `pid ${c.pid} `, c.pid);
  printComm(out, comm, c.pid !== undefined);
  printCounters(out, c.counters);
  out.openArray('lqpn', `${out.sl}    LQPN: <`);
  c.lqpns.forEach((q, i) => out.arrayItem(i ? `,${q}` : String(q), q));
  out.closeArray('>');
  out.closeRecord();
}

export function qpModeString(m: QpCounterMode, withOpcounters: boolean): string {
  if (m.mode !== STAT_MODE.AUTO) return 'qp auto off';
  const crit: string[] = [];
  if (m.autoMask & AUTO_MASK.QP_TYPE) crit.push('type');
  if (m.autoMask & AUTO_MASK.PID) crit.push('pid');
  let s = `qp auto ${crit.join(',')} on`;
  if (withOpcounters && m.opcounters !== undefined) s += ` optional-counters ${onOffName(m.opcounters)}`;
  return s;
}

export function printQpMode(out: Output, m: QpCounterMode): void {
  out.openRecord();
  printLink(out, m.devIndex, m.devName, m.port);
  const s = qpModeString(m, out.opts.layout.statOpcounters);
  out.kv('mode', `mode ${s} `, s);
  out.closeRecord();
}

/** stat mode [supported]: the optional counters that are enabled (or merely supported). */
export function printCounterStatus(out: Output, s: CounterStatus, supported: boolean): void {
  const names = s.counters.filter((c) => c.dynamic !== undefined && (supported || c.dynamic)).map((c) => c.name);
  if (!names.length) return;
  const key = supported ? 'supported optional-counters' : 'optional-counters';
  out.openRecord();
  printLink(out, s.devIndex, s.devName, s.port);
  out.openArray(key, `${key} `);
  const brk = breaksLines(out);
  names.forEach((n, i) => {
    if (i) out.text(',');
    if (brk) out.newlineIndent();
    out.arrayItem(n, n);
  });
  out.closeArray(' ');
  out.closeRecord();
}
