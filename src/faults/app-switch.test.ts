import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext, fakeNodes } from '../testing/fault-context.ts';
import type { NodePost } from '../cluster/kind-node-http.ts';
import { appSwitch, switchOn, switchUrl } from './app-switch.ts';
import type { FaultContext } from './fault.ts';

const NS = 'kp-t';
const container = (probes: boolean) => ({
  name: 'web', ports: [{ name: 'http', containerPort: 4000 }],
  ...(probes ? { readinessProbe: { httpGet: { path: '/readyz', port: 'http' } }, livenessProbe: { httpGet: { path: '/livez', port: 8081 } } } : {}),
});

function world(probes: boolean, post: NodePost = async () => 200): FaultContext {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } } } });
  for (const [name, ready] of [['web-a', true], ['web-b', false]] as const) {
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'web' } }, spec: { nodeName: 'w1', containers: [container(probes)] },
      status: { phase: 'Running', podIP: '10.244.1.7', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'web', restartCount: 2 }] } });
  }
  return fakeFaultContext(cluster, NS, { nodes: { post } });
}

describe('switchUrl', () => {
  it('uses the probe\'s own path and port (named or numeric), else the demo app\'s defaults', () => {
    assert.equal(switchUrl('10.0.0.1', container(true), 'readiness', false), 'http://10.0.0.1:4000/readyz?set=false');
    assert.equal(switchUrl('10.0.0.1', container(true), 'liveness', true), 'http://10.0.0.1:8081/livez?set=true');
    assert.equal(switchUrl('10.0.0.1', container(false), 'readiness', false), 'http://10.0.0.1:4000/ready?set=false');
    assert.throws(() => switchUrl('10.0.0.1', { name: 'x' }, 'liveness', false), (e: Error & { kind?: string }) => e.kind === 'input' && /declares no port and no httpGet liveness probe/.test(e.message));
  });
});

describe('appSwitch', () => {
  it('journals the switch-on before throwing the switch, in a Ready pod only', async () => {
    const posts: Array<{ url: string; pending: string[] }> = [];
    const ctx: FaultContext = world(true, async (_node, url) => { posts.push({ url, pending: ctx.journal.pending().map((r) => r.kind) }); return 200; });
    const outcome = await appSwitch.inject(ctx, { deployment: 'web', probe: 'readiness' });
    assert.deepEqual(posts, [{ url: 'http://10.244.1.7:4000/readyz?set=false', pending: ['app.switch-on'] }]);
    assert.equal(outcome.state.pod, 'web-a');
    assert.equal(outcome.state.restartsBefore, 2);
    assert.equal(outcome.state.hasProbe, true);
    assert.equal(ctx.journal.pending()[0]?.params.url, 'http://10.244.1.7:4000/readyz?set=true');
    await ctx.view.stop();
  });

  it('says which probe is missing, and refuses an app without the switch', async () => {
    const ctx = world(false);
    const outcome = await appSwitch.inject(ctx, { deployment: 'web', probe: 'liveness' });
    assert.equal(outcome.state.hasProbe, false);
    assert.match(String(ctx.timeline.last('fault.injected')?.detail), /the container has no livenessProbe/);
    // An app without the switch cannot be faulted this way: ERROR (tooling), never FAIL.
    const refusing = world(false, async () => 404);
    await assert.rejects(appSwitch.inject(refusing, { deployment: 'web', probe: 'readiness' }), (e: Error & { kind?: string }) => e.kind === 'error' && /did not accept .*HTTP 404.*POST <probe path>\?set=false/.test(e.message));
    assert.deepEqual(refusing.journal.pending(), [], 'nothing was switched, so no undo is left pending');
    await ctx.view.stop();
  });
});

describe('the app.switch-on undo', () => {
  it('names the pod, never the URL (its message may be printed outside any scenario\'s redaction)', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-a', namespace: NS } });
    const nodes = fakeNodes({ post: async () => 501 });
    await assert.rejects(switchOn.run({ client: cluster, nodes }, { namespace: NS, pod: 'web-a', node: 'w1', url: 'http://10.0.0.1:80/s3cr3t-path?set=true' }),
      (e: Error) => e.message === 'pod web-a answered HTTP 501 to the switch');
  });
});
