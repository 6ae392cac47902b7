// Runs inside the lab guest, as one node process (process start costs
// ~0.5-1 s under TCG): sets up each scenario in turn, freezes its traffic,
// runs its cases through iproute2's `rdma` (a child process) and through
// rdma-ts in this process, and writes the verdicts and timings as JSON.
// With LAB_RECORD set, cases marked `fixture` are also recorded.
import { spawnSync, execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../../src/cli/main.js';
import { Output } from '../../src/views/output.js';
import { shellQuote } from '../../src/lab/quote.js';
import { SCENARIOS, PATCHED_SCENARIOS, Scenario } from '../../src/lab/scenarios.js';
import { LabCase, LabCheck, WriteCase, AllowedDifference, OracleName, ShellCheck, SHELL_CHECKS, RPING_CASES, RPING_CHECKS,
  LAB_BATCHES, SCALE_CASES,
  NETNS_CASES, NETNS_CHECKS, WRITE_CASES, WRITE_CHECKS, MOVE_CHECKS } from './cases.js';
import { TOP_CHECKS, TOP_NETNS_CHECKS, TOP_RECORDINGS, TOP_NETNS_RECORDINGS, TopRecording } from './top-cases.js';
import { EXPORTER_CHECKS } from './exporter-cases.js';
import { UPSTREAM_CASES, UPSTREAM_WRITE_CASES, UPSTREAM_SHELL_CHECKS } from './upstream-cases.js';
import { recordExporter } from './exporter-recording.js';
import { NO_RDMA_CHECKS } from './no-rdma-cases.js';
import { DOCTOR_NETNS_CHECKS, DOCTOR_GID_CHECKS, DOCTOR_CGROUP_CHECK } from './doctor-cases.js';
import { CGROUP_CHECKS, CGROUP_RECORDINGS, CGROUP_RELEASE, CGROUP_V1 } from './cgroup-cases.js';
import { GID_CHECKS, GID_NETNS_CHECKS, GID_RECORDINGS, GID_RPING_CHECKS, CAPACITY_CHECKS } from './gid-cases.js';

export interface Outcome {
  stdout: string;
  stderr: string;
  status: number;
  ms: number;
}

export interface Verdict {
  name: string;
  ok: boolean;
  detail?: string;
  /** Why the case did not run on this kernel: reported as skipped, never as passed. */
  skip?: string;
}

export interface GuestReport {
  kernel: string;
  scenarios: { name: string; setupMs: number; runMs: number; verdicts: Verdict[] }[];
  /** Lines for the host to print (timings of rdma vs rdma-ts on the same state). */
  notes: string[];
}

const [outFile] = process.argv.slice(2);
const recordDir = process.env.LAB_RECORD;
const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
const VARS_FILE = '/tmp/lab-vars';
const vars = (): Record<string, string> => existsSync(VARS_FILE)
  ? Object.fromEntries(readFileSync(VARS_FILE, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]))
  : {};
const expand = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars()[k] ?? `{${k}}`);
const words = (s: string) => s.split(' ').filter(Boolean);

function sh(script: string): number {
  return spawnSync('sh', ['-c', script], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env,
    LAB_VARS: VARS_FILE } }).status ?? -1;
}

/**
 * The two oracles: Debian's iproute2 6.1 `rdma` against `rdma-ts --compat 6.1`, and upstream
 * iproute2 7.1's (built on the host from test/oracle, passed in as LAB_RDMA_UPSTREAM) against
 * rdma-ts's default layout. Verdict names keep `rdma` for 6.1 and say `rdma 7.1` for the other.
 */
export interface Oracle { name: OracleName; bin: string; label: string; compat: string[] }
if (!process.env.LAB_RDMA_UPSTREAM) throw new Error('lab: LAB_RDMA_UPSTREAM (iproute2 7.1\'s rdma, built by test/lab/run.ts) is not set');
const UPSTREAM: Oracle = { name: '7.1', bin: process.env.LAB_RDMA_UPSTREAM, label: 'rdma 7.1', compat: [] };
const ORACLES: Oracle[] = [{ name: '6.1', bin: 'rdma', label: 'rdma', compat: ['--compat', '6.1'] }, UPSTREAM];

