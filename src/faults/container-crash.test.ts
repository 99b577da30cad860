import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import type { KubeObject } from '../cluster/types.ts';
import { containerRestarted } from '../conditions/container-restarted.ts';
import { containerCrash } from './container-crash.ts';
import type { FaultContext } from './fault.ts';

const NS = 'kp-t';
const pod = (name: string, restarts: number, ready = true, containerID = `containerd://${'ab'.repeat(8)}${name.slice(-1)}`): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' } }, spec: { nodeName: 'w1' },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'api', containerID, restartCount: restarts }] },
});

function world(seed: number, kills: string[] = []): { ctx: FaultContext; cluster: FakeCluster } {
  const cluster = createFakeCluster();
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } } });
  for (const n of ['a', 'b', 'c']) cluster.put(pod(`api-${n}`, 0));
  const ctx = fakeFaultContext(cluster, NS, { seed, nodes: { killContainer: async (node, id) => { kills.push(`${node} ${id}`); } } });
  return { ctx, cluster };
}

describe('containerCrash', () => {
  it('kills the seeded victim\'s container by its containerd id on its node, journalling nothing', async () => {
    const kills: string[] = [];
    const { ctx } = world(5, kills);
    const outcome = await containerCrash.inject(ctx, { deployment: 'api' });
    assert.equal(kills.length, 1);
    assert.match(kills[0] ?? '', /^w1 (ab){8}[abc]$/);
    assert.equal(kills[0]?.slice(-1), outcome.state.pod.slice(-1), 'the killed id belongs to the chosen pod');
    assert.deepEqual({ ...outcome.state, pod: undefined }, { pod: undefined, container: 'api', restartsBefore: 0, node: 'w1' });
    assert.equal(ctx.timeline.last('fault.injected')?.fault, 'container-crash');
    assert.deepEqual(ctx.journal.pending(), [], 'the kubelet\'s restart is the behaviour under test: nothing to undo');
    const again = await containerCrash.inject(world(5).ctx, { deployment: 'api' });
    assert.equal(again.state.pod, outcome.state.pod, 'same seed, same victim');
    await ctx.view.stop();
  });

  it('refuses when no pod is ready, and explains a runtime without containerd ids', async () => {
    const { ctx, cluster } = world(1);
    for (const n of ['a', 'b', 'c']) cluster.put(pod(`api-${n}`, 0, false));
    await assert.rejects(containerCrash.inject(ctx, { deployment: 'api' }), (e: Error & { kind?: string }) => e.kind === 'fail' && /not healthy before the fault: none of the pods of deployment "api" is Running and Ready/.test(e.message));
    cluster.put(pod('api-a', 0, true, 'docker://123'));
    await assert.rejects(containerCrash.inject(ctx, { deployment: 'api' }), (e: Error & { kind?: string }) => e.kind === 'error' && /reports no containerd container id \(docker:\/\/123\)/.test(e.message));
    await ctx.view.stop();
  });
});

describe('containerRestarted', () => {
  it('holds only for the same pod, a higher restartCount and Ready; says when the pod was replaced', async () => {
    const { ctx, cluster } = world(1);
    await ctx.view.ready();
    const cond = containerRestarted(ctx.view.pods, NS, 'api-a', 'api', 0);
    assert.equal(cond.observe().ok, false, 'restartCount 0 is the state before the crash');
    cluster.put(pod('api-a', 1, false));
    assert.match(cond.observe().received, /^restartCount 1; api-a Running\/NotReady on w1$/);
    assert.equal(cond.observe().ok, false, 'restarted but not Ready yet');
    cluster.put(pod('api-a', 1, true));
    assert.equal(cond.observe().ok, true);
    await cluster.delete('Pod', 'api-a', NS);
    assert.match(cond.observe().received, /pod api-a is gone \(it was replaced, not restarted by the kubelet\)/);
    await ctx.view.stop();
  });
});
