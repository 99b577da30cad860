import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import { FaultError } from './fault.ts';
import type { FaultContext } from './fault.ts';
import { podKill } from './pod-kill.ts';
import { deploymentScale } from './deployment-scale.ts';
import { cordonNode } from './node-cordon.ts';
import { nodeRunningMost } from './node-victim.ts';

const NS = 'kp-t';

function world(seed: number): { ctx: FaultContext; cluster: ReturnType<typeof createFakeCluster> } {
  const cluster = createFakeCluster();
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 5, selector: { matchLabels: { app: 'api' } } } });
  for (const [i, node] of ['w1', 'w2', 'w2', 'w3', 'w3'].entries()) {
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `api-${i}`, namespace: NS, labels: { app: 'api' } }, spec: { nodeName: node }, status: { phase: 'Running' } });
  }
  for (const n of ['w1', 'w2', 'w3']) cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: n }, spec: {} });
  return { ctx: fakeFaultContext(cluster, NS, { seed }), cluster };
}

describe('killPods', () => {
  it('deletes the seeded choice of victims and records the fault', async () => {
    const { ctx, cluster } = world(1);
    const outcome = await podKill.inject(ctx, { deployment: 'api', count: 2 });
    const alive = cluster.all('Pod', NS).map((p) => p.metadata?.name);
    assert.equal(alive.length, 3);
    for (const victim of outcome.detail.replace('killed ', '').split(', ')) assert.ok(!alive.includes(victim), `${victim} still exists`);
    assert.match(ctx.timeline.last('fault.injected')?.detail ?? '', /^killed api-\d, api-\d \(grace 0s\)$/);
  });

  it('chooses the same victims again with the same seed (--seed replays)', async () => {
    assert.equal((await podKill.inject(world(99).ctx, { deployment: 'api', count: 2 })).detail, (await podKill.inject(world(99).ctx, { deployment: 'api', count: 2 })).detail);
  });

  it('refuses to kill more pods than are running, saying how many there are', async () => {
    await assert.rejects(podKill.inject(world(1).ctx, { deployment: 'api', count: 9 }), (e: Error) => e instanceof FaultError && e.kind === 'fail' && /only 5 running/.test(e.message));
  });

  it('names the namespace and what exists when the deployment does not exist (bad input, not a FAIL)', async () => {
    await assert.rejects(podKill.inject(world(1).ctx, { deployment: 'web', count: 1 }), (e: Error & { kind?: string }) => e.kind === 'input' && /no deployment "web" in namespace kp-t \(it has: api\)/.test(e.message));
  });
});

describe('killPercent', () => {
  const cases: Array<[number, number]> = [[40, 2], [1, 1], [100, 5], [20, 1]];
  for (const [percent, killed] of cases) {
    it(`${percent}% of 5 replicas kills ${killed} (rounded up)`, async () => {
      const { ctx, cluster } = world(1);
      await podKill.inject(ctx, { deployment: 'api', percent });
      assert.equal(cluster.all('Pod', NS).length, 5 - killed);
    });
  }

  it('refuses a percentage outside 1..100', async () => {
    await assert.rejects(podKill.inject(world(1).ctx, { deployment: 'api', percent: 0 }), /give a percentage from 1 to 100/);
    await assert.rejects(podKill.inject(world(1).ctx, { deployment: 'api', percent: 150 }), /give a percentage from 1 to 100/);
  });
});

describe('deploymentScale', () => {
  it('journals the previous replica count before scaling', async () => {
    const { ctx, cluster } = world(1);
    await deploymentScale.inject(ctx, { deployment: 'api', replicas: 2 });
    assert.equal((await cluster.get('Deployment', 'api', NS))?.spec?.replicas, 2);
    assert.deepEqual(ctx.journal.pending().map((r) => [r.kind, r.params.replicas]), [['deployment.scale', 5]]);
  });
});

describe('node-cordon', () => {
  it('picks a node running the most pods of the deployment', async () => {
    const { ctx } = world(3);
    assert.ok(['w2', 'w3'].includes(await nodeRunningMost(ctx, 'api')));
  });

  it('journals the uncordon before cordoning', async () => {
    const { ctx, cluster } = world(3);
    await cordonNode(ctx, 'w2');
    assert.equal((await cluster.get('Node', 'w2'))?.spec?.unschedulable, true);
    assert.deepEqual(ctx.journal.pending().map((r) => [r.kind, r.params.name]), [['node.uncordon', 'w2']]);
  });

  it('refuses a node that is already cordoned (someone else owns that state)', async () => {
    const { ctx } = world(3);
    await cordonNode(ctx, 'w2');
    await assert.rejects(cordonNode(ctx, 'w2'), /already cordoned/);
  });
});
