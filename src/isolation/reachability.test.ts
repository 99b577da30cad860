import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { parseAccessTable } from './access-table.ts';
import { ConditionError, FaultError } from '../failure/failure.ts';
import { accessSummary, expectAccess, formatResults, probePaths } from './reachability.ts';

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

describe('expectAccess: the cause of an unexpected path comes first', () => {
  const env = (cluster: FakeCluster) => ({ client: cluster, timeline: createTimeline(systemClock), namespace: NS, resolveNamespace: () => NS });
  const exitsBy = (codes: Record<string, number>) => (pod: KubeObject, c: FakeCluster): void => {
    if (!pod.metadata?.name?.startsWith('probe-')) return; // the app's own pods keep running
    const from = pod.metadata?.labels?.app ?? '';
    exitWith(c, pod, 'w1', codes[from] ?? 0);
  };
  const app = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels }, spec: { containers: [{ name: 'app', ports: [{ name: 'tcp', containerPort: 5432 }] }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  const service = (name: string, selector: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector, ports: [{ port: 5432, targetPort: 'tcp' }] } });

  it('a path meant to be blocked is open: names the policy whose podSelector matches no pod', async () => {
    const cluster = clusterWith(exitsBy({ api: 0, intruder: 0 }));
    cluster.put(app('db-1', { app: 'db' }));
    cluster.put(service('db', { app: 'db' }));
    cluster.put({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db-allow-api', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'dbb' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] } });
    const rows = [{ from: 'app=api', to: 'service/db', port: '5432', expect: 'allowed' }, { from: 'app=intruder', to: 'service/db', port: '5432', expect: 'blocked' }];
    await assert.rejects(expectAccess(env(cluster), rows, 5_000), (err: ConditionError) => {
      const [first, header] = err.message.split('\n');
      assert.equal(first, `Cause:    NetworkPolicy "db-allow-api" selects app=dbb, which matches no pod in namespace ${NS} (pods' labels: app=db), so it isolates nothing`);
      assert.equal(header, `expect(networking.k8s.io/v1/NetworkPolicy ${NS}/*).toMatchAccessTable(2 paths: 1 allowed, 1 blocked) failed`);
      assert.match(err.message, /\nReceived: 1 of 2 paths as expected; unexpected:\n {10}app=intruder → service\/db:5432 was ALLOWED, expected blocked .*; policies selecting db: none \(every ingress is allowed\); NetworkPolicy "db-allow-api" selects app=dbb/);
      return true;
    });
  });

  it('a Service whose selector matches no pod: the refused path names the selector and the pods\' labels', async () => {
    const cluster = clusterWith(exitsBy({ client: 7 }));
    cluster.put(app('web-1', { app: 'web', 'pod-template-hash': 'abc' }));
    cluster.put(app('web-2', { app: 'web', 'pod-template-hash': 'abc' }));
    cluster.put(service('web', { app: 'wbe' }));
    await assert.rejects(expectAccess(env(cluster), [{ from: 'app=client', to: 'service/web', port: '5432', expect: 'allowed' }], 5_000),
      (err: ConditionError) => err.message.startsWith('Cause:    service "web" selects no pod: selector app=wbe matches none of the 2 pods (labels app=web ×2)\n'));
  });

  it('counts the summary over the table\'s rows', () => {
    const r = (state: 'allowed' | 'blocked', expect: 'allowed' | 'blocked') => ({ path: { row: 1, from: { namespaceAlias: undefined, labels: {}, text: 'app=a' }, to: { kind: 'service' as const, name: 'b', text: 'service/b' }, port: 80, expect }, exitCode: 0, verdict: { state, meaning: '' }, log: '', probe: 'p' });
    assert.equal(accessSummary([r('allowed', 'allowed'), r('allowed', 'blocked'), r('blocked', 'blocked'), r('blocked', 'blocked'), r('allowed', 'allowed'), r('blocked', 'allowed')]), '4 of 6 paths as expected');
    assert.match(formatResults([r('allowed', 'allowed')]), /^1 of 1 path as expected\n✔ app=a → service\/b:80 allowed/);
  });
});
