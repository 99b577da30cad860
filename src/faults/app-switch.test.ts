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
import { switchProbeOff, switchUrl } from './app-switch.ts';
import type { FaultContext } from './fault.ts';

const NS = 'kp-t';
const container = (probes: boolean) => ({
  name: 'web', ports: [{ name: 'http', containerPort: 4000 }],
  ...(probes ? { readinessProbe: { httpGet: { path: '/readyz', port: 'http' } }, livenessProbe: { httpGet: { path: '/livez', port: 8081 } } } : {}),
});

function world(probes: boolean): FaultContext {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } } } });
  for (const [name, ready] of [['web-a', true], ['web-b', false]] as const) {
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'web' } }, spec: { nodeName: 'w1', containers: [container(probes)] },
      status: { phase: 'Running', podIP: '10.244.1.7', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'web', restartCount: 2 }] } });
  }
  return { client: cluster, view: createNamespaceView(cluster, NS), timeline: createTimeline(systemClock), journal: openScope(mkdtempSync(join(tmpdir(), 'kp-switch-')), 's'), rng: createRng(1, 's') };
}

describe('switchUrl', () => {
  it('uses the probe\'s own path and port (named or numeric), else the demo app\'s defaults', () => {
    assert.equal(switchUrl('10.0.0.1', container(true), 'readiness', false), 'http://10.0.0.1:4000/readyz?set=false');
    assert.equal(switchUrl('10.0.0.1', container(true), 'liveness', true), 'http://10.0.0.1:8081/livez?set=true');
    assert.equal(switchUrl('10.0.0.1', container(false), 'readiness', false), 'http://10.0.0.1:4000/ready?set=false');
    assert.throws(() => switchUrl('10.0.0.1', { name: 'x' }, 'liveness', false), /declares no port and no httpGet liveness probe/);
  });
});

describe('switchProbeOff', () => {
  it('journals the switch-on before throwing the switch, in a Ready pod only', async () => {
    const ctx = world(true);
    const posts: Array<{ url: string; pending: string[] }> = [];
    const outcome = await switchProbeOff(ctx, 'web', 'readiness', async (_node, url) => { posts.push({ url, pending: ctx.journal.pending().map((r) => r.kind) }); return 200; });
    assert.deepEqual(posts, [{ url: 'http://10.244.1.7:4000/readyz?set=false', pending: ['app.switch-on'] }]);
    assert.equal(outcome.switched.pod, 'web-a');
    assert.equal(outcome.switched.restartsBefore, 2);
    assert.equal(outcome.switched.hasProbe, true);
    assert.equal(ctx.journal.pending()[0]?.params.url, 'http://10.244.1.7:4000/readyz?set=true');
    await ctx.view.stop();
  });

  it('says which probe is missing, and refuses an app without the switch', async () => {
    const ctx = world(false);
    const outcome = await switchProbeOff(ctx, 'web', 'liveness', async () => 200);
    assert.equal(outcome.switched.hasProbe, false);
    assert.match(String(ctx.timeline.last('fault.injected')?.detail), /the container has no livenessProbe/);
    await assert.rejects(switchProbeOff(world(false), 'web', 'readiness', async () => 404), /did not accept .*HTTP 404.*POST <probe path>\?set=false/);
    await ctx.view.stop();
  });
});
