import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError } from '../cluster/api-errors.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import type { KubeObject, RawResponse } from '../cluster/types.ts';
import { ConditionError } from '../failure/failure.ts';
import { FaultError } from './fault.ts';
import type { FaultContext } from './fault.ts';
import { drainNode, drainVictims, evictUntilAllowed, nodeDrain } from './node-drain.ts';

const NS = 'kp-t';
const PDB_PATH = `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`;
const pod = (name: string, nodeName: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; owner?: string } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name, namespace: NS, labels: extra.labels ?? { app: 'api' }, annotations: extra.annotations,
    ownerReferences: extra.owner ? [{ kind: extra.owner, name: 'owner', uid: 'u', controller: true }] : undefined,
  },
  spec: { nodeName }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const pdbList = (...items: KubeObject[]): RawResponse => ({ status: 200, body: JSON.stringify({ items }) });
const apiPdb: KubeObject = {
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api-pdb', namespace: NS },
  spec: { minAvailable: 2, selector: { matchLabels: { app: 'api' } } },
  status: { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 },
};
const refused = (): KubeApiError => new KubeApiError("POST …/eviction failed with HTTP 429 (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.", 429, 'TooManyRequests');
const evictionPod = (path: string): string => /\/pods\/([^/]+)\/eviction$/.exec(path)?.[1] ?? '';

/**
 * A fake cluster whose Eviction API deletes the pod unless `refuse(pod)` says no (429).
 * Evicted pods are recorded in order.
 */
function world(options: { refuse?: (pod: string) => boolean; pdbs?: KubeObject[] } = {}): { ctx: FaultContext; cluster: FakeCluster; evicted: string[] } {
  const evicted: string[] = [];
  const cluster: FakeCluster = createFakeCluster({
    context: 'kind-kubeproof',
    rawResponses: { [PDB_PATH]: pdbList(...(options.pdbs ?? [])) },
    onPost: (path) => {
      const name = evictionPod(path);
      if (options.refuse?.(name)) throw refused();
      if (!cluster.all('Pod', NS).some((p) => p.metadata?.name === name)) throw new KubeApiError('not found', 404, 'NotFound');
      evicted.push(name);
      void cluster.delete('Pod', name, NS);
      return { kind: 'Status', status: 'Success' } as KubeObject;
    },
  });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } } } }, status: { readyReplicas: 3 } });
  for (const n of ['w1', 'w2']) cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: n }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  cluster.put(pod('api-a', 'w1'));
  cluster.put(pod('api-b', 'w1'));
  cluster.put(pod('api-c', 'w2'));
  cluster.put(pod('logs-x', 'w1', { labels: { app: 'logs' }, owner: 'DaemonSet' }));
  return { ctx: fakeFaultContext(cluster, NS), cluster, evicted };
}

describe('drainVictims', () => {
  it('takes every pod on the node except DaemonSet pods and mirror (static) pods, sorted by name', () => {
    const pods = [
      pod('web-2', 'w1'), pod('web-1', 'w1'), pod('web-3', 'w2'),
      pod('fluentd-a', 'w1', { owner: 'DaemonSet' }),
      pod('etcd-w1', 'w1', { annotations: { 'kubernetes.io/config.mirror': 'abc' } }),
      pod('job-1', 'w1', { owner: 'Job' }),
    ];
    assert.deepEqual(drainVictims(pods, 'w1').map((p) => p.metadata?.name), ['job-1', 'web-1', 'web-2']);
    assert.deepEqual(drainVictims(pods, 'w3'), []);
  });
});

describe('evictUntilAllowed', () => {
  it('retries an eviction the disruption budget refuses (429) until it is allowed', async () => {
    let attempts = 0;
    const cluster = createFakeCluster({ onPost: (path, body) => {
      attempts++;
      assert.equal(path, `/api/v1/namespaces/${NS}/pods/api-a/eviction`);
      assert.deepEqual(body, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'api-a', namespace: NS } });
      if (attempts <= 2) throw refused();
      return {};
    } });
    const seen: number[] = [];
    const result = await evictUntilAllowed(cluster, NS, 'api-a', { deadline: Date.now() + 10_000, intervalMs: 1, onRefused: (_m, attempt) => { seen.push(attempt); } });
    assert.deepEqual(result, { pod: 'api-a', outcome: 'evicted', refusals: 2, lastRefusal: "HTTP 429 (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget." });
    assert.equal(attempts, 3);
    assert.deepEqual(seen, [1, 2]);
  });

  it('gives up as "blocked" at the deadline, and treats 404 as already gone', async () => {
    const always = createFakeCluster({ onPost: () => { throw refused(); } });
    const blocked = await evictUntilAllowed(always, NS, 'api-a', { deadline: Date.now() + 30, intervalMs: 5 });
    assert.equal(blocked.outcome, 'blocked');
    assert.ok(blocked.refusals >= 2, `retried until the deadline (${blocked.refusals} refusals)`);
    const gone = createFakeCluster({ onPost: () => { throw new KubeApiError('not found', 404, 'NotFound'); } });
    assert.equal((await evictUntilAllowed(gone, NS, 'api-a', { deadline: Date.now() + 1000 })).outcome, 'gone');
  });

  it('fails at once on any other API error', async () => {
    const forbidden = createFakeCluster({ onPost: () => { throw new KubeApiError('POST … failed with HTTP 403 (Forbidden): no', 403, 'Forbidden'); } });
    await assert.rejects(evictUntilAllowed(forbidden, NS, 'api-a', { deadline: Date.now() + 1000 }), (err: Error) => err instanceof FaultError && /evicting pod kp-t\/api-a failed: .*403/.test(err.message));
  });
});

