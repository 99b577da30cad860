import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { applyWaitingForNodePorts, nodePortHolder } from './node-ports.ts';

const svc = (ns: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: ns }, spec: { type: 'NodePort', ports: [{ port: 4000, nodePort: 30080 }] } });
const allocated = Object.assign(new Error('PATCH … failed with HTTP 422 (Invalid): Service "api" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'), { status: 422 });

describe('nodePortHolder', () => {
  it('finds the Service holding a nodePort and whether its namespace is being deleted', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', deletionTimestamp: '2026-01-01T00:00:00Z' } });
    cluster.put(svc('old'));
    assert.deepEqual(await nodePortHolder(cluster, 30080), { namespace: 'old', service: 'api', terminating: true });
    assert.equal(await nodePortHolder(cluster, 30030), undefined);
  });
});

describe('applyWaitingForNodePorts', () => {
  it('fails at once, naming the holder, when a live namespace holds the port', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other-run' } });
    cluster.put(svc('other-run'));
    cluster.apply = async () => { throw allocated; };
    await assert.rejects(applyWaitingForNodePorts(cluster, svc('mine'), 10_000), /belongs to Service "api" in namespace other-run, which is not being deleted/);
  });

  it('retries while the holder namespace is terminating, and succeeds once the port is free', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', deletionTimestamp: '2026-01-01T00:00:00Z' } });
    cluster.put(svc('old'));
    const realApply = cluster.apply.bind(cluster);
    let calls = 0;
    cluster.apply = async (obj) => {
      calls++;
      if (calls === 1) { await cluster.delete('Namespace', 'old'); throw allocated; }
      return realApply(obj);
    };
    const applied = await applyWaitingForNodePorts(cluster, svc('mine'), 10_000);
    assert.equal(applied.metadata?.namespace, 'mine');
    assert.equal(calls, 2);
  });
});
