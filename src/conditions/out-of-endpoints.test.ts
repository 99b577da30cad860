import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { podOutOfEndpoints, readyEndpoints } from './out-of-endpoints.ts';

const slice = (name: string, service: string, endpoints: Array<[string, string, boolean | undefined]>) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': service } },
  endpoints: endpoints.map(([pod, ip, ready]) => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready }, targetRef: { kind: 'Pod', name: pod } })),
});

describe('podOutOfEndpoints', () => {
  it('holds once the pod is not ready in any slice of the Service and others still serve', async () => {
    const cluster = createFakeCluster();
    cluster.put(slice('web-1', 'web', [['a', '10.0.0.1', true], ['b', '10.0.0.2', undefined]]));
    cluster.put(slice('other', 'db', [['a', '10.0.0.1', false]]));
    const store = cluster.watch('EndpointSlice', 'ns');
    await store.ready;
    // A nil "ready" counts as ready (EndpointSlice API semantics).
    assert.deepEqual(readyEndpoints(store, 'web').map((e) => e.pod), ['a', 'b']);
    const condition = podOutOfEndpoints(store, 'ns', 'web', 'a');
    assert.equal(condition.observe().ok, false);
    assert.match(condition.observe().received, /^ready endpoints: a \(10\.0\.0\.1\), b \(10\.0\.0\.2\)$/);
    cluster.put(slice('web-1', 'web', [['a', '10.0.0.1', false], ['b', '10.0.0.2', true]]));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(condition.observe().ok, true);
    // Nobody left serving is not "taken out of the Service": it is an outage.
    cluster.put(slice('web-1', 'web', [['a', '10.0.0.1', false], ['b', '10.0.0.2', false]]));
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual([condition.observe().ok, condition.observe().received], [false, 'ready endpoints: none']);
    await store.stop();
  });
});
