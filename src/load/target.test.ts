import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../cluster/types.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import { deleteMirror, resolveHostTarget } from './target.ts';

const NS = 'kp-t';
const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec });

function world(published: number[], taken: number[] = []) {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put(svc('podinfo', { type: 'ClusterIP', selector: { app: 'podinfo' }, ports: [{ name: 'http', port: 9898, targetPort: 'http' }, { name: 'grpc', port: 9999, targetPort: 'grpc' }] }));
  cluster.put(svc('api', { type: 'NodePort', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 3000, nodePort: 30080 }] }));
  cluster.put(svc('hidden', { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, nodePort: 31234 }] }));
  cluster.put(svc('manual', { type: 'ClusterIP', ports: [{ port: 80 }] }));
  const deps = fakeScenarioDeps(cluster, NS, { nodes: { publishedPorts: async () => published } });
  const journalAtCreate: string[][] = [];
  const create = cluster.create.bind(cluster);
  // The API server refuses a nodePort another Service holds, as kube-apiserver does.
  cluster.create = async (obj) => {
    journalAtCreate.push(deps.journal.pending().map((r) => r.kind));
    const nodePort = obj.spec?.ports?.[0]?.nodePort;
    if (taken.includes(nodePort)) throw new Error(`POST /api/v1/namespaces/${NS}/services failed with HTTP 422 (Invalid): Service "x" is invalid: spec.ports[0].nodePort: Invalid value: ${nodePort}: provided port is already allocated`);
    return create(obj);
  };
  return { cluster, deps, journalAtCreate };
}

describe('resolveHostTarget', () => {
  it('loads a Service through its own NodePort when kind publishes it', async () => {
    const w = world([30080, 30101]);
    assert.deepEqual(await resolveHostTarget(w.deps, 'api'), { port: 30080, label: 'service/api (127.0.0.1:30080)' });
    assert.deepEqual(w.cluster.all('Service', NS).map((s) => s.metadata?.name).sort(), ['api', 'hidden', 'manual', 'podinfo'], 'no Service was created');
  });

  it('gives a ClusterIP Service a journalled mirror NodePort from the pool, skipping ports other scenarios hold', async () => {
    const w = world([30080, 30101, 30102, 30103], [30101]);
    const t = await resolveHostTarget(w.deps, 'podinfo', 9898);
    assert.deepEqual(t, { port: 30102, label: 'service/podinfo (127.0.0.1:30102, through NodePort Service kp-load-podinfo)', mirror: 'kp-load-podinfo' });
    const mirror = await w.cluster.get('Service', 'kp-load-podinfo', NS);
    assert.deepEqual(mirror?.spec, { type: 'NodePort', selector: { app: 'podinfo' }, ports: [{ name: 'http', port: 9898, targetPort: 'http', nodePort: 30102, protocol: 'TCP' }] });
    assert.deepEqual(w.journalAtCreate, [['load.service-delete'], ['load.service-delete']], 'journalled before each attempt');
    assert.deepEqual(w.deps.journal.pending().map((r) => r.params), [{ namespace: NS, name: 'kp-load-podinfo' }], 'only the created one stays pending');
    assert.equal(await deleteMirror.run({ client: w.cluster, nodes: w.deps.nodes }, { namespace: NS, name: 'kp-load-podinfo' }), 'load service kp-load-podinfo deleted (its NodePort is free again)');
    assert.equal(await deleteMirror.run({ client: w.cluster, nodes: w.deps.nodes }, { namespace: NS, name: 'kp-load-podinfo' }), 'load service kp-load-podinfo was already gone');
  });

  it('mirrors a NodePort kind does not publish, and the port the step names', async () => {
    const w = world([30101]);
    assert.equal((await resolveHostTarget(w.deps, 'hidden')).port, 30101);
    assert.match(String(w.deps.timeline.last('marker')?.label), /its NodePort 31234 is not published on 127\.0\.0\.1/);
  });

  it('says what cannot work, with the way out', async () => {
    const w = world([30101]);
    await assert.rejects(resolveHostTarget(w.deps, 'podinfo', 8080), /service "podinfo" has no port 8080 \(it has: 9898, 9999\)/);
    await assert.rejects(resolveHostTarget(w.deps, 'manual'), /service "manual" has no selector .*load it from the cluster instead/);
    await assert.rejects(resolveHostTarget(world([30080]).deps, 'podinfo'), (e: Error & { kind?: string }) => e.kind === 'input' && /publishes none of the NodePorts 30101, 30102, 30103, 30104/.test(e.message));
  });
});
