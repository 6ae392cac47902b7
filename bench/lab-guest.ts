// `npm run bench -- --lab`, the part that runs inside the lab guest (bench/lab.ts boots it):
// 10,001 live QPs on rxe0, frozen, then rdma-ts against iproute2 6.1 (Debian's /usr/bin/rdma)
// and 7.1 (built from test/oracle), in turns, on the same kernel state.
//   node dist/bench/lab-guest.js RDMA71 [ROUNDS]
import { spawnSync, execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPING_PIDS } from '../src/lab/scenarios.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [rdma71, roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg ?? 5);
const QPS_EACH_SIDE = 5000; // + rxe0's QP1 = 10,001
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const sh = (cmd: string) => execSync(cmd, { encoding: 'utf8', shell: '/bin/sh' });

/** Clock ticks of this process's waited-for children: user and system (/proc/self/stat fields 16, 17). */
function childTicks(): { user: number; sys: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[13]), sys: Number(f[14]) };
}
const TICK_MS = 1000 / Number(sh('getconf CLK_TCK').trim());

interface Sample { wall: number; user: number; sys: number; bytes: number }

function timeOnce(argv: string[]): Sample {
  const before = childTicks();
  const t = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const after = childTicks();
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return { wall, user: (after.user - before.user) * TICK_MS, sys: (after.sys - before.sys) * TICK_MS, bytes: r.stdout.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- 10,001 QPs: nothing else on rxe0 but its QP1 ----
say('stopping the session\'s rping and pingpong processes (their QPs go with them)');
sh(`. /tmp/lab-vars; kill ${RPING_PIDS} 2>/dev/null; sleep 2; true`);
say(`ib_write_bw with ${QPS_EACH_SIDE} QPs on each side of rxe0`);
// perftest sizes one CQ as QPs x tx-depth; rxe caps a CQ near 32k entries: 5000 x 4.
sh(`ib_write_bw -d rxe0 -x 1 -q ${QPS_EACH_SIDE} -t 4 -D 36000 > /tmp/bench-s.log 2>&1 & echo $! > /tmp/bench-s.pid
sleep 2; ib_write_bw -d rxe0 -x 1 -q ${QPS_EACH_SIDE} -t 4 -D 36000 127.0.0.1 > /tmp/bench-c.log 2>&1 & echo $! > /tmp/bench-c.pid`);
const t0 = Date.now();
for (;;) {
  const n = Number(sh('rdma res show qp link rxe0/1 | grep -cE " state (RTR|RTS) " || true').trim());
  if (n >= 2 * QPS_EACH_SIDE) break;
  if (Date.now() - t0 > 900_000) throw new Error(`only ${n} QPs connected after 15 min: ${sh('tail -3 /tmp/bench-s.log /tmp/bench-c.log')}`);
  execSync('sleep 5');
}
sh('kill -STOP $(cat /tmp/bench-s.pid) $(cat /tmp/bench-c.pid); sleep 3');
const total = sh('rdma res show qp | wc -l').trim();
say(`${total} QPs, frozen, after ${((Date.now() - t0) / 1000).toFixed(0)} s`);

// ---- the commands, in turns ----
const node = process.execPath;
const BIN = resolve(ROOT, 'bin/rdma-ts.js');
const TOOLS: Array<[string, string[]]> = [['rdma-ts', [node, BIN]], ['iproute2 6.1', ['/usr/bin/rdma']], ['iproute2 7.1', [rdma71]]];
const FORMS: Array<[string, string[]]> = [['res show qp', ['res', 'show', 'qp']], ['-j res show qp', ['-j', 'res', 'show', 'qp']],
  ['dev', ['dev']]];
const samples = new Map<string, Sample[]>();
const add = (k: string, s: Sample) => samples.set(k, [...(samples.get(k) ?? []), s]);
// Equal output first: a faster tool that prints less would prove nothing.
for (const [form, args] of FORMS) {
  const outs = TOOLS.map(([, cmd]) => spawnSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout);
  const same = outs[0] === outs[2]; // the default layout is 7.1's
  say(`${form}: ${outs.map((o) => o.length).join(' / ')} bytes (rdma-ts / 6.1 / 7.1); rdma-ts ${same ? '==' : '!='} 7.1`);
}
for (let round = 0; round < ROUNDS; round++) {
  add('node -e 0', timeOnce([node, '-e', '0']));
  for (const [form, args] of FORMS) for (const [tool, cmd] of TOOLS) add(`${tool} ${form}`, timeOnce([...cmd, ...args]));
  say(`round ${round + 1}/${ROUNDS} done`);
}

// ---- figures ----
const med = (k: string, f: keyof Sample = 'wall') => median(samples.get(k)!.map((s) => s[f]));
const ms = (v: number) => `${v.toFixed(0)} ms`;
console.log(`lab bench: ${sh('uname -r').trim()} (QEMU TCG, 1 vCPU), ${total} QPs frozen, medians of ${ROUNDS} rounds run in turns`);
console.log(`node -e 0: ${ms(med('node -e 0'))}`);
for (const [form] of FORMS) {
  const ts = med(`rdma-ts ${form}`);
  const a = med(`iproute2 6.1 ${form}`);
  const b = med(`iproute2 7.1 ${form}`);
  const sys = (tool: string) => med(`${tool} ${form}`, 'sys');
  const goal = form === 'dev' ? `; node -e 0 is ${(med('node -e 0') / a).toFixed(2)}x 6.1 by itself` : ' (goal <= 1.0x at 10k QPs)';
  console.log(`${form}: rdma-ts ${ms(ts)}, iproute2 6.1 ${ms(a)}, 7.1 ${ms(b)}; rdma-ts = ${(ts / a).toFixed(2)}x 6.1, ` +
    `${(ts / b).toFixed(2)}x 7.1${goal}; rdma-ts minus node -e 0 = ${((ts - med('node -e 0')) / a).toFixed(2)}x 6.1`);
  // System time is the kernel's work for the process: building the dump in recvmsg(), and for iproute2 also one
  // /proc/PID/comm read per entry (get_task_name() in each res_*_line(); rdma-ts reads it once per PID).
  // rdma-ts's system time beyond what its `dev` costs (start-up, one small dump) is the dump's own.
  console.log(`  system CPU time (the kernel's share): rdma-ts ${ms(sys('rdma-ts'))} = ${((sys('rdma-ts') / ts) * 100).toFixed(0)}% ` +
    `of its wall time, of which beyond its \`dev\`: ${ms(sys('rdma-ts') - med('rdma-ts dev', 'sys'))}; iproute2 6.1 ` +
    `${ms(sys('iproute2 6.1'))} = ${((sys('iproute2 6.1') / a) * 100).toFixed(0)}%, 7.1 ${ms(sys('iproute2 7.1'))} = ` +
    `${((sys('iproute2 7.1') / b) * 100).toFixed(0)}% (with a /proc/PID/comm read per entry)`);
}
