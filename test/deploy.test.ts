// deploy/: the Kubernetes manifests validated offline against the
// Kubernetes API schema (kubernetes-models) and the Prometheus operator's
// (ServiceMonitor), plus what the exporter needs from them. No cluster runs
// here: this proves the objects are well-formed and say what they must.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ROOT } from './support/cli.js';
import { DEFAULT_LISTEN } from '../src/cli/exporter.js';

const docs = (file: string) => parseAllDocuments(readFileSync(`${ROOT}/deploy/${file}`, 'utf8')).map((d) => d.toJS());
const [ds, svc] = docs('daemonset.yaml');
const [sm] = docs('servicemonitor.yaml');
const PORT = Number(DEFAULT_LISTEN.split(':').pop());

test('the DaemonSet, Service and ServiceMonitor validate against their schemas', (t) => {
  t.notThrows(() => new DaemonSet(ds).validate());
  t.notThrows(() => new Service(svc).validate());
  t.notThrows(() => new ServiceMonitor(sm).validate());
});

test('the validator is not a rubber stamp: a wrong type and a wrong enum value are caught', (t) => {
  t.throws(() => new DaemonSet({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec,
    hostNetwork: 'yes' } } } }).validate());
  const c = ds.spec.template.spec.containers[0];
  const badMount = { ...c, volumeMounts: [{ ...c.volumeMounts[1], mountPropagation: 'Sideways' }] };
  t.throws(() => new DaemonSet({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec,
    containers: [badMount] } } } }).validate());
});

test('the pod has what the exporter needs: host network and PID namespaces, setns capabilities, /sys and /var/run/netns ' +
  '(HostToContainer), read-only', (t) => {
  const pod = ds.spec.template.spec;
  const c = pod.containers[0];
  t.true(pod.hostNetwork);
  t.true(pod.hostPID);
  t.deepEqual(c.securityContext.capabilities, { drop: ['ALL'], add: ['SYS_ADMIN', 'SYS_PTRACE'] });
  t.deepEqual(c.args.slice(0, 2), ['--all-netns', 'exporter']);
  t.deepEqual(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath), ['/sys', '/var/run/netns']);
  t.is(c.volumeMounts[1].mountPropagation, 'HostToContainer');
  t.true(c.volumeMounts.every((m: { readOnly: boolean }) => m.readOnly));
  t.is(c.ports[0].containerPort, PORT);
  t.is(pod.containers[0].ports[0].name, sm.spec.endpoints[0].port);
  t.deepEqual(sm.spec.selector.matchLabels, svc.metadata.labels);
});