/** iproute2's rdma (`bin`), inside `ns` when given (a netns name, or a PID's netns). */
function rdma(argv: string[], ns?: string, bin = 'rdma'): Outcome {
  const cmd = !ns ? [bin, ...argv] : /^\d+$/.test(ns) ? ['nsenter', `--net=/proc/${ns}/ns/net`, bin, ...argv]
    : ['ip', 'netns', 'exec', ns, bin, ...argv];
  const t = performance.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1, ms: performance.now() - t };
}

/** rdma-ts in this process, capturing what it writes. */
function rdmaTs(argv: string[]): Outcome {
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const sink = Output.defaultSink;
  Output.defaultSink = (s) => { stdout += s; };
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  const t = performance.now();
  let status: number;
  try {
    const rc = main(argv);
    if (typeof rc !== 'number') throw new Error(`lab: ${argv.join(' ')} streams; run it as a process (a shell check)`);
    status = rc;
  } finally {
    Output.defaultSink = sink;
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  return { stdout, stderr, status, ms: performance.now() - t };
}

function firstDifference(a: string, b: string): string {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  rdma:    ${JSON.stringify(x[i])}\n  rdma-ts: ${JSON.stringify(y[i])}`;
  }
  return '';
}

/** The difference allowed against `o` (undefined: identical output required). */
function allowed(c: LabCase | WriteCase, o: Oracle): AllowedDifference | undefined {
  const d = o.name === '7.1' && c.upstream !== undefined ? c.upstream : c.differs;
  return d === 'same' ? undefined : d;
}

/** A read case against every oracle it is written for. */
const differentials = (scenario: string, c: LabCase, label?: string): Verdict[] =>
  ORACLES.filter((o) => !c.oracles || c.oracles.includes(o.name)).map((o) => c.kernel && !c.kernel.test(kernel)
    ? otherKernel(`${o.label} ${label ?? c.argv}`, c.kernel) : differential(scenario, c, o, label));

function differential(scenario: string, c: LabCase, o: Oracle, label = c.argv): Verdict {
  const argv = words(expand(c.argv));
  const ns = c.ns ? expand(c.ns) : undefined;
  const a = rdma(argv, ns, o.bin);
  const b = rdmaTs([...o.compat, ...(ns ? ['-n', ns] : []), ...argv]);
  const same = a.stdout === b.stdout && a.status === b.status;
  const name = `${o.label} ${ns ? `[netns ${c.ns}] ` : ''}${label}`;
  // Recorded once, in the first oracle's layout; the goldens of both come from the same state.
  if (c.fixture && recordDir && o === ORACLES.find((x) => !c.oracles || c.oracles.includes(x.name))) record(scenario, c, argv, ns, o, a);
  const d = allowed(c, o);
  if (d) {
    const wrong = d.expect(a, b);
    return { name: `${name} (allowed difference: ${d.why})`, ok: !wrong, detail: wrong };
  }
  return {
    name, ok: same,
    detail: same ? undefined : `exit ${a.status} vs ${b.status}\n${firstDifference(a.stdout, b.stdout)}\nrdma stderr: ` +
      `${a.stderr}\nrdma-ts stderr: ${b.stderr}`,
  };
}

/**
 * fixtures/lab/<kernel>/<scenario>/<name>.json, recorded through rdma-ts in `o`'s layout, plus
 * what each oracle of the case printed for the same state: <name>.rdma.json (6.1) and
 * <name>.rdma-7.1.json (7.1), replayed by test/lab-fixtures.test.ts.
 */
function record(scenario: string, c: LabCase, argv: string[], ns: string | undefined, o: Oracle, out: Outcome): void {
  const dir = join(recordDir!, kernel, scenario);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${c.fixture}.json`);
  process.env.RDMA_TS_SCENARIO = scenario;
  const r = rdmaTs(['--record', file, ...o.compat, ...(ns ? ['-n', ns] : []), ...argv]);
  delete process.env.RDMA_TS_SCENARIO;
  if (r.stdout !== out.stdout) throw new Error(`lab: state moved while recording ${file}`);
  // Recorded through -n NS; a replay answers the plain command, so the
  // namespace moves from the exchanges into a note.
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[]; exchanges: { netns: string | null }[]; netns?: string };
  rec.argv = argv;
  if (ns) {
    rec.netns = c.ns === '{UPID}' ? 'unnamed (a PID\'s netns)' : ns;
    for (const x of rec.exchanges) x.netns = null;
  }
  writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  for (const other of ORACLES.filter((x) => !c.oracles || c.oracles.includes(x.name))) {
    const u = other === o ? out : rdma(argv, ns, other.bin);
    writeFileSync(join(dir, `${c.fixture}.${other.name === '6.1' ? 'rdma' : 'rdma-7.1'}.json`),
      JSON.stringify({ argv, status: u.status, stdout: u.stdout }, null, 1) + '\n');
  }
  if (rdma(argv, ns, o.bin).stdout !== out.stdout) throw new Error(`lab: state moved while recording ${file} (second oracle)`);
}

