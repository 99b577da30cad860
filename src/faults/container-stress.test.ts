import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStress } from '../cluster/kind-stress.ts';
import type { ContainerFreezer } from '../cluster/kind-containers.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import { containerFreeze, thawContainer } from './container-freeze.ts';
import { cpuStress } from './cpu-stress.ts';
import { memoryStress } from './memory-stress.ts';
import { stopStress } from './container-stress.ts';
import { CHAOS_TAINT_KEY, nodeTaint, taintPatch, untaint } from './node-taint.ts';

const NS = 'kp-t';
const pod = (name: string, node: string, liveness = true): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' } },
  spec: { nodeName: node, containers: [{ name: 'api', ...(liveness ? { livenessProbe: { httpGet: { path: '/health', port: 4000 } } } : {}) }, { name: 'side' }] },
  status: {
    phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'api', containerID: `containerd://aa${name.slice(-1)}`, restartCount: 2 }, { name: 'side', containerID: `containerd://bb${name.slice(-1)}`, restartCount: 0 }],
  },
});

function world(log: string[], seed = 3) {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } } });
  cluster.put(pod('api-a', 'w1'));
  cluster.put(pod('api-b', 'w1'));
  cluster.put(pod('api-c', 'w2'));
  const stress: ContainerStress = {
    async start(node, id, spec, seconds, marker) { log.push(`start ${node} ${id} ${JSON.stringify(spec)} ${seconds}s ${marker.slice(0, 17)} after [${ctx.journal.pending().map((r) => `${r.kind}@${r.params.node}`).join(',')}]`); return [100]; },
    async stop(node, marker) { log.push(`stop ${node} ${marker.slice(0, 17)}`); return 2; },
    count: async () => 0,
    traces: async () => [],
  };
  const freezer: ContainerFreezer = {
    async freeze(node, id) { log.push(`freeze ${node} ${id} after [${ctx.journal.pending().map((r) => `${r.kind}:${r.params.id}`).join(',')}]`); },
    async thaw(node, id) { log.push(`thaw ${node} ${id}`); return 'thawed'; },
  };
  const ctx = fakeFaultContext(cluster, NS, { seed, nodes: { stress, freezer } });
  return { ctx, cluster };
}

describe('cpuStress / memoryStress', () => {
  it('journal one stop per node before the stress starts there, in the first container of every ready pod', async () => {
    const log: string[] = [];
    const { ctx } = world(log);
    const outcome = await cpuStress.inject(ctx, { deployment: 'api', cpus: 2, durationMs: 60_000 });
    assert.deepEqual(log, [
      'start w1 aaa {"kind":"cpu","workers":2} 60s kubeproof-stress- after [stress.stop@w1]',
      'start w1 aab {"kind":"cpu","workers":2} 60s kubeproof-stress- after [stress.stop@w1]',
      'start w2 aac {"kind":"cpu","workers":2} 60s kubeproof-stress- after [stress.stop@w1,stress.stop@w2]',
    ]);
    assert.deepEqual(outcome.state.containers.map((c) => `${c.pod}/${c.container} ${c.restartsBefore}`), ['api-a/api 2', 'api-b/api 2', 'api-c/api 2']);
    assert.equal(outcome.lift?.afterMs, 60_000);
    assert.equal(outcome.lift?.undoIds.length, 2);
    const record = ctx.journal.pending()[0];
    assert.ok(record);
    assert.equal(await stopStress.run({ client: ctx.client, nodes: ctx.nodes }, record.params as never), 'stopped 2 stress processes on node w1 (api-a, api-b)');
    await ctx.view.stop();
  });

  it('one seeded pod for "one pod"; amounts outside the caps are input errors', async () => {
    const log: string[] = [];
    const { ctx } = world(log, 7);
    const one = await memoryStress.inject(ctx, { deployment: 'api', mib: 256, one: true, durationMs: 30_000 });
    assert.equal(one.state.containers.length, 1);
    assert.match(log[0] ?? '', /\{"kind":"memory","mib":256\} 30s/);
    const again = await memoryStress.inject(world([], 7).ctx, { deployment: 'api', mib: 256, one: true, durationMs: 30_000 });
    assert.equal(again.state.containers[0]?.pod, one.state.containers[0]?.pod, 'same seed, same pod');
    await assert.rejects(cpuStress.inject(ctx, { deployment: 'api', cpus: 0, durationMs: 1_000 }), (e: Error & { kind?: string }) => e.kind === 'input');
    await assert.rejects(memoryStress.inject(ctx, { deployment: 'api', mib: 100_000, durationMs: 1_000 }), (e: Error & { kind?: string }) => e.kind === 'input');
    await ctx.view.stop();
  });
});

