// Verdict helpers for the lab's checks: each returns what is wrong with an
// outcome, or undefined. Shared by every case file.
export interface Outcome {
  stdout: string;
  stderr: string;
  status: number;
}
export type Expect = (r: Outcome) => string | undefined;

export const all = (...fs: Expect[]): Expect => (r) => fs.map((f) => f(r)).find(Boolean);
export const exits = (code: number): Expect => (r) => (r.status === code ? undefined : `exit ${r.status}, want ${code}: ${r.stderr}`);
export const stdoutHas = (needle: string): Expect => (r) =>
  r.stdout.includes(needle) ? undefined : `stdout lacks ${JSON.stringify(needle)}:\n${r.stdout}`;
export const stderrHas = (needle: string): Expect => (r) =>
  r.stderr.includes(needle) ? undefined : `exit ${r.status}, stderr lacks ${JSON.stringify(needle)}:\n${r.stderr}`;
/** Exit 0 and the text on stdout. */
export const has = (needle: string): Expect => (r) =>
  r.status === 0 ? stdoutHas(needle)(r) : `exit ${r.status}, stdout lacks ${JSON.stringify(needle)}:\n${r.stdout}`;
export const lacks = (needle: string): Expect => (r) =>
  r.status === 0 && !r.stdout.includes(needle) ? undefined : `exit ${r.status}, stdout has ${JSON.stringify(needle)}:\n${r.stdout}`;
/** A non-zero exit with the message on stderr. */
export const fails = (message: string): Expect => (r) =>
  r.status !== 0 && r.stderr.includes(message) ? undefined : `exit ${r.status}, stderr lacks ${JSON.stringify(message)}: ${r.stderr}`;
export const matchesRe = (re: RegExp): Expect => (r) => (re.test(r.stdout) ? undefined : `stdout does not match ${re}:\n${r.stdout}`);
/** The text (or pattern) in stdout or stderr, whatever the exit status. */
export const contains = (needle: string | RegExp, where: 'stdout' | 'stderr' = 'stdout'): Expect => (r) =>
  (typeof needle === 'string' ? r[where].includes(needle) : needle.test(r[where])) ? undefined : `${where} lacks ${needle}:\n${r[where]}`;

/** `KEY a b c` lines a script prints: the numbers after KEY. */
export function marks(stdout: string, key: string): number[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? line.slice(key.length + 1).trim().split(/\s+/).map(Number) : [];
}

/** A script's `STATUS n` line (the exit status of the command it ran). */
export const status = (want: number, key = 'STATUS'): Expect => (r) => {
  const [got] = marks(r.stdout, key);
  return got === want ? undefined : `${key} ${got}, want ${want}\n${r.stdout}\n${r.stderr}`;
};

/** What a script printed between `=BEGIN` and `=END` lines (the `n`th such section). */
export function section(stdout: string, n = 0): string {
  return `\n${stdout}`.split('\n=BEGIN\n')[n + 1]?.split('\n=END')[0] ?? '';
}
