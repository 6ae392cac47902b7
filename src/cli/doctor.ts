// rdma-ts [-n NS] doctor [pid PID | container ID] [expect shared|exclusive]:
// can this namespace, process or container use RDMA, and if not, why. Exit
// status 0, 1 or 2 for the worst check (ok, warn, fail). Not an rdmatool object.
import { RunContext } from './context.js';
import { CliError } from './errors.js';
import { matches, quoted } from './grammar.js';
import { resolveTarget, TargetSpec } from '../model/doctor/target.js';
import { runDoctor } from '../model/doctor/run.js';
import { worst } from '../model/doctor/finding.js';
import { Mode } from '../model/doctor/checks-namespace.js';
import { CgroupTargetError } from '../model/cgroup-survey.js';
import { printDoctorJson, printDoctorText } from '../views/doctor.js';

export const DOCTOR_USAGE = 'Usage: rdma-ts [ -j ] [ -n NETNS ] doctor [ pid PID | container ID ] [ expect shared|exclusive ]\n'
  + '  Checks whether a network namespace, a process or a container can use RDMA and says why not:\n'
  + '  netns mode against what is deployed, devices, /dev/infiniband, ports, RLIMIT_MEMLOCK, RDMA\n'
  + '  cgroup limits, a RoCE v2 GID for its IPs, RoCE v1 filling GID tables. Exit 0 ok, 1 warn, 2 fail.\n';

export function doctorCommand(ctx: RunContext, args: string[]): void {
  if (args[0] !== undefined && matches(args[0], 'help')) return ctx.out.raw(DOCTOR_USAGE);
  let spec: TargetSpec = { netns: ctx.opts.netns };
  let expect: Mode | undefined;
  for (let i = 0; i < args.length; i++) {
    const [w, v] = [args[i], args[i + 1]];
    if (matches(w, 'pid')) {
      if (!v || !/^[1-9]\d*$/.test(v)) throw new CliError(`doctor: pid takes a process id, not ${v === undefined ? 'nothing' : `'${v}'`}`);
      spec = { pid: Number(v) };
    } else if (matches(w, 'container')) {
      if (!v) throw new CliError('doctor: container takes an id (a prefix of at least 4 hex digits) or a name');
      spec = { container: v };
    } else if (matches(w, 'expect')) {
      if (v !== 'shared' && v !== 'exclusive') throw new CliError(`doctor: expect takes shared or exclusive, not ${quoted(v)}`);
      expect = v;
    } else throw new CliError(`doctor: unexpected '${w}'\n${DOCTOR_USAGE}`);
    i++;
  }
  if (!('netns' in spec) && ctx.opts.netns !== undefined) throw new CliError('doctor: -n names a namespace; pid and container ' +
    'name their own: give one');
  // Targets carry paths relative to this process's own namespace, as gid show's scopes do.
  const base = ctx.session.home();
  let target;
  try {
    target = resolveTarget(base, spec);
  } catch (e) {
    if (e instanceof CgroupTargetError) throw new CliError(`doctor: ${e.message}`);
    throw e;
  }
  const findings = runDoctor(base, target, expect);
  const exit = worst(findings);
  if (ctx.opts.json) printDoctorJson(ctx.out, target.label, findings);
  else printDoctorText(ctx.out, target.label, findings, exit);
  ctx.exitStatus = exit;
}
