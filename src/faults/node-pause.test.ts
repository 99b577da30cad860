import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import { unpauseNode } from '../cluster/kind-nodes.ts';
import type { KubeObject } from '../cluster/types.ts';
import type { NodeContainerInfo, NodeContainers } from '../cluster/kind-nodes.ts';
import type { FaultContext } from './fault.ts';
import { nodePause } from './node-pause.ts';
import { checkNodeVictim, nodeRunningMost, nodesRunning, untilNodeLossNoticed } from './node-victim.ts';

const NS = 'kp-t';
const node = (name: string, ready: boolean, controlPlane = false): KubeObject => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name, labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : ({} as Record<string, string>) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] },
});
const pod = (name: string, nodeName: string, ready: boolean) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' } },
  spec: { nodeName }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

/** A fake docker that records calls and what the journal held at the moment of the pause. */
function fakeDocker(containers: Record<string, NodeContainerInfo>, onPause: (name: string) => void = () => {}) {
  const calls: string[] = [];
  const docker: NodeContainers = {
    async inspect(name) { return containers[name] ?? { status: 'missing', cluster: '', role: '' }; },
    async paused(cluster) { return Object.entries(containers).filter(([, c]) => c.cluster === cluster && c.status === 'paused').map(([n]) => n); },
    async pause(name) { calls.push(`pause ${name}`); const c = containers[name]; if (c) c.status = 'paused'; onPause(name); },
    async unpause(name) {
      calls.push(`unpause ${name}`);
      const c = containers[name];
      if (!c) return 'no such container';
      if (c.status !== 'paused') return 'was not paused';
      c.status = 'running';
      return 'unpaused';
    },
  };
  return { docker, calls };
}

function world(docker?: NodeContainers): { ctx: FaultContext; cluster: FakeCluster } {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } } });
  cluster.put(node('cp', true, true));
  cluster.put(node('w1', true));
  cluster.put(node('w2', true));
  cluster.put(pod('api-a', 'w1', true));
  cluster.put(pod('api-b', 'w1', true));
  cluster.put(pod('api-c', 'w2', true));
  return { ctx: fakeFaultContext(cluster, NS, { nodes: docker ? { containers: docker } : {} }), cluster };
}

const workers = (): Record<string, NodeContainerInfo> => ({
  cp: { status: 'running', cluster: 'kubeproof', role: 'control-plane' },
  w1: { status: 'running', cluster: 'kubeproof', role: 'worker' },
  w2: { status: 'running', cluster: 'kubeproof', role: 'worker' },
});

describe('nodePause', () => {
  it('pauses the node running the most pods, journalling the unpause first, and returns once the node and its pods are seen not Ready', async () => {
    let journalAtPause: string[] = [];
    let ctx: FaultContext | undefined;
    let cluster: FakeCluster | undefined;
    const { docker, calls } = fakeDocker(workers(), () => {
      journalAtPause = ctx?.journal.pending().map((r) => `${r.kind} ${r.params.name}`) ?? [];
      // What the node lifecycle controller does ~grace period later: node Unknown, its pods NotReady.
      setTimeout(() => { cluster?.put(node('w1', false)); cluster?.put(pod('api-a', 'w1', false)); cluster?.put(pod('api-b', 'w1', false)); }, 20);
    });
    ({ ctx, cluster } = world(docker));
    await ctx.view.ready();
    const outcome = await nodePause.inject(ctx, { deployment: 'api' });
    assert.equal(outcome.state.node, 'w1');
    assert.deepEqual(journalAtPause, ['node.unpause w1']);
    assert.deepEqual(calls, ['pause w1']);
    assert.match(outcome.detail, /^paused; NotReady after \d+\.\ds$/);
    assert.equal(ctx.timeline.last('fault.injected')?.fault, 'node-pause');
    await ctx.view.stop();
  });

  it('fails with what it saw when Kubernetes does not notice the death in time', async () => {
    const { ctx } = world(fakeDocker(workers()).docker);
    await ctx.view.ready();
    await assert.rejects(untilNodeLossNoticed(ctx, 'w1', 'api', 'node-pause', 'docker pause', 50),
      /node-pause: docker pause on node w1 done, but after 0\.05s Kubernetes still shows the node Ready with Ready "api" pods \[api-a, api-b\]; check kube-controller-manager --node-monitor-grace-period/);
    await ctx.view.stop();
  });

  const refusals: Array<[string, string, (c: Record<string, NodeContainerInfo>) => void, RegExp]> = [
    ['the control plane', 'cp', () => {}, /refusing node "cp": it is the control plane/],
    ['a second node while one is paused', 'w1', (c) => { c.w2!.status = 'paused'; }, /node w2 is already paused .*never takes down two nodes/],
    ['a container of another kind cluster', 'w1', (c) => { c.w1!.cluster = 'other'; }, /belongs to kind cluster "other", not "kubeproof"/],
    ['a node without a container', 'w1', (c) => { delete c.w1; }, /no docker container of that name/],
  ];
  for (const [what, victim, arrange, message] of refusals) {
    it(`refuses ${what}, without journalling or pausing anything`, async () => {
      const containers = workers();
      arrange(containers);
      const { docker, calls } = fakeDocker(containers);
      const { ctx } = world(docker);
      await assert.rejects(checkNodeVictim(ctx, victim, 'node-pause'), message);
      assert.deepEqual(calls, []);
      assert.deepEqual(ctx.journal.pending(), []);
      await ctx.view.stop();
    });
  }
});

