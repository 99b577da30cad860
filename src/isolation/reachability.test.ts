import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { parseAccessTable } from './access-table.ts';
import { FaultError } from '../failure/failure.ts';
import { formatResults, probePaths } from './reachability.ts';

const NS = 'kp-abc123-probe-retry-1';

function node(name: string, ready: boolean): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] } };
}

/**
 * Plays kubelet and node lifecycle controller for probe pods: `onProbe(pod, cluster)` decides what
 * happens to each created probe (run to an exit code, get deleted, be stranded on a node).
 */
function clusterWith(onProbe: (pod: KubeObject, cluster: FakeCluster) => void): FakeCluster {
  const cluster = createFakeCluster();
  cluster.put(node('w1', true));
  cluster.put(node('w2', false));
  cluster.put(node('w3', true));
  const store = cluster.watch('Pod', NS);
  store.onChange((type, obj) => { if (type === 'add') setImmediate(() => onProbe(obj, cluster)); });
  return cluster;
}

const exitWith = (cluster: FakeCluster, pod: KubeObject, nodeName: string, code: number): void =>
  cluster.put({ ...pod, spec: { ...pod.spec, nodeName }, status: { phase: code === 0 ? 'Succeeded' : 'Failed', containerStatuses: [{ state: { terminated: { exitCode: code } } }] } });

function probe(cluster: FakeCluster, expect = 'allowed') {
  const env = { client: cluster, timeline: createTimeline(systemClock), namespace: NS, resolveNamespace: () => NS };
  return probePaths(env, parseAccessTable([{ from: 'app=api', to: '10.0.0.9', port: '5432', expect }]), 5_000);
}

describe('probePaths: a probe pod lost to its node is retried once', () => {
  it('does not retry a probe that reported', async () => {
    const [result] = await probe(clusterWith((pod, c) => exitWith(c, pod, 'w1', 0)));
    assert.equal(result?.verdict.state, 'allowed');
    assert.equal(result?.retried, undefined);
  });

  it('retries a probe deleted before it finished (evicted), keeps the retry off that node, and says so', async () => {
    const retrySpecs: KubeObject[] = [];
    const cluster = clusterWith((pod, c) => {
      if (pod.metadata?.name?.endsWith('-r')) { retrySpecs.push(pod); exitWith(c, pod, 'w3', 0); return; }
      c.put({ ...pod, spec: { ...pod.spec, nodeName: 'w1' }, status: { phase: 'Running' } });
      void c.delete('Pod', pod.metadata?.name ?? '', NS);
    });
    const results = await probe(cluster);
    assert.equal(results[0]?.verdict.state, 'allowed');
    assert.match(results[0]?.retried ?? '', /^probe pod kp-abc123-probe-retry-1\/probe-[0-9a-f]+-1 was deleted before it finished \(it ran on w1; .*\); retried as kp-abc123-probe-retry-1\/probe-[0-9a-f]+-1-r$/);
    assert.match(formatResults(results), /✔ app=api → 10\.0\.0\.9:5432 allowed .*; probe pod .* was deleted before it finished .*; retried as /);
    const avoid = retrySpecs[0]?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchExpressions?.[0];
    assert.deepEqual(avoid, { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['w1'] });
    assert.deepEqual(cluster.all('Pod', NS), [], 'both probe pods are deleted afterwards');
  });

  it('retries a probe stranded on a node that went NotReady, and an evicted (Failed, no exit) one', async () => {
    const stranded = await probe(clusterWith((pod, c) => {
      if (pod.metadata?.name?.endsWith('-r')) exitWith(c, pod, 'w1', 28);
      else c.put({ ...pod, spec: { ...pod.spec, nodeName: 'w2' }, status: { phase: 'Running' } });
    }), 'blocked');
    assert.equal(stranded[0]?.verdict.state, 'blocked');
    assert.match(stranded[0]?.retried ?? '', /was stranded: its node w2 went NotReady before it finished; retried as /);

    const evicted = await probe(clusterWith((pod, c) => {
      if (pod.metadata?.name?.endsWith('-r')) exitWith(c, pod, 'w1', 0);
      else c.put({ ...pod, spec: { ...pod.spec, nodeName: 'w3' }, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } });
    }));
    assert.match(evicted[0]?.retried ?? '', /was evicted on w3 \(Evicted: The node was low on resource: memory\.\); retried as /);
  });

  it('gives up with an ERROR naming both losses when the retry is lost too', async () => {
    const cluster = clusterWith((pod, c) => { void c.delete('Pod', pod.metadata?.name ?? '', NS); });
    await assert.rejects(probe(cluster), (err: Error) => {
      assert.ok(err instanceof FaultError && err.kind === 'error', err.message);
      assert.match(err.message, /probe pods were lost twice, so these paths were not tested: probe pod .*-1 was deleted before it finished .*; retried as .*-1-r, and the retry was lost too: probe pod .*-1-r was deleted before it finished/);
      return true;
    });
  });
});
