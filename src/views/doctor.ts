// doctor: one line per check (status, name, summary), the evidence and the
// fix indented under it; JSON: one record per check.
import { Output } from './output.js';
import type { Finding } from '../model/doctor/finding.js';

export function printDoctorText(out: Output, label: string, findings: Finding[], exit: number): void {
  let s = `rdma-ts doctor: ${label}\n`;
  for (const f of findings) {
    s += `${f.status.padEnd(4)}  ${f.check.padEnd(12)}  ${f.summary}\n`;
    if (f.status === 'ok' || f.status === 'skip') continue;
    for (const e of f.evidence) s += `      ${e}\n`;
    if (f.fix) s += `      fix: ${f.fix}\n`;
  }
  s += `${['ok', 'warn', 'fail'][exit]} (exit ${exit})\n`;
  out.raw(s);
}

export function printDoctorJson(out: Output, label: string, findings: Finding[]): void {
  out.standardJson = true;
  out.begin();
  for (const f of findings) {
    out.openRecord();
    out.jsonOnly('target', label);
    out.jsonOnly('check', f.check);
    out.jsonOnly('status', f.status);
    out.jsonOnly('summary', f.summary);
    out.openArray('evidence');
    for (const e of f.evidence) out.arrayItem('', e);
    out.closeArray();
    out.jsonOnly('fix', f.fix ?? null);
    out.closeRecord();
  }
  out.end();
}
