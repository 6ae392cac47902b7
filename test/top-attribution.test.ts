// PID -> cgroup -> container/pod. The cgroup paths are the formats the
// runtimes create (synthetic strings: this machine runs no container
// runtime; the lab checks a containerd pod layout on a real kernel).
import test from 'ava';
import { cgroupPath, parseCgroupPath, containerLabel, podLabel } from '../src/model/attribution.js';

const ID = 'a'.repeat(12) + 'b'.repeat(52);

test('cgroupPath: the v2 line, else the rdma hierarchy, else the first v1 line', (t) => {
  t.is(cgroupPath('0::/system.slice/ssh.service\n'), '/system.slice/ssh.service');
  t.is(cgroupPath('12:memory:/docker/x\n4:rdma:/docker/y\n0::/\n'), '/');
  t.is(cgroupPath('12:memory:/docker/x\n4:rdma:/docker/y\n'), '/docker/y');
  t.is(cgroupPath('12:cpu,cpuacct:/lxc/web\n3:pids:/lxc/web\n'), '/lxc/web');
  t.is(cgroupPath(''), undefined);
});

const cases: Array<[string, string, ReturnType<typeof parseCgroupPath>]> = [
  ['docker (systemd driver)', `/system.slice/docker-${ID}.scope`, { container: { runtime: 'docker', id: ID } }],
  ['docker (cgroupfs driver)', `/docker/${ID}`, { container: { runtime: 'docker', id: ID } }],
  ['podman', `/machine.slice/libpod-${ID}.scope/container`, { container: { runtime: 'podman', id: ID } }],
  ['kubernetes + containerd, systemd driver',
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_0000_4111_8222_333344445555.slice/cri-containerd-${ID}.scope`,
    { pod: { uid: '1b2c3d4e-0000-4111-8222-333344445555' }, container: { runtime: 'containerd', id: ID } }],
  ['kubernetes + cri-o', `/kubepods.slice/kubepods-pod1b2c3d4e_0000_4111_8222_333344445555.slice/crio-${ID}.scope`,
    { pod: { uid: '1b2c3d4e-0000-4111-8222-333344445555' }, container: { runtime: 'cri-o', id: ID } }],
  ['kubernetes, cgroupfs driver', `/kubepods/besteffort/pod1b2c3d4e-0000-4111-8222-333344445555/${ID}`,
    { pod: { uid: '1b2c3d4e-0000-4111-8222-333344445555' }, container: { runtime: 'kubernetes', id: ID } }],
  ['lxc', '/lxc.payload.web01/init.scope', { container: { runtime: 'lxc', id: 'web01', name: 'web01' } }],
  ['systemd-nspawn', '/machine.slice/machine-build\\x2dbox.scope', { container: { runtime: 'machine', id: 'build-box',
    name: 'build-box' } }],
  ['a host service', '/system.slice/rping.service', {}],
  ['conmon is not the container', `/machine.slice/libpod-conmon-${ID}.scope`, {}],
  ['a pod-like name outside kubepods is not a pod', '/user.slice/pod1b2c3d4e_0000_4111_8222_333344445555.slice', {}],
];
for (const [what, path, want] of cases) {
  test(`parseCgroupPath: ${what}`, (t) => t.deepEqual(parseCgroupPath(path), want));
}

test('labels: container name else 12-hex id; pod NAMESPACE/NAME else its uid', (t) => {
  t.is(containerLabel({ runtime: 'docker', id: ID }), ID.slice(0, 12));
  t.is(containerLabel({ runtime: 'docker', id: ID, name: 'web' }), 'web');
  t.is(containerLabel(undefined), undefined);
  t.is(podLabel({ uid: 'u-1' }), 'u-1');
  t.is(podLabel({ uid: 'u-1', namespace: 'team-a', name: 'rdma-client' }), 'team-a/rdma-client');
});
