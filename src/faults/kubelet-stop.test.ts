import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import { startKubelet } from '../cluster/kind-kubelet.ts';
import type { KubeletControl } from '../cluster/kind-kubelet.ts';
import type { NodeContainers } from '../cluster/kind-nodes.ts';
import type { KubeObject } from '../cluster/types.ts';
import { kubeletStop } from './kubelet-stop.ts';

const NS = 'kp-t';
const node = (name: string, ready: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] } });
const pod = (name: string, ready: boolean): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'api' } }, spec: { nodeName: 'w1' },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const docker: NodeContainers = {
  async inspect() { return { status: 'running', cluster: 'kubeproof', role: 'worker' }; },
  async paused() { return []; },
  async pause() { throw new Error('kubelet-stop must not pause'); },
  async unpause() { return 'was not paused'; },
};

describe('kubeletStop', () => {
  it('journals the kubelet start before stopping it, and returns once the node and its pods are not Ready', async () => {
    const cluster = createFakeCluster({ context: 'kind-kubeproof' });
    cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 1, selector: { matchLabels: { app: 'api' } } } });
    cluster.put(node('w1', true));
    cluster.put(pod('api-a', true));
    let journalAtStop: string[] = [];
    const kubelet: KubeletControl = {
      async stop() {
        journalAtStop = ctx.journal.pending().map((r) => `${r.kind} ${r.params.name}`);
        setTimeout(() => { cluster.put(node('w1', false)); cluster.put(pod('api-a', false)); }, 20);
      },
      async start() { return 'started'; },
    };
    const ctx = fakeFaultContext(cluster, NS, { nodes: { containers: docker, kubelet } });
    await ctx.view.ready();
    const outcome = await kubeletStop.inject(ctx, { deployment: 'api' });
    assert.deepEqual(journalAtStop, ['node.start-kubelet w1']);
    assert.match(outcome.detail, /^kubelet stopped; NotReady after \d+\.\ds$/);
    assert.equal(outcome.state.node, 'w1');
    const notice = ctx.timeline.last('marker', (e) => e.label.startsWith('node w1 seen NotReady'))?.label ?? '';
    assert.match(notice, /after the kubelet-stop \(systemctl stop kubelet\)$/, 'the notice names the fault that acted');
    assert.doesNotMatch(notice, /pause/, 'a stopped kubelet is never reported as a paused node');
    assert.equal(ctx.timeline.last('fault.injected')?.fault, 'kubelet-stop');
    await ctx.view.stop();
  });
});

describe('startKubelet (the node.start-kubelet undo)', () => {
  it('starts the kubelet and reports the node Ready; a vanished container counts as done', async () => {
    const cluster = createFakeCluster();
    cluster.put(node('w1', true));
    const calls: string[] = [];
    const kubelet: KubeletControl = { async stop() {}, async start(n) { calls.push(n); return n === 'gone' ? 'no such container' : 'started'; } };
    assert.match(await startKubelet(cluster, kubelet, 'w1', 1_000), /^kubelet on node w1 started, Ready after \d+\.\ds$/);
    assert.equal(await startKubelet(cluster, kubelet, 'gone', 1_000), 'node container gone no longer exists');
    assert.deepEqual(calls, ['w1', 'gone']);
  });
});
