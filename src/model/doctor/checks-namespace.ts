// Doctor checks about the namespace: the netns mode against what is
// deployed, the devices the namespace sees, and the verbs character devices
// a process there can open.
import { Session } from '../../transport/session.js';
import { RdmaClient } from '../client.js';
import { Device, dumpDevices } from '../device.js';
import { getSystem } from '../system.js';
import { allScopes } from '../netns-scope.js';
import { DoctorTarget } from './target.js';
import { Finding, finding } from './finding.js';

export type Mode = 'shared' | 'exclusive';
const modeName = (m: number | undefined): Mode | undefined => (m === 1 ? 'shared' : m === 0 ? 'exclusive' : undefined);

/** What is deployed that needs a mode: the shared device plugin's process, rdma-cni's network config. */
function deployed(session: Session): Array<{ what: string; needs: Mode }> {
  const out: Array<{ what: string; needs: Mode }> = [];
  for (const d of session.readHostDir('/proc') ?? []) {
    if (!/^\d+$/.test(d)) continue;
    const comm = session.readHostFile(`/proc/${d}/comm`)?.trim() ?? '';
    // comm is cut to 15 characters: k8s-rdma-shared-dev-plugin shows as k8s-rdma-shared.
    if (/^k8s-rdma-shared|^rdma-shared-dp/.test(comm)) out.push({ what: `k8s-rdma-shared-dev-plugin (pid ${d}, ${comm})`,
      needs: 'shared' });
  }
  const dir = '/etc/cni/net.d';
  for (const f of session.readHostDir(dir) ?? []) {
    if (/"type"\s*:\s*"rdma"/.test(session.readHostFile(`${dir}/${f}`) ?? '')) out.push({ what: `rdma-cni (${dir}/${f})`,
      needs: 'exclusive' });
  }
  return out;
}

export function checkNetnsMode(session: Session, expect: Mode | undefined): Finding {
  const mode = modeName(getSystem(new RdmaClient(session)).netnsMode);
  if (!mode) return finding('netns-mode', 'warn', 'the kernel does not report the RDMA netns mode (older than 5.2?)');
  const needs = [...deployed(session), ...(expect ? [{ what: 'expect (given on the command line)', needs: expect }] : [])];
  const evidence = [`RDMA netns mode: ${mode}`, ...needs.map((n) => `${n.what} needs ${n.needs}`)];
  const wanted = [...new Set(needs.map((n) => n.needs))];
  if (wanted.length > 1) return finding('netns-mode', 'fail',
    'what is deployed needs both modes: rdma-cni needs exclusive, the shared device plugin shared', evidence,
      'run one of them: a host is in one mode for all namespaces');
  if (wanted.length && wanted[0] !== mode) {
    return finding('netns-mode', 'fail', `the RDMA netns mode is ${mode}, but ${needs[0].what} needs ${wanted[0]}`, evidence,
      `rdma-ts system set netns ${wanted[0]} --persist (the switch needs every namespace but init gone: rdma-ts system set ` +
        `netns says which)`);
  }
  return finding('netns-mode', 'ok',
    wanted.length ? `${mode}, as ${needs.map((n) => n.what).join(' and ')} needs` : `${mode}; nothing deployed needs the other ` +
      `mode`, evidence);
}

/** Where each device lives, by namespace label (exclusive mode: a device is in one namespace only). */
function whereDevices(session: Session): string[] {
  const out: string[] = [];
  for (const s of allScopes(session)) {
    try {
      for (const d of dumpDevices(new RdmaClient(s.path === undefined ? session
        : session.inNetns(s.path)))) out.push(`${d.name} is in netns ${s.label}`);
    } catch {
      // a namespace that went away while we looked
    }
  }
  return [...new Set(out)];
}