describe('nodePause refusing its victim', () => {
  it('checks the victim before journalling or pausing anything', async () => {
    const containers = workers();
    containers.w2!.status = 'paused';
    const { docker, calls } = fakeDocker(containers);
    const { ctx } = world(docker);
    await assert.rejects(nodePause.inject(ctx, { deployment: 'api' }), /node w2 is already paused/);
    assert.deepEqual(calls, []);
    assert.deepEqual(ctx.journal.pending(), []);
    assert.equal(ctx.timeline.last('fault.injected'), undefined);
    await ctx.view.stop();
  });
});

describe('unpauseNode (the node.unpause undo)', () => {
  it('unpauses and reports the node Ready again', async () => {
    const { cluster } = world();
    const containers = workers();
    containers.w1!.status = 'paused';
    const { docker, calls } = fakeDocker(containers);
    assert.match(await unpauseNode(cluster, docker, 'w1', 1_000), /^node w1 unpaused, Ready after \d+\.\ds$/);
    assert.deepEqual(calls, ['unpause w1']);
  });

  it('is idempotent: a running or vanished container counts as done', async () => {
    const { cluster } = world();
    const { docker } = fakeDocker(workers());
    assert.match(await unpauseNode(cluster, docker, 'w1', 1_000), /^node w1 was not paused/);
    assert.equal(await unpauseNode(cluster, docker, 'gone', 1_000), 'node container gone no longer exists');
  });

  it('says when the node is not Ready again in time (no silent success)', async () => {
    const { cluster } = world();
    cluster.put(node('w1', false));
    const containers = workers();
    containers.w1!.status = 'paused';
    const { docker } = fakeDocker(containers);
    assert.match(await unpauseNode(cluster, docker, 'w1', 600), /not Ready yet after 0\.6s/);
  });
});

describe('choosing the victim while sparing a workload (the database)', () => {
  it('skips nodes running a pod of the spared StatefulSet, even when they run the most pods', async () => {
    const { ctx, cluster } = world();
    cluster.put({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'postgres', namespace: NS }, spec: { selector: { matchLabels: { app: 'postgres' } } } });
    cluster.put({ ...pod('postgres-0', 'w1', true), metadata: { name: 'postgres-0', namespace: NS, labels: { app: 'postgres' } } });
    const spared = await nodesRunning(ctx, 'postgres');
    assert.deepEqual([...spared], ['w1']);
    assert.equal(await nodeRunningMost(ctx, 'api'), 'w1');
    assert.equal(await nodeRunningMost(ctx, 'api', spared), 'w2');
    await ctx.view.stop();
  });

  it('says so when every node running the workload is spared', async () => {
    const { ctx } = world();
    await assert.rejects(nodeRunningMost(ctx, 'api', new Set(['w1', 'w2'])), (e: Error & { kind?: string }) => e.kind === 'fail' && /deployment "api" has no scheduled pod outside the spared node\(s\) w1, w2/.test(e.message));
    await assert.rejects(nodesRunning(ctx, 'nosuch'), /no Deployment or StatefulSet "nosuch" in namespace kp-t to spare/);
    await ctx.view.stop();
  });
});
