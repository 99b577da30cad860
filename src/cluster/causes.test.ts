import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podCause, podLabelSets, probePortCause, serviceCause, workloadCause } from './causes.ts';
import type { KubeObject } from './types.ts';

const pod = (name: string, status: KubeObject['status']): KubeObject => ({ kind: 'Pod', metadata: { name }, status });

describe('podCause', () => {
  it('quotes the scheduler for a pod that cannot be scheduled', () => {
    const p = pod('api-1', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/4 nodes are available: 1 node(s) had untolerated taint, 3 Insufficient cpu.' }] });
    assert.equal(podCause(p), 'pod api-1 is Pending: 0/4 nodes are available: 1 node(s) had untolerated taint, 3 Insufficient cpu. (scheduler)');
  });
  it('quotes the kubelet for an image it cannot pull, and the last exit of a crash loop', () => {
    const pull = pod('api-2', { phase: 'Pending', containerStatuses: [{ name: 'api', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "demo:nope"' } } }] });
    assert.equal(podCause(pull), 'pod api-2 container api: ImagePullBackOff: Back-off pulling image "demo:nope" (kubelet)');
    const loop = pod('api-3', { phase: 'Running', containerStatuses: [{ name: 'api', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    assert.equal(podCause(loop), 'pod api-3 container api: CrashLoopBackOff after 4 restart(s), last exit 1 (Error) (kubelet)');
  });
  it('quotes the newest probe failure event of a running, unready pod', () => {
    const p = pod('api-4', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });
    const events: KubeObject[] = [
      { kind: 'Event', type: 'Warning', reason: 'Unhealthy', involvedObject: { name: 'api-4' }, lastTimestamp: '2026-01-01T00:00:01Z', message: 'Readiness probe failed: Get "http://10.244.1.5:4001/ready": connect: connection refused' },
      { kind: 'Event', type: 'Warning', reason: 'Unhealthy', involvedObject: { name: 'api-4' }, lastTimestamp: '2026-01-01T00:00:00Z', message: 'older' },
      { kind: 'Event', type: 'Normal', reason: 'Pulled', involvedObject: { name: 'api-4' }, lastTimestamp: '2026-01-01T00:00:05Z', message: 'normal' },
    ];
    assert.equal(podCause(p, events), 'pod api-4: Readiness probe failed: Get "http://10.244.1.5:4001/ready": connect: connection refused (Unhealthy)');
  });
  it('says nothing for a ready pod or a terminating one', () => {
    assert.equal(podCause(pod('ok', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })), undefined);
    assert.equal(podCause({ ...pod('gone', { phase: 'Running' }), metadata: { name: 'gone', deletionTimestamp: 'x' } }), undefined);
  });
});

describe('workloadCause', () => {
  it('prefers a start failure over a pending pod, and counts the others', () => {
    const pending = pod('a', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: 'no nodes' }] });
    const pull = pod('b', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "x" is not present with pull policy of Never' } } }] });
    assert.match(workloadCause(undefined, [pending, pull]) ?? '', /^pod b container c: ErrImageNeverPull: .* \(kubelet\) \(and 1 more pod\)$/);
  });
  it('falls back to the controller: a quota refusing the ReplicaSet\'s pods', () => {
    const deployment: KubeObject = { kind: 'Deployment', metadata: { name: 'api' }, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "api-x" is forbidden: exceeded quota: compute' }] } };
    assert.equal(workloadCause(deployment, []), 'Deployment api: FailedCreate: pods "api-x" is forbidden: exceeded quota: compute (controller)');
  });
});

describe('probePortCause', () => {
  // Recorded on the testbed: the readiness probe checks 4001, the app listens on 4000 (its only declared port).
  const web = (probe: object): KubeObject => ({
    kind: 'Pod', metadata: { name: 'web-6fbcb59794-mg8pw' },
    spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 4000 }], ...probe }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
  });
  const refused: KubeObject = { kind: 'Event', type: 'Warning', reason: 'Unhealthy', involvedObject: { kind: 'Pod', name: 'web-6fbcb59794-mg8pw' }, count: 18, lastTimestamp: '2026-11-30T03:22:59Z', message: 'Readiness probe failed: Get "http://10.244.2.91:4001/ready": dial tcp 10.244.2.91:4001: connect: connection refused' };
  it('says the probe checks a port the container does not declare, with the kubelet\'s refusal', () => {
    const pod = web({ readinessProbe: { httpGet: { path: '/ready', port: 4001 } } });
    assert.equal(podCause(pod, [refused]), 'pod web-6fbcb59794-mg8pw: readinessProbe of container web checks port 4001, which the container does not declare (its ports: http/4000); the kubelet: Readiness probe failed: Get "http://10.244.2.91:4001/ready": dial tcp 10.244.2.91:4001: connect: connection refused');
    assert.match(probePortCause(web({ readinessProbe: { httpGet: { port: 'htp' } } }), 'readiness', [refused]) ?? '', /checks the port named "htp", which the container does not declare/);
  });
  it('stays silent on a declared port, without a refusal, or for another probe', () => {
    assert.equal(probePortCause(web({ readinessProbe: { httpGet: { port: 'http' } } }), 'readiness', [refused]), undefined);
    assert.equal(probePortCause(web({ readinessProbe: { httpGet: { port: 4001 } } }), 'readiness', []), undefined);
    assert.equal(probePortCause(web({ readinessProbe: { httpGet: { port: 4001 } } }), 'liveness', [refused]), undefined);
  });
  it('explains a crash loop driven by a liveness probe on the wrong port', () => {
    const pod = web({ livenessProbe: { tcpSocket: { port: 9999 } } });
    pod.status = { phase: 'Running', containerStatuses: [{ name: 'web', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'Error' } } }] };
    const killedBy = { ...refused, message: 'Liveness probe failed: dial tcp 10.244.2.91:9999: connect: connection refused' };
    assert.match(podCause(pod, [killedBy]) ?? '', /^pod web-6fbcb59794-mg8pw: livenessProbe of container web checks port 9999, which the container does not declare \(its ports: http\/4000\); the kubelet: Liveness probe failed/);
  });
});

describe('serviceCause', () => {
  const svc = (selector: Record<string, string> | undefined, targetPort: string | number = 'http'): KubeObject => ({ kind: 'Service', metadata: { name: 'web' }, spec: { selector, ports: [{ name: 'http', port: 4000, targetPort }] } });
  const webPod = (name: string, ready: boolean, labels: Record<string, string> = { app: 'web', 'pod-template-hash': '6fbcb59794' }): KubeObject => ({
    kind: 'Pod', metadata: { name, labels },
    spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 4000 }] }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  const pods = [webPod('web-a', true), webPod('web-b', true), webPod('client', true, { app: 'client' })];
  it('names a selector that matches no pod, with the labels the pods do have', () => {
    assert.equal(serviceCause(svc({ app: 'wbe' }), pods), 'service "web" selects no pod: selector app=wbe matches none of the 3 pods (labels app=web ×2; app=client)');
    assert.equal(serviceCause(svc({ app: 'web' }), []), 'service "web" selects no pod: selector app=web, and the namespace has no pod at all');
  });
  it('says when the selected pods are all unready, with the first pod\'s cause', () => {
    const unready = [webPod('web-a', false), webPod('web-b', false)];
    assert.equal(serviceCause(svc({ app: 'web' }), unready), 'service "web" has no ready endpoint: none of the 2 pods it selects (app=web) is ready');
  });
  it('names a targetPort no selected pod declares', () => {
    assert.equal(serviceCause(svc({ app: 'web' }, 'htp'), pods), 'service "web" has no usable endpoint: targetPort "htp" names no port of the pods it selects (their ports: http/4000)');
  });
  it('stays silent for a healthy Service and for one without a selector (endpoints managed by hand)', () => {
    assert.equal(serviceCause(svc({ app: 'web' }), pods), undefined);
    assert.equal(serviceCause(svc({ app: 'web' }, 4000), pods), undefined);
    assert.equal(serviceCause(svc(undefined), pods), undefined);
  });
});

