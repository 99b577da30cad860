import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';

const NS = 'kp-t';

function world() {
  const cluster = createFakeCluster();
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } } });
  return { cluster, deps: fakeScenarioDeps(cluster, NS) };
}

describe('fault operations', () => {
  it('remember what each fault left for the checks after it', async () => {
    const { deps } = world();
    assert.equal(deps.faults.latest(['deployment-scale']), undefined);
    await deps.faults.inject('deployment-scale', { deployment: 'api', replicas: 5 });
    await deps.faults.inject('deployment-scale', { deployment: 'api', replicas: 1 });
    assert.deepEqual(deps.faults.last(['deployment-scale'], 'I scale …'), { before: 5 }, 'the latest injection wins');
    await deps.view.stop();
  });

  it('say which step must come first when a check follows no fault (bad input, not a FAIL)', () => {
    const { deps } = world();
    assert.throws(() => deps.faults.last(['node-pause', 'kubelet-stop'], 'the node running the most "…" pods dies'),
      (e: Error & { kind?: string }) => e.kind === 'input' && /none was injected in this scenario: write "the node running the most "…" pods dies" first/.test(e.message));
  });

  it('undo early through the journalled undo, once', async () => {
    const { deps, cluster } = world();
    await deps.faults.inject('deployment-scale', { deployment: 'api', replicas: 5 });
    assert.match(await deps.faults.undoEarly('deployment-scale', 'deployment.scale', { name: 'api' }, 'nothing to undo'), /scaled back to 3/);
    assert.equal(deps.timeline.last('fault.reverted')?.fault, 'deployment-scale', 'the timeline names the fault undone');
    assert.equal((await cluster.get('Deployment', 'api', NS))?.spec?.replicas, 3);
    assert.deepEqual(deps.journal.pending(), [], 'the After hook will not run it again');
    await assert.rejects(deps.faults.undoEarly('deployment-scale', 'deployment.scale', { name: 'api' }, 'nothing to undo'), /nothing to undo/);
  });

  it('inject the first fault under a load only into a steady system: a failing baseline FAILS and nothing is injected', async () => {
    const { deps, cluster } = world();
    cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: NS }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } });
    deps.timeline.record({ kind: 'load.started', target: 'service/api (127.0.0.1:30080)', detail: '20 req/s' });
    const started = deps.timeline.last('load.started')?.t ?? 0;
    // Twelve seconds of load, every request failed, placed before now so they count as settled (the clock is real).
    for (let second = -20; second < -8; second++) deps.timeline.record({ kind: 'load.second', target: 'service/api (127.0.0.1:30080)', second: second - started / 1000, requests: 20, errors: 20 });
    await assert.rejects(deps.faults.inject('deployment-scale', { deployment: 'api', replicas: 5 }), (e: Error & { kind?: string }) =>
      e.kind === 'fail' && /^Cause: {4}service "api" selects no pod/m.test(e.message) && /the system was not healthy before the fault: 240\/240 failed/.test(e.message));
    assert.equal((await cluster.get('Deployment', 'api', NS))?.spec?.replicas, 3, 'nothing was injected');
    assert.deepEqual(deps.journal.pending(), []);
    await deps.view.stop();
  });
});
