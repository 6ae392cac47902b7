// What a doctor check says: a status, one line, the evidence behind it and
// the way out. The exit status is the worst: 0 ok, 1 warn, 2 fail; `skip`
// (the check does not apply to this target) counts as ok.
export type Status = 'ok' | 'warn' | 'fail' | 'skip';

export interface Finding {
  check: string;
  status: Status;
  summary: string;
  evidence: string[];
  fix?: string;
}

export const RANK: Record<Status, number> = { skip: 0, ok: 0, warn: 1, fail: 2 };

export function worst(findings: Finding[]): number {
  return Math.max(0, ...findings.map((f) => RANK[f.status]));
}

export const finding = (check: string, status: Status, summary: string, evidence: string[] = [],
  fix?: string): Finding => ({ check, status, summary, evidence, fix });
