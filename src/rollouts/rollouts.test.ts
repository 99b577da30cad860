import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createRolloutOps } from './rollouts.ts';

const NS = 'kp-t';
const recorded = (name: string): any => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'cluster', 'testdata', `${name}.json`), 'utf8'));
const inNs = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: NS } });

/** The recorded Deployment and ReplicaSets after a rollback, in a fake cluster. */
function world() {
  const cluster = createFakeCluster();
  cluster.put(inNs(recorded('rollback-after-complete')));
  for (const rs of recorded('rollback-after-replicasets').items) cluster.put(inNs(rs));
  const deps = fakeScenarioDeps(cluster, NS);
  return { cluster, deps, ops: createRolloutOps(deps) };
}

describe('rollout checks', () => {
  it('compares the revision history with a table, naming what the cluster shows', async () => {
    const { ops, deps } = world();
    assert.match(await ops.expectHistory('web', [{ revision: '2', image: 'kubeproof/demo-app:2.0.0' }, { revision: '3', image: 'kubeproof/demo-app:1.0.0' }]), /2 kubeproof\/demo-app:2\.0\.0 "upgrade to 2\.0\.0"; 3 kubeproof\/demo-app:1\.0\.0 "first release" \(current\)/);
    await assert.rejects(ops.expectHistory('web', [{ revision: '1', image: 'kubeproof/demo-app:1.0.0' }]), (e: Error & { kind?: string }) =>
      e.kind === 'fail' && /Expected: 1 kubeproof\/demo-app:1\.0\.0\nReceived: 2 kubeproof\/demo-app:2\.0\.0/.test(e.message) && /a rollback turns the restored revision into the newest one/.test(e.message));
    await deps.view.stop();
  });

  it('judges ready replicas over the rollout window from the timeline', async () => {
    const { ops, deps } = world();
    const record = (ready: number) => deps.timeline.record({ kind: 'k8s.deployment', name: 'web', desired: 2, ready, updated: 2, available: ready });
    await assert.rejects(ops.expectNeverFewerDuringRollout('web', 2), /no rollout of deployment "web" was started/);
    record(2);
    deps.timeline.record({ kind: 'fault.injected', fault: 'set-image', target: 'deployment/web' });
    record(3); record(2);
    deps.timeline.record({ kind: 'recovered', fault: 'set-image', subject: 's', expectation: 'rollout complete', afterMs: 5 });
    record(0); // after the rollout: not judged
    assert.match(await ops.expectNeverFewerDuringRollout('web', 2), /^ready replicas stayed at 2 or more from the set-image at \+\d+\.\ds to its completion at/);
    record(2);
    deps.timeline.record({ kind: 'fault.injected', fault: 'rollback', target: 'deployment/web' });
    record(1);
    await assert.rejects(ops.expectNeverFewerDuringRollout('web', 2), (e: Error) => /Received: ready replicas went down to 1 \(1\/2 at/.test(e.message) && /Recreate strategy/.test(e.message));
    await deps.view.stop();
  });

  it('refuses to wait for a stuck rollout the controller cannot declare within the budget', async () => {
    const { ops, cluster, deps } = world();
    const d = recorded('rollback-after-complete');
    cluster.put(inNs({ ...d, spec: { ...d.spec, progressDeadlineSeconds: 600 } }));
    await assert.rejects(ops.expectStuck('web', { ms: 60_000, text: '60 seconds' }), (e: Error & { kind?: string }) => e.kind === 'input' && /progressDeadlineSeconds \(600 s\)/.test(e.message));
    await deps.view.stop();
  });

  it('asks the Service only once replaced pods have drained, so an old pod cannot answer for the new version', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } } });
    cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: NS }, spec: { clusterIP: '10.96.0.10', selector: { app: 'api' }, ports: [{ port: 4000 }] } });
    const pod = (name: string, greeting: string, terminating = false): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' }, annotations: { greeting }, ...(terminating ? { deletionTimestamp: '2026-11-30T04:00:00Z' } : {}) }, status: { phase: 'Running' } });
    cluster.put(pod('api-new', 'bonjour'));
    cluster.put(pod('api-old', 'hello', true));
    // The Service answers from every pod that still exists, like kube-proxy before it drops a draining endpoint.
    const getMany = async (_node: string, _url: string, count: number) => {
      const pods = cluster.all('Pod', NS);
      return Array.from({ length: count }, (_, i) => ({ status: 200, body: `{"greeting":"${pods[i % pods.length]?.metadata?.annotations?.greeting}"}` }));
    };
    const deps = fakeScenarioDeps(cluster, NS, { nodes: { getMany } });
    const ops = createRolloutOps(deps);
    const answered = ops.expectAnswers('api', '/', 'bonjour');
    await new Promise((res) => setTimeout(res, 20));
    cluster.delete('Pod', 'api-old', NS);
    assert.equal(await answered, '10/10 answers to GET / contained "bonjour"');
    await deps.view.stop();
  });
});
