import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { deploymentReadyReplicas } from './deployment-ready.ts';
import { eventually, never, throughout } from './engine.ts';
import { ConditionError } from '../failure/failure.ts';

const NS = 'kp-test';
const deployment = (replicas: number, ready: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS },
  spec: { replicas, selector: { matchLabels: { app: 'api' } } }, status: { readyReplicas: ready },
});
const pod = (name: string, ready: boolean): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' } },
  spec: { nodeName: 'worker' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function setup(): { cluster: FakeCluster; condition: ReturnType<typeof deploymentReadyReplicas>; ctx: { clock: typeof systemClock; timeline: ReturnType<typeof createTimeline> } } {
  const cluster = createFakeCluster();
  const stores = { deployments: cluster.watch('Deployment', NS), pods: cluster.watch('Pod', NS) };
  return { cluster, condition: deploymentReadyReplicas(stores, NS, 'api', 3), ctx: { clock: systemClock, timeline: createTimeline(systemClock) } };
}
const budget = (ms: number) => ({ ms, label: `condition budget "within ${ms} ms"; step cap 600000ms` });

describe('eventually', () => {
  it('resolves on the watch event that makes the condition true', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 2));
    cluster.put(pod('api-a', true)); cluster.put(pod('api-b', true)); cluster.put(pod('api-c', false));
    const waiting = eventually(condition, budget(5_000), ctx);
    await new Promise((r) => setImmediate(r)); // let the engine subscribe; the change must come after
    assert.equal(ctx.timeline.last('condition.met'), undefined, 'not ready yet: 2 of 3 pods ready');
    cluster.put(pod('api-c', true));
    cluster.put(deployment(3, 3));
    const result = await waiting;
    assert.ok(result.attempts >= 2, 'the condition must have been re-evaluated on a change');
    assert.equal(ctx.timeline.last('condition.met')?.subject, 'apps/v1/Deployment kp-test/api');
  });

  it('does not pass while the Deployment status lags behind the pods', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 2));
    for (const n of ['a', 'b', 'c']) cluster.put(pod(`api-${n}`, true));
    await assert.rejects(eventually(condition, budget(50), ctx), ConditionError);
  });

  it('fails with expected, received, when it last changed and the budget', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 1));
    cluster.put(pod('api-a', true)); cluster.put(pod('api-b', false));
    ctx.timeline.record({ kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api', detail: 'killed api-z' });
    await assert.rejects(eventually(condition, budget(50), ctx), (err: ConditionError) => {
      assert.match(err.message, /^expect\(apps\/v1\/Deployment kp-test\/api\)\.toHaveReadyReplicas\(3\) failed\n/);
      assert.match(err.message, /\nExpected: 3 ready replicas within 50ms\n/);
      assert.match(err.message, /\nReceived: 1\/3 ready \(api-a Running\/Ready on worker, api-b Running\/NotReady on worker\)\n/);
      assert.match(err.message, /\n {10}unchanged since \+\d+\.\ds\n/);
      assert.match(err.message, /\nTimeout: {2}50ms \(condition budget "within 50 ms"; step cap 600000ms\)\n/);
      assert.match(err.message, /\nTimeline \(since fault\):\n.*fault\.injected +pod-kill deployment\/api \(killed api-z\)/);
      return true;
    });
  });

  it('explains a missing deployment and lists what exists', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put({ ...deployment(1, 1), metadata: { name: 'web', namespace: NS } });
    await assert.rejects(eventually(condition, budget(30), ctx), /Received: no deployment "api" in namespace kp-test \(it has: web\)/);
  });
});

describe('eventually on a final state', () => {
  // A condition over one ConfigMap: "final" while data.state is "final", met when it is "ok".
  const watching = () => {
    const cluster = createFakeCluster();
    const store = cluster.watch('ConfigMap', NS);
    const set = (state: string) => cluster.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: NS }, data: { state } });
    const condition = {
      subject: 'v1/ConfigMap kp-test/c', matcher: 'toBeOk()', expectation: 'state ok', stores: [store],
      observe: () => {
        const state = String((store.get('c')?.data as { state?: string } | undefined)?.state ?? 'none');
        return { ok: state === 'ok', received: `state ${state}`, ...(state === 'final' ? { final: 'it says final', cause: 'the cluster says so' } : {}) };
      },
    };
    return { set, condition, ctx: { clock: systemClock, timeline: createTimeline(systemClock), finalConfirmMs: 200 } };
  };

  it('fails once the state has stayed final through the confirmation window, cause first', async () => {
    const { set, condition, ctx } = watching();
    set('final');
    await assert.rejects(eventually(condition, budget(60_000), ctx), (err: ConditionError) => {
      assert.match(err.message, /^Cause: {4}the cluster says so\n/);
      assert.match(err.message, /\nFinal: {4}gave up after \S+ of 1m00s, the state final since \+\d+\.\ds: it says final \(condition budget/);
      return true;
    });
  });

  it('keeps waiting when a state that looked final changes within the window (a stale cache), and passes', async () => {
    const { set, condition, ctx } = watching();
    set('final');
    const waiting = eventually(condition, budget(60_000), ctx);
    await new Promise((r) => setImmediate(r));
    set('starting');
    set('final');
    set('ok');
    const result = await waiting;
    assert.ok(result.attempts >= 4);
    assert.equal(ctx.timeline.last('condition.failed'), undefined);
  });
});

describe('throughout', () => {
  it('fails at the first violation, without waiting for the phase to end', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 3));
    for (const n of ['a', 'b', 'c']) cluster.put(pod(`api-${n}`, true));
    const holding = throughout(condition, budget(60_000), ctx);
    await new Promise((r) => setImmediate(r));
    cluster.put(pod('api-b', false));
    await assert.rejects(holding, (err: Error) => /throughout\.toHaveReadyReplicas/.test(err.message) && /Violated:/.test(err.message));
  });

  it('passes when the state holds for the whole phase', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 3));
    for (const n of ['a', 'b', 'c']) cluster.put(pod(`api-${n}`, true));
    const result = await throughout(condition, budget(30), ctx);
    assert.equal(result.attempts, 1);
  });
});

describe('never', () => {
  it('fails the moment the forbidden state appears', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 2));
    for (const n of ['a', 'b']) cluster.put(pod(`api-${n}`, true));
    const watching = never(condition, budget(60_000), ctx);
    await new Promise((r) => setImmediate(r));
    cluster.put(pod('api-c', true));
    cluster.put(deployment(3, 3));
    await assert.rejects(watching, /never\.toHaveReadyReplicas\(3\) failed[\s\S]*the forbidden state appeared/);
  });

  it('passes when the state never appears', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(deployment(3, 2));
    await never(condition, budget(30), ctx);
    assert.equal(ctx.timeline.last('condition.failed'), undefined);
  });
});
