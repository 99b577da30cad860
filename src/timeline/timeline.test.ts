import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../util/clock.ts';
import { recordStores } from './recorder.ts';
import { createTimeline, timeToRecover } from './timeline.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';

function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1000;
  return { now: () => t, wall: () => new Date(1_700_000_000_000 + t), advance(ms) { t += ms; } };
}

describe('timeline', () => {
  it('computes time to recover from the last fault before the recovery', () => {
    const clock = manualClock();
    const tl = createTimeline(clock);
    clock.advance(2000);
    tl.record({ kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' });
    clock.advance(4500);
    const met = tl.record({ kind: 'condition.met', subject: 'x', expectation: 'y' });
    assert.equal(timeToRecover(tl, met.t), 4500);
  });

  it('has no time to recover without a fault', () => {
    const tl = createTimeline(manualClock());
    assert.equal(timeToRecover(tl, 100), undefined);
  });

  it('renders readable excerpt lines with offsets', () => {
    const clock = manualClock();
    const tl = createTimeline(clock);
    clock.advance(1500);
    tl.record({ kind: 'k8s.pod', name: 'api-1', phase: 'Running', ready: false, node: 'w1' });
    assert.deepEqual(tl.excerpt(), ['   +1.5s k8s.pod          pod/api-1 Running/NotReady on w1']);
  });
});

describe('recordStores', () => {
  it('records pod transitions once per visible change, deletions, and events', () => {
    const cluster = createFakeCluster();
    const tl = createTimeline(manualClock());
    const stop = recordStores(tl, [cluster.watch('Pod', 'ns'), cluster.watch('Event', 'ns')]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, status: { phase: 'Pending' } };
    cluster.put(pod);
    cluster.put({ ...pod, metadata: { ...pod.metadata, annotations: { noise: '1' } } }); // same summary: not recorded
    cluster.put({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    cluster.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'ns' }, reason: 'Killing', type: 'Normal', message: 'Stopping container', involvedObject: { kind: 'Pod', name: 'p' } });
    void cluster.delete('Pod', 'p', 'ns');
    stop();
    assert.deepEqual(tl.events().map((e) => e.kind === 'k8s.pod' ? `${e.phase}/${e.ready}${e.deleted ? '/deleted' : ''}` : e.kind), [
      'Pending/false', 'Running/true', 'k8s.event', 'Running/true/deleted',
    ]);
  });
});