/** A case written for other kernels: skipped, with the reason. */
const otherKernel = (name: string, re: RegExp): Verdict => ({ name, ok: true,
  skip: `written for kernels matching ${re}; this one is ${kernel}` });

function check(c: LabCheck): Verdict | undefined {
  if (c.kernel && !c.kernel.test(kernel)) return otherKernel(`rdma-ts ${c.argv}: ${c.name}`, c.kernel);
  if (c.before) sh(expand(c.before));
  const r = rdmaTs(words(expand(c.argv)));
  if (c.after) sh(expand(c.after));
  const wrong = c.expect(r);
  return { name: `rdma-ts ${c.argv}: ${c.name}`, ok: !wrong, detail: wrong };
}

/** A write case against every oracle it is written for. */
const writeDifferentials = (c: WriteCase): Verdict[] =>
  ORACLES.filter((o) => !c.oracles || c.oracles.includes(o.name)).map((o) => c.kernel && !c.kernel.test(kernel)
    ? otherKernel(`write: ${o.label} ${c.argv}`, c.kernel) : writeDifferential(c, o));

/** A write through both tools on the same state (see WriteCase). */
function writeDifferential(c: WriteCase, o: Oracle): Verdict {
  const argv = words(expand(c.argv));
  const step = (x?: string) => x && sh(expand(x));
  step(c.before);
  const a = rdma(argv, undefined, o.bin);
  step(c.after);
  step(c.before);
  const b = rdmaTs([...o.compat, ...argv]);
  step(c.after);
  const d = allowed(c, o);
  const name = `write: ${o.label} ${c.argv}${d ? ` (allowed difference: ${d.why})` : ''}`;
  if (d) {
    const wrong = d.expect(a, b);
    return { name, ok: !wrong, detail: wrong };
  }
  const missing = a.stderr.split('\n').filter((l) => l && !b.stderr.includes(l));
  const ok = a.stdout === b.stdout && a.status === b.status && !missing.length;
  return {
    name, ok,
    detail: ok ? undefined : `exit ${a.status} vs ${b.status}\n${firstDifference(a.stdout, b.stdout)}\nrdma stderr: ${a.stderr}\n` +
      `rdma-ts stderr: ${b.stderr}\nmissing: ${missing.join(' | ')}`,
  };
}

// rdma-ts: the guest prelude's wrapper on PATH (src/lab/vm.ts), which quotes this checkout's path.
const SHELL_ENV = { ...process.env, RDMA_TS: 'rdma-ts', LAB_VARS: VARS_FILE };

/** A script run as processes, with $RDMA_TS set to this checkout's binary. */
function shellCheck(c: ShellCheck): Verdict | undefined {
  if (c.kernel && !c.kernel.test(kernel)) return otherKernel(`shell: ${c.name}`, c.kernel);
  const r = spawnSync('sh', ['-c', expand(c.script)], { encoding: 'utf8', env: SHELL_ENV, timeout: c.timeoutMs ?? 180_000,
    maxBuffer: 1 << 26 });
  const wrong = c.expect({ stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 });
  const note = c.note?.({ stdout: r.stdout });
  if (note) notes.push(note);
  return { name: `shell: ${c.name}`, ok: !wrong, detail: wrong };
}

