import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../util/clock.ts';
import { recordStores } from './recorder.ts';
import { createTimeline, excerptLines, timeToRecover } from './timeline.ts';
import type { TimelineEvent } from './events.ts';
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

  it('leaves per-second load entries out of excerpts unless asked for', () => {
    const clock = manualClock();
    const tl = createTimeline(clock);
    tl.record({ kind: 'load.started', target: 'service/api' });
    for (let second = 0; second < 30; second++) {
      clock.advance(1000);
      tl.record({ kind: 'load.second', target: 'service/api', second, requests: 50, errors: 0 });
    }
    tl.record({ kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' });
    assert.deepEqual(tl.excerpt().map((l) => l.trim().split(/\s+/)[1]), ['load.started', 'fault.injected']);
    assert.equal(tl.excerpt(0, 100, () => true).length, 32);
  });
});

describe('excerptLines', () => {
  // As recorded by the broken "image no node has" copy (ErrImageNeverPull, re-sent by the kubelet every few seconds).
  const at = (t: number, e: Record<string, unknown>): TimelineEvent => ({ t, at: '', ...e }) as TimelineEvent;
  const never = (t: number, pod: string) => [
    at(t, { kind: 'k8s.event', type: 'Warning', reason: 'ErrImageNeverPull', object: `pod/${pod}`, message: 'Container image "kubeproof/demo-app:9.9.9" is not present with pull policy of Never' }),
    at(t, { kind: 'k8s.event', type: 'Warning', reason: 'Failed', object: `pod/${pod}`, message: 'Error: ErrImageNeverPull' }),
  ];
  const pods = ['web-779cb7844f-5gmwr', 'web-779cb7844f-f9n9n', 'web-779cb7844f-sxdrf'];
  const metrics = (t: number) => at(t, { kind: 'k8s.event', type: 'Warning', reason: 'FailedGetResourceMetric', object: 'horizontalpodautoscaler/other', message: 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
  const entries: TimelineEvent[] = [
    at(500, { kind: 'marker', label: 'applied 1 object from test/e2e/features/verdicts/manifests/image-never' }),
    at(900, { kind: 'k8s.pod', name: pods[0], phase: 'Pending', ready: false, reason: 'ContainerCreating', node: 'kubeproof-worker' }),
    ...[4000, 16000, 28000, 40000].flatMap((t) => pods.flatMap((p, i) => never(t + i * 100, p))),
    ...[1000, 16000, 31000, 46000, 61000].map(metrics),
    at(62000, { kind: 'condition.failed', subject: 'apps/v1/Deployment kp-x/web', expectation: '3 ready replicas within 2m00s' }),
  ];

  it('collapses repeats into one line with a count, one Event about sibling pods into one line, and drops the kubelet\'s echoes', () => {
    assert.deepEqual(excerptLines(entries), [
      '   +0.5s marker           applied 1 object from test/e2e/features/verdicts/manifests/image-never',
      '   +0.9s k8s.pod          pod/web-779cb7844f-5gmwr Pending/NotReady (ContainerCreating) on kubeproof-worker',
      '  +40.2s k8s.event        ErrImageNeverPull pod/web-779cb7844f-5gmwr (and 2 more pods): Container image "kubeproof/demo-app:9.9.9" is not present with pull policy of Never (×12 since +4.0s)',
      '  +61.0s k8s.event        FailedGetResourceMetric horizontalpodautoscaler/other: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API (×5 since +1.0s)',
      '  +62.0s condition.failed apps/v1/Deployment kp-x/web: 3 ready replicas within 2m00s NOT met',
    ]);
  });

  it('puts warnings about the failure\'s own objects first, and stays short', () => {
    const noisy = [...entries, ...Array.from({ length: 30 }, (_, i) => at(63000 + i, { kind: 'k8s.pod', name: `other-${i}`, phase: 'Running', ready: true }))];
    const lines = excerptLines(noisy, 8, [`pod/${pods[1]}`]);
    assert.equal(lines.length, 10, '8 entries and two headings');
    assert.equal(lines[0], 'warnings about it:');
    assert.match(lines[1] ?? '', /ErrImageNeverPull pod\/web-779cb7844f-5gmwr \(and 2 more pods\)/);
    assert.equal(lines[2], 'latest:');
    assert.match(lines.at(-1) ?? '', /pod\/other-29 Running\/Ready/);
  });

  it('leaves every fault, check and marker its own line', () => {
    const faults = [1, 2].map((t) => at(t * 1000, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' }));
    assert.equal(excerptLines(faults).length, 2);
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

  it('records owner, revision and image of ReplicaSets, once per visible change', () => {
    const cluster = createFakeCluster();
    const tl = createTimeline(manualClock());
    const stop = recordStores(tl, [cluster.watch('ReplicaSet', 'ns')]);
    const rs = (revision: string, ready: number, extra: Record<string, string> = {}) => ({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: 'api-7c9', namespace: 'ns', annotations: { 'deployment.kubernetes.io/revision': revision, ...extra },
        ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'u1', controller: true }],
      },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', image: 'demo-app:1.0.0' }, { name: 'side', image: 'envoy' }] } } },
      status: { readyReplicas: ready },
    });
    cluster.put(rs('1', 3));
    cluster.put(rs('1', 3, { 'deployment.kubernetes.io/desired-replicas': '3' })); // same summary: not recorded
    cluster.put(rs('3', 3)); // a rollback re-uses the old ReplicaSet under a new revision
    stop();
    assert.deepEqual(tl.events().map((e) => e.kind === 'k8s.replicaset' ? [e.owner, e.revision, e.image, e.ready] : e.kind), [
      ['api', '1', 'demo-app:1.0.0', 3],
      ['api', '3', 'demo-app:1.0.0', 3],
    ]);
  });

  it('leaves out the owner of a ReplicaSet no Deployment controls', () => {
    const cluster = createFakeCluster();
    const tl = createTimeline(manualClock());
    const stop = recordStores(tl, [cluster.watch('ReplicaSet', 'ns')]);
    cluster.put({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'bare', namespace: 'ns', ownerReferences: [{ kind: 'Deployment', name: 'x', uid: 'u', controller: false }] }, spec: { replicas: 1 } });
    stop();
    assert.deepEqual(tl.events().map((e) => ({ ...e, t: 0, at: '' })), [{ kind: 'k8s.replicaset', name: 'bare', desired: 1, ready: 0, t: 0, at: '' }]);
  });

  it('records the CPU an HPA saw, its target and bounds (autoscaling/v2)', () => {
    const cluster = createFakeCluster();
    const tl = createTimeline(manualClock());
    const stop = recordStores(tl, [cluster.watch('HorizontalPodAutoscaler', 'ns')]);
    const hpa = (cpu: number, lastScaleTime: string) => ({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'ns' },
      spec: {
        minReplicas: 2, maxReplicas: 6,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        ],
      },
      status: {
        currentReplicas: 2, desiredReplicas: 4, lastScaleTime,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'memory', current: { averageUtilization: 30 } } },
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu, averageValue: '120m' } } },
        ],
      },
    });
    cluster.put(hpa(95, '2026-01-01T00:00:00Z'));
    cluster.put(hpa(95, '2026-01-01T00:00:15Z')); // same summary: not recorded
    cluster.put(hpa(61, '2026-01-01T00:00:15Z'));
    stop();
    assert.deepEqual(tl.events().map((e) => e.kind === 'k8s.hpa' ? [e.cpuPercent, e.targetPercent, e.min, e.max] : e.kind), [[95, 50, 2, 6], [61, 50, 2, 6]]);
    assert.equal(tl.excerpt()[0]?.replace(/^\s*\S+\s+\S+\s+/, ''), 'hpa/api current 2, desired 4, cpu 95%/50%');
  });
});
