// rdma-ts cgroup show [PATH | pid PID | container ID] and
// rdma-ts cgroup set PATH DEV [hca_handle N|max] [hca_object M|max]:
// the RDMA cgroup controller's limits and counts, named by container or pod.
// Not an rdmatool object. The controller is host-wide (not per network
// namespace), so -n and --all-netns change nothing here.
import { RunContext } from './context.js';
import { CliError } from './errors.js';
import { matches, quoted } from './grammar.js';
import { findRdmaHierarchy, RdmaHierarchy, RdmaResource, RDMA_RESOURCES, Limit } from '../model/rdma-cgroup.js';
import { CgroupTarget, CgroupTargetError, normalizeCgroupPath, surveyCgroups } from '../model/cgroup-survey.js';
import { CgroupError, parseLimit, setRdmaLimit } from '../model/rdma-cgroup-set.js';
import { printCgroupsJson, printCgroupsText } from '../views/cgroup.js';

export const CGROUP_USAGE = 'Usage: rdma-ts [ -j ] cgroup [ show ] [ PATH | pid PID | container ID ]\n'
  + '       rdma-ts [ --dry-run ] cgroup set PATH DEV [ hca_handle N|max ] [ hca_object M|max ]\n'
  + '  The RDMA cgroup controller: rdma.max, rdma.current (and rdma.peak, rdma.events where the kernel\n'
  + '  has them) of every cgroup that limits or uses RDMA, named by container or pod. PATH is a cgroup\n'
  + '  path (/kubepods.slice/...) or its directory under the cgroup mount.\n';

function hierarchy(ctx: RunContext): RdmaHierarchy {
  const h = findRdmaHierarchy(ctx.session);
  if ('missing' in h) throw new CliError(`cgroup: no rdma cgroup controller here: ${h.missing}`);
  return h;
}

function show(ctx: RunContext, args: string[]): void {
  let target: CgroupTarget = { all: true };
  const [w, v, extra] = args;
  if (w !== undefined) {
    if (matches(w, 'pid')) {
      if (v === undefined || !/^[1-9]\d*$/.test(v)) throw new CliError(`cgroup: pid takes a process id, not ${quoted(v)}`);
      target = { pid: Number(v) };
    } else if (matches(w, 'container')) {
      if (v === undefined) throw new CliError('cgroup: container takes an id (or a prefix of at least 4 hex digits) or a name');
      if (/^[0-9a-f]{1,3}$/.test(v)) throw new CliError(`cgroup: container id prefix '${v}' is too short (at least 4 hex digits)`);
      target = { container: v };
    } else {
      if (v !== undefined) throw new CliError(`cgroup: unexpected '${v}'\n${CGROUP_USAGE}`);
      target = { path: w };
    }
    if ((matches(w, 'pid') || matches(w,
      'container')) && extra !== undefined) throw new CliError(`cgroup: unexpected '${extra}'\n${CGROUP_USAGE}`);
  }
  const h = hierarchy(ctx);
  let cgroups;
  try {
    cgroups = surveyCgroups(ctx.session, h, target);
  } catch (e) {
    if (e instanceof CgroupTargetError) throw new CliError(`cgroup: ${e.message}`);
    throw e;
  }
  if (ctx.opts.json) printCgroupsJson(ctx.out, h, cgroups);
  else printCgroupsText(ctx.out, h, cgroups);
}

function set(ctx: RunContext, args: string[]): void {
  const [path, dev, ...rest] = args;
  if (path === undefined || dev === undefined) ctx.incomplete(CGROUP_USAGE,
    `cgroup set: ${path === undefined ? 'PATH and DEV are' : 'DEV is'} missing`);
  const limits: Partial<Record<RdmaResource, Limit>> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const r = RDMA_RESOURCES.find((x) => x === rest[i]);
    if (!r) throw new CliError(`cgroup set: unknown resource '${rest[i]}' (hca_handle or hca_object)`);
    try {
      limits[r] = parseLimit(rest[i + 1], r);
    } catch (e) {
      throw new CliError(`cgroup set: ${(e as Error).message}`);
    }
  }
  if (!Object.keys(limits).length) ctx.incomplete(CGROUP_USAGE, 'cgroup set: no limit given (hca_handle N|max, hca_object M|max)');
  const h = hierarchy(ctx);
  try {
    setRdmaLimit(ctx.session, h, { path: normalizeCgroupPath(h, path), dev, limits });
  } catch (e) {
    if (e instanceof CgroupError) throw new CliError(`cgroup set: ${e.message}`);
    throw e;
  }
}

export function cgroupCommand(ctx: RunContext, args: string[]): void {
  const [w, ...rest] = args;
  if (w !== undefined && matches(w, 'help')) return ctx.out.raw(CGROUP_USAGE);
  if (w !== undefined && matches(w, 'set')) return set(ctx, rest);
  if (w !== undefined && (matches(w, 'show') || matches(w, 'list'))) return show(ctx, rest);
  return show(ctx, args);
}