/**
 * With LAB_RECORD: records a command run as a process, a live top session
 * for one (fixtures/lab/KERNEL/SCENARIO/NAME.json), and what it printed
 * (NAME.out.json), and checks here that replaying it prints the same bytes.
 */
function recordRun(scenario: string, t: TopRecording): Verdict | undefined {
  if (!recordDir) return undefined;
  const dir = join(recordDir, kernel, scenario);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${t.name}.json`);
  const env = { ...SHELL_ENV, RDMA_TS_SCENARIO: scenario };
  const live = spawnSync('sh', ['-c', `$RDMA_TS --record ${shellQuote(file)} ${t.argv}`], { encoding: 'utf8', env, timeout: 180_000 });
  const argv = words(t.argv);
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[] };
  rec.argv = argv;
  writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  writeFileSync(join(dir, `${t.name}.out.json`), JSON.stringify({ argv, status: live.status, stdout: live.stdout }, null, 1) + '\n');
  const again = spawnSync('sh', ['-c', `$RDMA_TS --replay ${shellQuote(file)} ${t.argv}`], { encoding: 'utf8', env, timeout: 180_000 });
  const same = again.stdout === live.stdout && again.status === live.status && live.status === (t.status ?? 0);
  return { name: `record: ${t.argv} replays to the same output`, ok: same,
    detail: same ? undefined : `live exit ${live.status}, replay ` +
      `${again.status}\n${firstDifference(live.stdout, again.stdout)}\n${live.stderr}${again.stderr}` };
}

function batches(): Verdict[] {
  return LAB_BATCHES.flatMap((text, i) => {
    const file = `/tmp/batch-${i}.txt`;
    writeFileSync(file, text);
    return [['-b', file], ['-f', '-b', file]].flatMap((flags) => differentials('rping', { argv: flags.join(' ') },
      `${flags.join(' ')} (${JSON.stringify(text)})`));
  });
}

const notes: string[] = [];

/** Same state, whole processes: iproute2 rdma vs rdma-ts vs bare node. */
function timeAgainstRdma(argv: string): void {
  const median = (f: () => number) => { const t = [f(), f(), f()].sort((a, b) => a - b); return t[1]; };
  const proc = (cmd: string, args: string[]) => () => { const t = performance.now(); spawnSync(cmd, args, { stdio: 'ignore',
    maxBuffer: 1 << 28 }); return performance.now() - t; };
  const bin = join(process.cwd(), 'bin/rdma-ts.js');
  const r = median(proc('rdma', words(argv)));
  const ts = median(proc(process.execPath, [bin, '--compat', '6.1', ...words(argv)]));
  const node = median(proc(process.execPath, ['-e', '0']));
  notes.push(`bench ${kernel} \`${argv}\`: rdma ${r.toFixed(0)} ms, rdma-ts ${ts.toFixed(0)} ms (${(ts / r).toFixed(2)}x rdma), ` +
    `node -e 0 ${node.toFixed(0)} ms (rdma-ts ${(ts / node).toFixed(2)}x)`);
}