export function checkDevices(base: Session, t: DoctorTarget, devices: Device[], mode: Mode | undefined): Finding {
  if (devices.length) return finding('devices', 'ok', `${devices.map((d) => d.name).join(', ')} visible in ${t.label}`);
  const where = whereDevices(base);
  if (!where.length) return finding('devices', 'fail', 'no RDMA device on this host', [`RDMA netns mode: ${mode ?? 'unknown'}`],
    'load the device driver (mlx5_ib, ...), or create a soft device: rdma-ts link add rxe0 type rxe netdev IF');
  const target = t.scope.label;
  return finding('devices', 'fail', `no RDMA device is visible in ${t.label}`, [`RDMA netns mode: ${mode ?? 'unknown'}`, ...where],
    mode === 'exclusive' ? `move one in: rdma-ts dev set DEV netns ${target} --with-netdev (rdma-cni does this for a ` +
      `pod)` : 'in shared mode every namespace sees every device: none is registered');
}

/** The uverbs character device of each device (sysfs infiniband_verbs class, seen from the namespace). */
function uverbsOf(session: Session, t: DoctorTarget): Map<string, string> {
  const out = new Map<string, string>();
  session.withSysfsOf(t.sysfsView, () => {
    for (const u of session.readHostDir('/sys/class/infiniband_verbs') ?? []) {
      const dev = session.readHostFile(`/sys/class/infiniband_verbs/${u}/ibdev`)?.trim();
      if (dev && /^uverbs\d+$/.test(u)) out.set(dev, u);
    }
  });
  return out;
}

export function checkCharDevices(base: Session, t: DoctorTarget, devices: Device[]): Finding {
  if (!devices.length) return finding('char-devices', 'skip', 'no device to open');
  const uverbs = uverbsOf(base, t);
  const where = t.root ? `${t.label}'s /dev (${t.root}/dev)` : '/dev';
  const evidence: string[] = [];
  const missing: string[] = [];
  const refused: string[] = [];
  for (const d of devices) {
    const u = uverbs.get(d.name);
    if (!u) {
      missing.push(`${d.name}: no uverbs device (ib_uverbs not loaded?)`);
      continue;
    }
    const path = `${t.root}/dev/infiniband/${u}`;
    const r = t.here.tryOpen(path);
    evidence.push(`${path} (${d.name}): ${r === 'ok' ? 'opens' : r}`);
    if (r === 'ENOENT') missing.push(`/dev/infiniband/${u} (${d.name})`);
    else if (r === 'EPERM') refused.push(`${u} (${d.name}): EPERM: the device is not in this network namespace`);
    else if (r !== 'ok') refused.push(`${u} (${d.name}): ${r}`);
  }
  const cm = t.here.tryOpen(`${t.root}/dev/infiniband/rdma_cm`);
  evidence.push(`${t.root}/dev/infiniband/rdma_cm: ${cm === 'ok' ? 'opens' : cm}`);
  const give = t.root ? 'give the container the devices: --device=/dev/infiniband/uverbsN --device=/dev/infiniband/rdma_cm ' +
    '(docker/podman), or the RDMA device plugin\'s resource (Kubernetes)' : 'modprobe ib_uverbs rdma_ucm';
  if (missing.length) return finding('char-devices', 'fail', `missing in ${where}: ${missing.join(', ')}`, evidence, give);
  if (refused.length) return finding('char-devices', 'fail', `cannot open: ${refused.join(', ')}`, evidence,
    'open it from the namespace the device lives in, or move the device here (rdma-ts dev set DEV netns NS)');
  // Verbs alone work without rdma_cm; programs that connect through it (rping, MPI and NCCL over rdma_cm) do not.
  if (cm !== 'ok') return finding('char-devices', 'warn',
    `the verbs devices open, but /dev/infiniband/rdma_cm does not (${cm}): rdma_cm programs fail`, evidence, give);
  return finding('char-devices', 'ok',
    `${devices.length} uverbs device${devices.length === 1 ? '' : 's'} and rdma_cm open from ${t.label}`, evidence);
}
