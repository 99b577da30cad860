import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { deploymentReadyReplicas } from './deployment-ready.ts';
import { ConditionError } from '../failure/failure.ts';
import { holdsWhile } from './engine.ts';

const NS = 'kp-test';
const deployment = (ready: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS },
  spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } }, status: { readyReplicas: ready },
});
const pod = (name: string, ready: boolean): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' } },
  spec: { nodeName: 'worker' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function setup() {
  const cluster = createFakeCluster();
  cluster.put(deployment(3));
  for (const n of ['a', 'b', 'c']) cluster.put(pod(`api-${n}`, true));
  const stores = { deployments: cluster.watch('Deployment', NS), pods: cluster.watch('Pod', NS) };
  const condition = deploymentReadyReplicas(stores, NS, 'api', 2, 'at least');
  return { cluster, condition, ctx: { clock: systemClock, timeline: createTimeline(systemClock) } };
}

describe('holdsWhile', () => {
  it('resolves with the action\'s value when the condition held until it settled', async () => {
    const { cluster, condition, ctx } = setup();
    const value = await holdsWhile(condition, 'while testing', async () => {
      cluster.put(pod('api-c', false)); // 2 ready: still at least 2
      await new Promise((r) => setImmediate(r));
      return 'done';
    }, ctx);
    assert.equal(value, 'done');
    assert.equal(ctx.timeline.last('condition.met')?.expectation, 'at least 2 ready replicas while testing');
  });

  it('rejects on the first violating change and aborts the action, which has wound down by then', async () => {
    const { cluster, condition, ctx } = setup();
    let stopped = false;
    await assert.rejects(holdsWhile(condition, 'while testing', (signal: AbortSignal) => new Promise((_, reject) => {
      signal.addEventListener('abort', () => { setImmediate(() => { stopped = true; reject(new Error('aborted')); }); });
      cluster.put(pod('api-b', false));
      cluster.put(pod('api-c', false)); // 1 ready
    }), ctx), (err: Error) => {
      assert.ok(err instanceof ConditionError, 'the violation, not the action\'s abort error');
      assert.match(err.message, /^expect\(apps\/v1\/Deployment kp-test\/api\)\.while\.toHaveReadyReplicas\(>= 2\) failed/);
      assert.match(err.message, /Expected: at least 2 ready replicas while testing\nReceived: 1\/3 ready/);
      return true;
    });
    assert.equal(stopped, true);
    assert.equal(ctx.timeline.last('condition.failed')?.expectation, 'at least 2 ready replicas while testing');
  });

  it('fails before acting when the condition does not hold at the start', async () => {
    const { cluster, condition, ctx } = setup();
    cluster.put(pod('api-a', false)); cluster.put(pod('api-b', false));
    let acted = false;
    await assert.rejects(holdsWhile(condition, 'while testing', async () => { acted = true; }, ctx), ConditionError);
    assert.equal(acted, false);
  });

  it('passes the action\'s own failure through', async () => {
    const { condition, ctx } = setup();
    await assert.rejects(holdsWhile(condition, 'while testing', async () => { throw new Error('fault broke'); }, ctx), /fault broke/);
  });
});