/** RDMA_TS_LAB_SCENARIOS=devices,gids runs only those (for development: later scenarios may need earlier ones). */
const only = process.env.RDMA_TS_LAB_SCENARIOS?.split(',');
/** LAB_KERNEL_PATCH: this boot has ib_core with that kernel patch: only what it changes runs (PATCHED_SCENARIOS). */
const patched = process.env.LAB_KERNEL_PATCH;
const PLAN: { scenario: Scenario; run: () => (Verdict | undefined)[] }[] = (patched ? PATCHED_SCENARIOS : SCENARIOS)
  .filter((x) => !only || only.includes(x.name)).map((scenario) => ({
  scenario,
  run: () => {
    const s = scenario.name;
    switch (s) {
      case 'rping': return [...RPING_CASES.flatMap((c) => differentials(s, c)), ...batches(), ...RPING_CHECKS.map(check),
        (timeAgainstRdma('dev'), undefined),
        ...WRITE_CASES.flatMap(writeDifferentials), ...WRITE_CHECKS.map(check), ...SHELL_CHECKS.map(shellCheck),
        ...UPSTREAM_CASES.flatMap((c) => differentials(s, c)), ...UPSTREAM_WRITE_CASES.flatMap(writeDifferentials),
        ...UPSTREAM_SHELL_CHECKS.map(shellCheck),
          ...GID_RPING_CHECKS.map(shellCheck)];
      case 'no-rdma': return NO_RDMA_CHECKS.map(shellCheck);
      case 'counters': return [...TOP_CHECKS.map(shellCheck), ...TOP_RECORDINGS.map((t) => recordRun(s, t)),
        ...EXPORTER_CHECKS.map(shellCheck),
        recordDir ? recordExporter(join(recordDir, kernel, s), { ...SHELL_ENV, RDMA_TS_SCENARIO: s }) : undefined];
      case 'scale': return [...SCALE_CASES.flatMap((c) => differentials(s, c)), (timeAgainstRdma('res show qp'),
        timeAgainstRdma('-j res show qp'), undefined)];
      case 'netns': return [...NETNS_CASES.flatMap((c) => differentials(s, c)), ...NETNS_CHECKS.map(check), ...MOVE_CHECKS.map(check),
        ...TOP_NETNS_CHECKS.map(shellCheck), ...TOP_NETNS_RECORDINGS.map((t) => recordRun(s, t)),
          ...GID_NETNS_CHECKS.map(shellCheck), ...DOCTOR_NETNS_CHECKS.map(shellCheck)];
      // The patched boot's roce-v1 off/on gives every container its GID: the doctor's full-table state is the stock one.
      case 'gids': return [...GID_CHECKS.map(shellCheck), ...(patched ? [] : [...DOCTOR_GID_CHECKS.map(shellCheck),
        ...GID_RECORDINGS.map((t) => recordRun(s, t))])];
      // v1 first: rdma can move to a v1 hierarchy only while no v2 cgroup has (or has had, dying) an rdma css.
      case 'cgroup': return [shellCheck(CGROUP_V1), ...CGROUP_CHECKS.map(shellCheck), shellCheck(DOCTOR_CGROUP_CHECK),
        ...CGROUP_RECORDINGS.map((t) => recordRun(s, t)), shellCheck(CGROUP_RELEASE)];
      case 'capacity': return CAPACITY_CHECKS.map(shellCheck);
      default: return [];
    }
  },
}));

const report: GuestReport = { kernel, scenarios: [], notes };
const say = (m: string) => process.stderr.write(`lab: ${m}\n`);
for (const { scenario, run } of PLAN) {
  say(`scenario ${scenario.name}: setting up (${scenario.describe})`);
  const t0 = performance.now();
  const rc = sh(scenario.setup);
  const setupMs = performance.now() - t0;
  say(`scenario ${scenario.name}: setup ${(setupMs / 1000).toFixed(1)} s, exit ${rc}`);
  if (rc !== 0) {
    report.scenarios.push({ name: scenario.name, setupMs, runMs: 0,
      verdicts: [{ name: `scenario ${scenario.name}: setup failed (exit ${rc})`, ok: false }] });
    sh(scenario.teardown);
    break;
  }
  if (scenario.freeze) sh(scenario.freeze);
  const t1 = performance.now();
  const verdicts = run().filter((v): v is Verdict => !!v);
  report.scenarios.push({ name: scenario.name, setupMs, runMs: performance.now() - t1, verdicts });
  say(`scenario ${scenario.name}: ${verdicts.filter((v) => v.ok && !v.skip).length}/${verdicts.filter((v) => !v.skip).length} ` +
    `cases ok (${verdicts.filter((v) => v.skip).length} skipped) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  sh(scenario.teardown);
}
writeFileSync(outFile, JSON.stringify(report, null, 1));