describe('drainNode', () => {
  it('cordons (uncordon journalled), evicts only the namespace pods on the node, records PDB refusals, returns when they are gone', async () => {
    let refusalsLeft = 2;
    const { ctx, cluster, evicted } = world({ refuse: (name) => name === 'api-b' && refusalsLeft-- > 0, pdbs: [apiPdb] });
    const outcome = await drainNode(ctx, 'w1', { intervalMs: 1 });
    assert.deepEqual(ctx.journal.pending().map((r) => `${r.kind} ${r.params.name}`), ['node.uncordon w1']);
    assert.equal((await cluster.get('Node', 'w1'))?.spec?.unschedulable, true);
    assert.deepEqual(evicted.sort(), ['api-a', 'api-b']);
    assert.deepEqual(cluster.all('Pod', NS).map((p) => p.metadata?.name).sort(), ['api-c', 'logs-x'], 'the DaemonSet pod and the other node are untouched');
    assert.match(outcome.detail, /evicted 2 pod\(s\) in .*, after 2 refused eviction\(s\): api-a, api-b/);
    const markers = ctx.timeline.events().filter((e) => e.kind === 'marker').map((e) => (e as { label: string }).label);
    assert.ok(markers.some((l) => /^eviction of pod api-b refused by PodDisruptionBudget api-pdb \(minAvailable 2; 2 healthy of 2 needed, 0 disruptions allowed\): .*429/.test(l)), markers.join('\n'));
    assert.equal(markers.filter((l) => l.startsWith('eviction of pod api-b refused')).length, 1, 'only the first refusal of a pod is recorded');
    await ctx.view.stop();
  });

  it('fails after its budget, naming the pods still there and the budget blocking them', async () => {
    const { ctx } = world({ refuse: (name) => name === 'api-b', pdbs: [apiPdb] });
    await assert.rejects(drainNode(ctx, 'w1', { intervalMs: 5, budgetMs: 60 }), (err: Error) =>
      err instanceof FaultError && err.kind === 'fail' && /drain of node w1 did not finish within .*: 1 pod\(s\) of namespace kp-t still on it: api-b \(eviction refused \d+× by PodDisruptionBudget api-pdb/.test(err.message));
    assert.deepEqual(ctx.journal.pending().map((r) => r.kind), ['node.uncordon'], 'the uncordon stays pending for the After hook');
    await ctx.view.stop();
  });
});

describe('drain with a guard ("while deployment X keeps at least N ready replicas")', () => {
  it('passes when the evictions never take the deployment below N', async () => {
    const { ctx, cluster } = world({ pdbs: [apiPdb] });
    // w1 runs 2 of 3 pods; evicting both leaves 1, so only a guard of 1 holds.
    const outcome = await nodeDrain.inject(ctx, { deployment: 'api', guard: { deployment: 'api', atLeast: 1 } });
    assert.equal(outcome.target, 'node/w1');
    assert.equal(outcome.state.node, 'w1');
    assert.ok(ctx.timeline.events().some((e) => e.kind === 'condition.met' && /at least 1 ready replica while node w1 is drained/.test(e.expectation)));
    assert.deepEqual(cluster.all('Pod', NS).filter((p) => p.spec?.nodeName === 'w1' && p.metadata?.labels?.app === 'api'), []);
    await ctx.view.stop();
  });

  it('fails the moment ready replicas drop below N and says no PodDisruptionBudget protects the deployment', async () => {
    const { ctx } = world();
    await assert.rejects(nodeDrain.inject(ctx, { deployment: 'api', guard: { deployment: 'api', atLeast: 2 } }), (err: Error) => {
      assert.ok(err instanceof ConditionError, String(err));
      assert.match(err.message, /Expected: at least 2 ready replicas while node w1 is drained/);
      assert.match(err.message, /Received: 1\/3 ready/);
      assert.match(err.message, /Hint: +no PodDisruptionBudget protects deployment "api" \(none in namespace kp-t selects its pods\)/);
      return true;
    });
    await ctx.view.stop();
  });

  it('names the budget in the hint when one exists but the deployment still dropped', async () => {
    const loose = { ...apiPdb, spec: { maxUnavailable: 2, selector: { matchLabels: { app: 'api' } } }, status: { currentHealthy: 3, desiredHealthy: 1, disruptionsAllowed: 2 } };
    const { ctx } = world({ pdbs: [loose] });
    await assert.rejects(nodeDrain.inject(ctx, { deployment: 'api', guard: { deployment: 'api', atLeast: 2 } }), /Hint: +PodDisruptionBudget api-pdb \(maxUnavailable 2; 3 healthy of 1 needed, 2 disruptions allowed\) selects the pods of deployment "api"/);
    await ctx.view.stop();
  });
});
