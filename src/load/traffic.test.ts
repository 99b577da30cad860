import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { createTraffic } from './traffic.ts';

const NS = 'kp-t';

/** A scenario whose backend fails from the fault (100 ms after script()) until `failFor` ms later. */
function world(failFor: number, type = 'NodePort') {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: NS }, spec: { type, ports: [{ port: 80, nodePort: type === 'NodePort' ? 30080 : undefined }] } });
  const timeline = createTimeline(systemClock);
  let failing = false;
  const fetchImpl = (async () => new Response('x', { status: failing ? 503 : 200 })) as typeof fetch;
  const traffic = createTraffic({ client: cluster, namespace: NS, timeline, fetchImpl });
  const at = (ms: number, fn: () => void) => setTimeout(fn, ms);
  // The fault at 100 ms, the recovery condition met at 250 ms.
  const script = () => {
    at(100, () => { timeline.record({ kind: 'fault.injected', fault: 'node-pause', target: 'node/w1' }); failing = true; });
    at(100 + failFor, () => { failing = false; });
    at(250, () => { timeline.record({ kind: 'recovered', fault: 'node-pause', subject: 'apps/v1/Deployment kp-t/api', expectation: '3 ready replicas', afterMs: 150 }); });
  };
  return { traffic, timeline, script };
}

describe('traffic judged by phase', () => {
  it('passes when failures stop at recovery, and reports every phase', async () => {
    const { traffic, timeline, script } = world(140);
    await traffic.start('api', 100, { ms: 600, text: '600ms' });
    script();
    const text = await traffic.expectErrorRateAfterRecoveryBelow(1);
    assert.match(text, /before the fault: 0\/\d+ failed/);
    assert.match(text, /during the fault \(.*\): [1-9]\d*\/\d+ failed \(\d+\.\d%: \d+ HTTP 503\)/);
    assert.match(text, /after recovery \(.*\): 0\/\d+ failed/);
    assert.ok(timeline.last('load.stopped'));
  });

  it('fails with a student-readable message when errors go on after recovery', async () => {
    const { traffic, script } = world(300);
    await traffic.start('api', 100, { ms: 600, text: '600ms' });
    script();
    await assert.rejects(traffic.expectErrorRateAfterRecoveryBelow(1), (err: Error) => {
      assert.equal(err.name, 'ConditionError');
      assert.match(err.message, /Expected: fewer than 1% of the requests sent after recovery \(\+0\.\ds\) fail/);
      assert.match(err.message, /Received: \d+\/\d+ failed \(\d+\.\d%: \d+ HTTP 503\)/);
      assert.match(err.message, /First failure after recovery at/);
      return true;
    });
  });

  it('refuses a ClusterIP service with the reason, and bad rates', async () => {
    const { traffic } = world(0, 'ClusterIP');
    await assert.rejects(traffic.start('api', 10, { ms: 1000, text: '1s' }), /service "api" is ClusterIP, not NodePort/);
    await assert.rejects(traffic.start('api', 0, { ms: 1000, text: '1s' }), /requests per second must be 1…200, got 0/);
    await assert.rejects(traffic.start('nope', 10, { ms: 1000, text: '1s' }), /no service "nope"/);
    assert.equal(await traffic.stop(), undefined);
  });

  it('says what is missing when no fault recovered during the traffic', async () => {
    const { traffic } = world(0);
    await traffic.start('api', 50, { ms: 100, text: '100ms' });
    await assert.rejects(traffic.expectErrorRateAfterRecoveryBelow(1), /no recovery after a fault was observed/);
  });
});
