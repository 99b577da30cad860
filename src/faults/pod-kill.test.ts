import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeCluster } from '../cluster/fake-client.ts';
import { createNamespaceView } from '../cluster/view.ts';
import { openScope } from '../journal/journal.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { createRng } from '../util/rng.ts';
import { FaultError } from './fault.ts';
import type { FaultContext } from './fault.ts';
import { killPercent, killPods } from './pod-kill.ts';
import { scaleDeployment } from './deployment-scale.ts';
import { cordonNode, nodeRunningMost } from './node-cordon.ts';

const NS = 'kp-t';

function world(seed: number): { ctx: FaultContext; cluster: ReturnType<typeof createFakeCluster> } {
  const cluster = createFakeCluster();
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 5, selector: { matchLabels: { app: 'api' } } } });
  for (const [i, node] of ['w1', 'w2', 'w2', 'w3', 'w3'].entries()) {
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `api-${i}`, namespace: NS, labels: { app: 'api' } }, spec: { nodeName: node }, status: { phase: 'Running' } });
  }
  for (const n of ['w1', 'w2', 'w3']) cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: n }, spec: {} });
  const ctx: FaultContext = {
    client: cluster, view: createNamespaceView(cluster, NS), timeline: createTimeline(systemClock),
    journal: openScope(mkdtempSync(join(tmpdir(), 'kp-fault-')), 's'), rng: createRng(seed, 'scenario'),
  };
  return { ctx, cluster };
}

describe('killPods', () => {
  it('deletes the seeded choice of victims and records the fault', async () => {
    const { ctx, cluster } = world(1);
    const outcome = await killPods(ctx, 'api', 2);
    const alive = cluster.all('Pod', NS).map((p) => p.metadata?.name);
    assert.equal(alive.length, 3);
    for (const victim of outcome.detail.replace('killed ', '').split(', ')) assert.ok(!alive.includes(victim), `${victim} still exists`);
    assert.match(ctx.timeline.last('fault.injected')?.detail ?? '', /^killed api-\d, api-\d \(grace 0s\)$/);
  });

  it('chooses the same victims again with the same seed (--seed replays)', async () => {
    assert.equal((await killPods(world(99).ctx, 'api', 2)).detail, (await killPods(world(99).ctx, 'api', 2)).detail);
  });

  it('refuses to kill more pods than are running, saying how many there are', async () => {
    await assert.rejects(killPods(world(1).ctx, 'api', 9), (e: Error) => e instanceof FaultError && /only 5 running/.test(e.message));
  });

  it('names the namespace when the deployment does not exist', async () => {
    await assert.rejects(killPods(world(1).ctx, 'web', 1), /deployment "web": it does not exist in namespace kp-t/);
  });
});

describe('killPercent', () => {
  const cases: Array<[number, number]> = [[40, 2], [1, 1], [100, 5], [20, 1]];
  for (const [percent, killed] of cases) {
    it(`${percent}% of 5 replicas kills ${killed} (rounded up)`, async () => {
      const { ctx, cluster } = world(1);
      await killPercent(ctx, 'api', percent);
      assert.equal(cluster.all('Pod', NS).length, 5 - killed);
    });
  }

  it('refuses a percentage outside 1..100', async () => {
    await assert.rejects(killPercent(world(1).ctx, 'api', 0), /give a percentage from 1 to 100/);
    await assert.rejects(killPercent(world(1).ctx, 'api', 150), /give a percentage from 1 to 100/);
  });
});

describe('scaleDeployment', () => {
  it('journals the previous replica count before scaling', async () => {
    const { ctx, cluster } = world(1);
    await scaleDeployment(ctx, 'api', 2);
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