describe('podLabelSets', () => {
  it('lists distinct label sets without per-instance labels, commonest first, capped', () => {
    const p = (labels: Record<string, string>): KubeObject => ({ metadata: { labels } });
    assert.equal(podLabelSets([p({ app: 'a', 'pod-template-hash': 'x' }), p({ app: 'a', 'pod-template-hash': 'y' }), p({}), p({ app: 'b' })], 2), 'app=a ×2; no labels; …1 more');
  });
});

describe('podCause — long kubelet errors', () => {
  it('keeps the end of a Go error chain, where the root cause is', () => {
    const message = 'Back-off pulling image "kubeproof/demo-app:9.9.9": ErrImagePull: failed to pull and unpack image "docker.io/kubeproof/demo-app:9.9.9": failed to resolve reference "docker.io/kubeproof/demo-app:9.9.9": failed to do request: Head "https://registry-1.docker.io/v2/kubeproof/demo-app/manifests/9.9.9": dial tcp: lookup registry-1.docker.io on 172.18.0.2:53: no such host';
    const p = pod('web-1', { phase: 'Pending', containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ImagePullBackOff', message } } }] });
    const cause = podCause(p) ?? '';
    assert.match(cause, /^pod web-1 container web: ImagePullBackOff: Back-off pulling image "kubeproof\/demo-app:9\.9\.9": ErrImagePull: .* … .*dial tcp: lookup registry-1\.docker\.io on 172\.18\.0\.2:53: no such host \(kubelet\)$/);
    assert.ok(cause.length < 320, `${cause.length} characters`);
  });
});

describe('workloadCause — crash loops', () => {
  it('prefers a pod waiting in CrashLoopBackOff over one that just exited, and says how often it restarted', () => {
    const exited = pod('web-a', { phase: 'Running', containerStatuses: [{ name: 'web', restartCount: 3, state: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    const looping = pod('web-b', { phase: 'Running', containerStatuses: [{ name: 'web', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    assert.equal(podCause(exited), 'pod web-a container web: exited 1 (Error) after 3 restart(s) (kubelet)');
    assert.equal(workloadCause(undefined, [exited, looping]), 'pod web-b container web: CrashLoopBackOff after 3 restart(s), last exit 1 (Error) (kubelet) (and 1 more pod)');
  });
});
