import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import type { NodeGetMany } from '../cluster/kind-node-http.ts';
import { createProbeOps } from './probes.ts';

const NS = 'kp-t';

/** One Ready pod "web-a" behind Service "web"; `batches` are what successive request bursts get back. */
async function switchedOff(batches: Array<Array<[number, string]>>, propagationMs = 10_000) {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } } });
  cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 80 }] } });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } } } });
  cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-a', namespace: NS, labels: { app: 'web' } },
    spec: { nodeName: 'w1', containers: [{ name: 'web', ports: [{ containerPort: 4000 }], readinessProbe: { httpGet: { path: '/ready', port: 4000 } } }] },
    status: { phase: 'Running', podIP: '10.244.1.2', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'web', restartCount: 0 }] } });
  const sent: string[] = [];
  const getMany: NodeGetMany = async (node, url, count) => {
    sent.push(`${node} ${url} ×${count}`);
    const batch = batches.shift() ?? [];
    return batch.map(([status, pod]) => ({ status, body: `{"pod":"${pod}"}` }));
  };
  const deps = fakeScenarioDeps(cluster, NS, { nodes: { post: async () => 200, getMany } });
  const probes = createProbeOps(deps, propagationMs);
  await deps.faults.inject('app-switch', { deployment: 'web', probe: 'readiness' });
  return { probes, sent, cluster, stop: () => deps.view.stop() };
}

const answers = (n: number, pod = 'web-b', status = 200): Array<[number, string]> => Array.from({ length: n }, () => [status, pod]);

describe('service answers from the other pods', () => {
  it('tolerates requests that still reach the unready pod while kube-proxy catches up, and says so', async () => {
    const w = await switchedOff([[...answers(3), ...answers(2, 'web-a')], answers(5)]);
    const tally = await w.probes.expectServiceAnswersFromOthers('web', 5);
    assert.match(tally, /^5\/5 answered 2xx, 0 by web-a; 2 earlier request\(s\) still reached web-a during the first \d+\.\ds \(kube-proxy catching up\)$/);
    assert.deepEqual(w.sent, ['cp http://10.96.0.9:80/ ×5', 'cp http://10.96.0.9:80/ ×5']);
    await w.stop();
  });

  it('reports failures while the Service catches up, and passes once N in a row are good', async () => {
    const w = await switchedOff([answers(5, '', 0), answers(5)]);
    assert.match(await w.probes.expectServiceAnswersFromOthers('web', 5), /^5\/5 answered 2xx, 0 by web-a; 5 earlier request\(s\) failed during the first/);
    await w.stop();
  });

  it('fails when the other pods still do not answer after the allowance', async () => {
    const w = await switchedOff([[...answers(4), [503, 'web-c']], [...answers(4), [503, 'web-c']]], 0);
    await assert.rejects(w.probes.expectServiceAnswersFromOthers('web', 5), (err: Error) => {
      assert.equal(err.name, 'ConditionError');
      assert.match(err.message, /Received: last 5: 4\/5 answered 2xx, 0 by web-a; failures: HTTP 503 \(batch 1, .*; 1 failed and 0 reached web-a in all\)/);
      assert.match(err.message, /Hint: +the other pods did not all answer/);
      return true;
    });
    assert.equal(w.sent.length, 1);
    await w.stop();
  });
});

describe('leaving the endpoints', () => {
  it('does not pass when the switched pod is gone: a replaced pod proves nothing about readiness', async () => {
    const w = await switchedOff([]);
    w.cluster.put({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
      endpoints: [{ addresses: ['10.244.2.3'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-b' } }] });
    await w.cluster.delete('Pod', 'web-a', NS);
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(w.probes.expectLeavesEndpoints('web', { ms: 2_000, text: '2 seconds' }), /pod web-a is gone: it was deleted or replaced/);
    await w.stop();
  });
});

describe('without a restart', () => {
  /** One pod whose liveness probe asks what its readiness probe asks, switched off, and out of the Service's ready endpoints. */
  async function unreadyWithSameLiveness() {
    const cluster = createFakeCluster({ context: 'kind-kubeproof' });
    cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 80 }] } });
    cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } } } });
    const container = { name: 'web', ports: [{ containerPort: 4000 }], readinessProbe: { httpGet: { path: '/ready', port: 4000 } }, livenessProbe: { httpGet: { path: '/ready', port: 4000 }, periodSeconds: 1, failureThreshold: 1 } };
    const pod = (restartCount: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-a', namespace: NS, labels: { app: 'web' } }, spec: { nodeName: 'w1', containers: [container] },
      status: { phase: 'Running', podIP: '10.244.1.2', conditions: [{ type: 'Ready', status: restartCount ? 'True' : 'False' }], containerStatuses: [{ name: 'web', restartCount }] } });
    cluster.put({ ...pod(0), status: { ...pod(0).status, conditions: [{ type: 'Ready', status: 'True' }] } });
    const deps = fakeScenarioDeps(cluster, NS, { nodes: { post: async () => 200 } });
    await deps.faults.inject('app-switch', { deployment: 'web', probe: 'readiness' });
    cluster.put({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
      endpoints: [{ addresses: ['10.244.1.2'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-a' } }, { addresses: ['10.244.2.3'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-b' } }] });
    return { cluster, deps, pod, probes: createProbeOps(deps) };
  }

  it('waits as long as the liveness probe needs to act, and FAILs when it kills the pod that was only unready', async () => {
    const { cluster, deps, pod, probes } = await unreadyWithSameLiveness();
    // The kubelet's liveness probe (same path) restarts the container a moment after the pod left the Service.
    setTimeout(() => cluster.put(pod(1)), 300);
    await assert.rejects(probes.expectLeavesEndpoints('web', { ms: 5_000, text: '5 seconds' }), (err: Error) => {
      assert.match(err.message, /expect\(v1\/Pod kp-t\/web-a\)\.throughout\.not\.toHaveRestarted\(web\) failed/);
      assert.match(err.message, /Received: restartCount 1/);
      assert.match(err.message, /Hint: +does the livenessProbe check the same thing as the readinessProbe\?/);
      return true;
    });
    await deps.view.stop();
  });

  it('FAILs as soon as the kubelet starts killing the container for its liveness probe, before restartCount moves', async () => {
    const { cluster, deps, probes } = await unreadyWithSameLiveness();
    // A graceful shutdown can keep restartCount at 0 for the whole window: the kubelet's Event says it first.
    const killing = (at: string, message = 'Container web failed liveness probe, will be restarted') => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: `web-a.${at}`, namespace: NS }, type: 'Normal', reason: 'Killing', lastTimestamp: at,
      involvedObject: { kind: 'Pod', name: 'web-a', namespace: NS, fieldPath: 'spec.containers{web}' }, message });
    cluster.put(killing('2020-01-01T00:00:00Z', 'Container web failed liveness probe, will be restarted (a kill before the fault)'));
    setTimeout(() => cluster.put(killing(new Date().toISOString())), 300);
    await assert.rejects(probes.expectLeavesEndpoints('web', { ms: 5_000, text: '5 seconds' }), (err: Error) => {
      assert.match(err.message, /Received: restartCount 0, but the kubelet is restarting it: "Container web failed liveness probe, will be restarted"/);
      assert.match(err.message, /Hint: +does the livenessProbe check the same thing as the readinessProbe\?/);
      return true;
    });
    await deps.view.stop();
  });
});