describe('containerFreeze', () => {
  it('journals each container\'s thaw before freezing it and remembers whether the first container has a liveness probe', async () => {
    const log: string[] = [];
    const { ctx } = world(log);
    const outcome = await containerFreeze.inject(ctx, { deployment: 'api', durationMs: 30_000 });
    const x = outcome.state.pod.slice(-1);
    assert.deepEqual(log, [`freeze ${outcome.state.node} aa${x} after [container.thaw:aa${x}]`, `freeze ${outcome.state.node} bb${x} after [container.thaw:aa${x},container.thaw:bb${x}]`]);
    assert.deepEqual({ ...outcome.state, pod: '', node: '' }, { pod: '', node: '', container: 'api', restartsBefore: 2, hasLivenessProbe: true });
    const record = ctx.journal.pending()[0];
    assert.ok(record);
    assert.match(await thawContainer.run({ client: ctx.client, nodes: ctx.nodes }, record.params as never), /^container api of pod api-. thawed$/);
    await ctx.view.stop();
  });
});

describe('nodeTaint', () => {
  it('adds the NoExecute taint to the node running the most pods after journalling its removal; the undo removes only ours', async () => {
    const { ctx, cluster } = world([]);
    cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' }, spec: { taints: [{ key: 'other', effect: 'NoSchedule' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    ctx.nodes.containers = { inspect: async () => ({ status: 'running', cluster: 'kubeproof', role: 'worker' }), paused: async () => [], pause: async () => {}, unpause: async () => 'was not paused' };
    const outcome = await nodeTaint.inject(ctx, { deployment: 'api' });
    assert.equal(outcome.state.node, 'w1', 'w1 runs two of the three pods');
    assert.deepEqual((await cluster.get('Node', 'w1'))?.spec?.taints, [{ key: 'other', effect: 'NoSchedule' }, { key: CHAOS_TAINT_KEY, value: 'node-taint', effect: 'NoExecute' }]);
    assert.deepEqual(ctx.journal.pending().map((r) => `${r.kind} ${r.params.name}`), ['node.untaint w1']);
    const deps = { client: ctx.client, nodes: ctx.nodes };
    assert.equal(await untaint.run(deps, { name: 'w1' }), `taint ${CHAOS_TAINT_KEY} removed from node w1`);
    assert.deepEqual((await cluster.get('Node', 'w1'))?.spec?.taints, [{ key: 'other', effect: 'NoSchedule' }]);
    assert.equal(await untaint.run(deps, { name: 'w1' }), `node w1 had no ${CHAOS_TAINT_KEY} taint`);
    assert.equal(await untaint.run(deps, { name: 'gone' }), 'node gone no longer exists');
    await ctx.view.stop();
  });

  it('guards the replace with a test of the taints it read (the node controller may change them meanwhile)', () => {
    const t = { key: CHAOS_TAINT_KEY, effect: 'NoExecute' };
    assert.deepEqual(taintPatch(undefined, [t]), [{ op: 'add', path: '/spec/taints', value: [t] }]);
    assert.deepEqual(taintPatch([], [t]), [{ op: 'test', path: '/spec/taints', value: [] }, { op: 'replace', path: '/spec/taints', value: [t] }]);
  });
});
