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
import { SCENARIOS, PATCHED_SCENARIOS, Scenario } from '../../src/lab/scenarios.js';
import { LabCase, LabCheck, WriteCase, ShellCheck, SHELL_CHECKS, RPING_CASES, RPING_CHECKS, LAB_BATCHES, SCALE_CASES,
  NETNS_CASES, NETNS_CHECKS, WRITE_CASES, WRITE_CHECKS, MOVE_CHECKS } from './cases.js';
import { TOP_CHECKS, TOP_NETNS_CHECKS, TOP_RECORDINGS, TOP_NETNS_RECORDINGS, TopRecording } from './top-cases.js';
import { EXPORTER_CHECKS } from './exporter-cases.js';
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

/** iproute2's rdma, inside `ns` when given (a netns name, or a PID's netns). */
function rdma(argv: string[], ns?: string): Outcome {
  const cmd = !ns ? ['rdma', ...argv] : /^\d+$/.test(ns) ? ['nsenter', `--net=/proc/${ns}/ns/net`, 'rdma', ...argv] : ['ip', 'netns', 'exec', ns, 'rdma', ...argv];
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

function differential(scenario: string, c: LabCase, label = c.argv): Verdict {
  const argv = words(expand(c.argv));
  const ns = c.ns ? expand(c.ns) : undefined;
  const a = rdma(argv, ns);
  const b = rdmaTs(['--compat', '6.1', ...(ns ? ['-n', ns] : []), ...argv]);
  const same = a.stdout === b.stdout && a.status === b.status;
  const name = `rdma ${ns ? `[netns ${c.ns}] ` : ''}${label}`;
  if (c.fixture && recordDir) record(scenario, c, argv, ns, a);
  if (c.differs) {
    return { name: `${name} (allowed difference: ${c.differs})`, ok: !same,
      detail: same ? 'expected a difference, got identical output' : undefined };
  }
  return {
    name, ok: same,
    detail: same ? undefined : `exit ${a.status} vs ${b.status}\n${firstDifference(a.stdout, b.stdout)}\nrdma stderr: ` +
      `${a.stderr}\nrdma-ts stderr: ${b.stderr}`,
  };
}

/** fixtures/lab/<kernel>/<scenario>/<name>.json plus what rdma 6.1 printed for the same state. */
function record(scenario: string, c: LabCase, argv: string[], ns: string | undefined, rdmaOut: Outcome): void {
  const dir = join(recordDir!, kernel, scenario);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${c.fixture}.json`);
  process.env.RDMA_TS_SCENARIO = scenario;
  const r = rdmaTs(['--record', file, '--compat', '6.1', ...(ns ? ['-n', ns] : []), ...argv]);
  delete process.env.RDMA_TS_SCENARIO;
  if (r.stdout !== rdmaOut.stdout) throw new Error(`lab: state moved while recording ${file}`);
  // Recorded through -n NS; a replay answers the plain command, so the
  // namespace moves from the exchanges into a note.
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[]; exchanges: { netns: string | null }[]; netns?: string };
  rec.argv = argv;
  if (ns) {
    rec.netns = c.ns === '{UPID}' ? 'unnamed (a PID\'s netns)' : ns;
    for (const x of rec.exchanges) x.netns = null;
  }
  writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  writeFileSync(join(dir, `${c.fixture}.rdma.json`), JSON.stringify({ argv, status: rdmaOut.status, stdout: rdmaOut.stdout },
    null, 1) + '\n');
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

/** A write through both tools on the same state (see WriteCase). */
function writeDifferential(c: WriteCase): Verdict {
  const argv = words(expand(c.argv));
  const step = (x?: string) => x && sh(expand(x));
  step(c.before);
  const a = rdma(argv);
  step(c.after);
  step(c.before);
  const b = rdmaTs(['--compat', '6.1', ...argv]);
  step(c.after);
  const name = `write: rdma ${c.argv}${c.differs ? ` (allowed difference: ${c.differs.why})` : ''}`;
  if (c.differs) {
    const wrong = c.differs.expect(a, b);
    return { name, ok: !wrong, detail: wrong };
  }
  const missing = a.stderr.split('\n').filter((l) => l && !b.stderr.includes(l));
  const ok = a.stdout === b.stdout && a.status === b.status && !missing.length;
  return {
    name, ok,
    detail: ok ? undefined : `exit ${a.status} vs ${b.status}\n${firstDifference(a.stdout, b.stdout)}\nrdma stderr: ${a.stderr}\nrdma-ts stderr: ${b.stderr}\nmissing: ${missing.join(' | ')}`,
  };
}

const SHELL_ENV = { ...process.env, RDMA_TS: `${process.execPath} ${join(process.cwd(), 'bin/rdma-ts.js')}`, LAB_VARS: VARS_FILE };

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
  const live = spawnSync('sh', ['-c', `$RDMA_TS --record ${file} ${t.argv}`], { encoding: 'utf8', env, timeout: 180_000 });
  const argv = words(t.argv);
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[] };
  rec.argv = argv;
  writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  writeFileSync(join(dir, `${t.name}.out.json`), JSON.stringify({ argv, status: live.status, stdout: live.stdout }, null, 1) + '\n');
  const again = spawnSync('sh', ['-c', `$RDMA_TS --replay ${file} ${t.argv}`], { encoding: 'utf8', env, timeout: 180_000 });
  const same = again.stdout === live.stdout && again.status === live.status && live.status === (t.status ?? 0);
  return { name: `record: ${t.argv} replays to the same output`, ok: same,
    detail: same ? undefined : `live exit ${live.status}, replay ` +
      `${again.status}\n${firstDifference(live.stdout, again.stdout)}\n${live.stderr}${again.stderr}` };
}

function batches(): Verdict[] {
  return LAB_BATCHES.flatMap((text, i) => {
    const file = `/tmp/batch-${i}.txt`;
    writeFileSync(file, text);
    return [['-b', file], ['-f', '-b', file]].map((flags) => differential('rping', { argv: flags.join(' ') },
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
const PLAN: { scenario: Scenario; run: () => (Verdict | undefined)[] }[] = (patched ? PATCHED_SCENARIOS : SCENARIOS).filter((x) => !only || only.includes(x.name)).map((scenario) => ({
  scenario,
  run: () => {
    const s = scenario.name;
    switch (s) {
      case 'rping': return [...RPING_CASES.map((c) => differential(s, c)), ...batches(), ...RPING_CHECKS.map(check),
        (timeAgainstRdma('dev'), undefined),
        ...WRITE_CASES.map(writeDifferential), ...WRITE_CHECKS.map(check), ...SHELL_CHECKS.map(shellCheck),
          ...GID_RPING_CHECKS.map(shellCheck)];
      case 'no-rdma': return NO_RDMA_CHECKS.map(shellCheck);
      case 'counters': return [...TOP_CHECKS.map(shellCheck), ...TOP_RECORDINGS.map((t) => recordRun(s, t)),
        ...EXPORTER_CHECKS.map(shellCheck),
        recordDir ? recordExporter(join(recordDir, kernel, s), { ...SHELL_ENV, RDMA_TS_SCENARIO: s }) : undefined];
      case 'scale': return [...SCALE_CASES.map((c) => differential(s, c)), (timeAgainstRdma('res show qp'),
        timeAgainstRdma('-j res show qp'), undefined)];
      case 'netns': return [...NETNS_CASES.map((c) => differential(s, c)), ...NETNS_CHECKS.map(check), ...MOVE_CHECKS.map(check),
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
