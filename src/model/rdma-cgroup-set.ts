// Setting an RDMA cgroup limit: `DEV hca_handle=N hca_object=M` written to
// the cgroup's rdma.max (the kernel changes only the resources named). The
// reasons a write cannot work are found first, each with the way out: no
// rdma controller, the root cgroup (no rdma.max), the controller not enabled
// in the parent's cgroup.subtree_control, a device the controller does not
// know.
import { writeFileSync } from 'node:fs';
import { Session } from '../transport/session.js';
import { RdmaHierarchy, RdmaResource, Limit, ancestorsOf, cgroupDir, parseRdmaFile } from './rdma-cgroup.js';

export class CgroupError extends Error {}

/** The largest value rdma.max takes (the kernel parses an int). */
export const LIMIT_MAX = 2147483647;

/** `N` or `max` as a limit, or why not. */
export function parseLimit(word: string | undefined, resource: RdmaResource): Limit {
  if (word === 'max') return 'max';
  if (word !== undefined && /^\d+$/.test(word) && Number(word) <= LIMIT_MAX) return Number(word);
  throw new CgroupError(`${resource} takes a count (0 to ${LIMIT_MAX}) or max, not ${word === undefined ? 'nothing' : `'${word}'`}`);
}

/** Why the rdma controller is not available in `path`, with the commands that enable it (v2). */
function notEnabled(session: Session, h: RdmaHierarchy, path: string): string {
  if (h.version === 1) return `${path} has no rdma.max in the v1 rdma hierarchy at ${h.mount}`;
  const missing = ancestorsOf(path).reverse().filter((a) => !(session.readHostFile(`${cgroupDir(h.mount, a)}/cgroup.subtree_control`)
    ?? '').split(/\s+/).includes('rdma'));
  const files = missing.map((a) => `${cgroupDir(h.mount, a)}/cgroup.subtree_control`);
  return `the rdma controller is not enabled for ${path}: it is not in ${files.join(', ')}. Enable it (top down; a cgroup with ` +
    `processes of its own cannot enable controllers for its children):\n${files.map((f) => `  echo +rdma > ${f}`).join('\n')}`;
}

export interface LimitChange {
  path: string;
  dev: string;
  limits: Partial<Record<RdmaResource, Limit>>;
}

export function setRdmaLimit(session: Session, h: RdmaHierarchy, c: LimitChange): void {
  const dir = cgroupDir(h.mount, c.path);
  if (session.readHostDir(dir) === undefined) throw new CgroupError(`no cgroup ${c.path} (${dir} does not exist; create it with ` +
    `mkdir ${dir})`);
  if (c.path === '/') throw new CgroupError(`the root cgroup has no rdma.max: limits apply to child cgroups only (mkdir ` +
    `${cgroupDir(h.mount, '/NAME')}, move the processes into its cgroup.procs, and set the limit there)`);
  const maxText = session.readHostFile(`${dir}/rdma.max`);
  if (maxText === undefined) throw new CgroupError(notEnabled(session, h, c.path));
  const known = [...parseRdmaFile(maxText).keys()].filter(Boolean);
  if (!known.includes(c.dev)) throw new CgroupError(`unknown device ${c.dev}: the rdma cgroup controller knows ` +
    `${known.length ? known.join(', ') : 'no RDMA device'} (it names devices as the kernel registered them, in every network namespace)`);
  const line = [c.dev, ...Object.entries(c.limits).map(([r, v]) => `${r}=${v}`)].join(' ');
  const file = `${dir}/rdma.max`;
  session.hostChange(`write "${line}" to ${file}`, () => {
    try {
      writeFileSync(file, line);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new CgroupError(`write "${line}" to ${file}: permission denied (writing ` +
        `rdma.max needs root, or ownership of the cgroup by delegation)`);
      if (code === 'ENODEV') throw new CgroupError(`write "${line}" to ${file}: the kernel has no device ${c.dev} (it went away)`);
      throw new CgroupError(`write "${line}" to ${file}: ${(e as Error).message}`);
    }
  });
}
