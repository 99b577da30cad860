import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chartData, hasSeries } from './chart-data.ts';
import type { TimelineEvent, TimelinePayload } from '../timeline/events.ts';

/** Entries at given seconds. */
function timeline(...entries: Array<[number, TimelinePayload]>): TimelineEvent[] {
  return entries.map(([s, p]) => ({ ...p, t: s * 1000, at: new Date(s * 1000).toISOString() }) as TimelineEvent);
}

const pod = (name: string, node: string | undefined, ready: boolean, extra: Partial<Extract<TimelinePayload, { kind: 'k8s.pod' }>> = {}): TimelinePayload =>
  ({ kind: 'k8s.pod', name, phase: node ? 'Running' : 'Pending', ready, ...(node ? { node } : {}), ...extra });

describe('chartData', () => {
  it('holds ready and desired replicas of each Deployment as steps until the end, deleted = 0', () => {
    const data = chartData(timeline(
      [0, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3 }],
      [2, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 2, updated: 3, available: 2 }],
      [2, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 1, updated: 3, available: 1 }],
      [4, { kind: 'k8s.deployment', name: 'web', desired: 1, ready: 1, updated: 1, available: 1 }],
      [6, { kind: 'k8s.deployment', name: 'web', desired: 1, ready: 1, updated: 1, available: 1, deleted: true }],
      [10, { kind: 'marker', label: 'end' }],
    ));
    assert.equal(data.endS, 10);
    assert.deepEqual(data.deployments.map((d) => [d.name, d.ready, d.desired]), [
      ['api', [[0, 3], [2, 1], [10, 1]], [[0, 3], [10, 3]]],
      ['web', [[4, 1], [6, 0], [10, 0]], [[4, 1], [6, 0], [10, 0]]],
    ]);
  });

  it('ignores entries after endMs and closes open windows there', () => {
    const data = chartData(timeline(
      [1, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3 }],
      [5, { kind: 'fault.injected', fault: 'node-pause', target: 'node/w2' }],
      [20, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3, deleted: true }],
      [21, { kind: 'fault.reverted', fault: 'node.unpause', target: 'w2', ok: true }],
    ), { endMs: 12_000 });
    assert.equal(data.endS, 12);
    assert.deepEqual(data.deployments[0]?.ready, [[1, 3], [12, 3]]);
    assert.deepEqual(data.faults, [{ label: 'node-pause node/w2', startS: 5, endS: 12, open: true }]);
  });

  it('ends a fault window at its revert, matched by fault name or by the target named either way', () => {
    const data = chartData(timeline(
      [1, { kind: 'fault.injected', fault: 'node-pause', target: 'node/w2' }],
      [2, { kind: 'fault.injected', fault: 'namespace-cutoff', target: 'namespace/kp-1' }],
      [7, { kind: 'fault.reverted', fault: 'namespace-cutoff', target: 'namespace/kp-1', ok: true }],
      [9, { kind: 'fault.reverted', fault: 'node.unpause', target: 'w2', ok: true }],
      [10, { kind: 'marker', label: 'end' }],
    ));
    assert.deepEqual(data.faults.map((w) => [w.label, w.startS, w.endS, w.open]), [
      ['node-pause node/w2', 1, 9, false],
      ['namespace-cutoff namespace/kp-1', 2, 7, false],
    ]);
  });

  it('merges repeated one-shot faults on one target into one window that lists each injection', () => {
    const data = chartData(timeline(
      [10, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' }],
      [20, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' }],
      [25, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/web' }],
      [30, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' }],
      [40, { kind: 'marker', label: 'end' }],
    ));
    assert.deepEqual(data.faults, [
      { label: 'pod-kill deployment/api ×3', startS: 10, endS: 40, open: true, starts: [10, 20, 30] },
      { label: 'pod-kill deployment/web', startS: 25, endS: 40, open: true },
    ]);
  });

  it('finds a NotReady window per node outage, open ones ending at the end', () => {
    const data = chartData(timeline(
      [0, { kind: 'k8s.node', name: 'w1', ready: true, unschedulable: false }],
      [0, { kind: 'k8s.node', name: 'w2', ready: true, unschedulable: false }],
      [3, { kind: 'k8s.node', name: 'w1', ready: false, unschedulable: false }],
      [4, { kind: 'k8s.node', name: 'w1', ready: false, unschedulable: true }],
      [6, { kind: 'k8s.node', name: 'w1', ready: true, unschedulable: false }],
      [8, { kind: 'k8s.node', name: 'w2', ready: false, unschedulable: false }],
      [12, { kind: 'marker', label: 'end' }],
    ));
    assert.deepEqual(data.nodesNotReady, [
      { label: 'w1 NotReady', startS: 3, endS: 6, open: false },
      { label: 'w2 NotReady', startS: 8, endS: 12, open: true },
    ]);
  });

  it('counts ready pods per node at shared moments (so they stack), and pods pending without a node', () => {
    const data = chartData(timeline(
      [0, pod('a', 'w1', true)],
      [0, pod('b', 'w2', true)],
      [2, pod('b', 'w2', false)],
      [3, pod('c', undefined, false)],
      [4, pod('c', 'w1', true)],
      [5, pod('a', 'w1', true, { deleted: true })],
      [8, { kind: 'marker', label: 'end' }],
    ));
    assert.deepEqual(data.podsPerNode, [
      { name: 'w1', points: [[0, 1], [2, 1], [3, 1], [4, 2], [5, 1], [8, 1]] },
      { name: 'w2', points: [[0, 1], [2, 0], [3, 0], [4, 0], [5, 0], [8, 0]] },
      { name: 'unscheduled', points: [[0, 0], [2, 0], [3, 1], [4, 0], [5, 0], [8, 0]] },
    ]);
  });

  it('places each load second after its load start and keeps p95 when given', () => {
    const data = chartData(timeline(
      [10, { kind: 'load.started', target: 'service/api' }],
      [13, { kind: 'load.second', target: 'service/api', second: 0, requests: 50, errors: 0, p95Ms: 12.4 }],
      [13, { kind: 'load.second', target: 'service/api', second: 1, requests: 50, errors: 3 }],
      [14, { kind: 'load.stopped', target: 'service/api' }],
    ));
    assert.deepEqual(data.load, [{ target: 'service/api', requests: [[10.5, 50], [11.5, 50]], errors: [[10.5, 0], [11.5, 3]], p95Ms: [[10.5, 12]] }]);
    assert.deepEqual(data.loadWindows, [{ label: 'load service/api', startS: 10, endS: 14, open: false }]);
    assert.ok(hasSeries(data));
  });

  it('shows a rollout when two ReplicaSets of one Deployment had pods, with every revision a ReplicaSet carried', () => {
    const rs = (name: string, revision: string, image: string, desired: number, ready: number, owner?: string): TimelinePayload =>
      ({ kind: 'k8s.replicaset', name, desired, ready, revision, image, ...(owner ? { owner } : {}) });
    const data = chartData(timeline(
      [0, { kind: 'k8s.deployment', name: 'api', desired: 2, ready: 2, updated: 2, available: 2 }],
      [0, rs('api-old', '1', 'demo:1', 2, 2, 'api')],
      [0, rs('api-x-unused', '9', 'demo:0', 0, 0, 'api')],
      [1, rs('api-new', '2', 'demo:broken', 1, 0, 'api')],
      [5, rs('api-old', '3', 'demo:1', 2, 2, 'api')],
      [5, rs('api-new', '2', 'demo:broken', 0, 0, 'api')],
      [0, rs('web-abc', '1', 'web:1', 1, 1)], // no owner field: found by name; one ReplicaSet is no rollout
      [6, { kind: 'marker', label: 'end' }],
    ).sort((a, b) => a.t - b.t));
    assert.deepEqual(data.rollouts.map((r) => [r.deployment, r.replicaSets.map((s) => [s.name, s.revisions, s.ready, s.desired])]), [
      ['api', [
        ['api-old', ['1', '3'], [[0, 2], [6, 2]], [[0, 2], [6, 2]]],
        ['api-new', ['2'], [[1, 0], [6, 0]], [[1, 1], [5, 0], [6, 0]]],
      ]],
    ]);
  });

  it('collects HPA replicas, the CPU it saw and its target and bounds', () => {
    const data = chartData(timeline(
      [0, { kind: 'k8s.hpa', name: 'api', current: 2, desired: 2, targetPercent: 50, min: 2, max: 6 }],
      [15, { kind: 'k8s.hpa', name: 'api', current: 2, desired: 4, cpuPercent: 120, targetPercent: 50, min: 2, max: 6 }],
      [30, { kind: 'k8s.hpa', name: 'api', current: 4, desired: 4, cpuPercent: 60, targetPercent: 50, min: 2, max: 6 }],
    ));
    assert.deepEqual(data.hpas, [{
      name: 'api', current: [[0, 2], [30, 4]], desired: [[0, 2], [15, 4], [30, 4]], cpu: [[15, 120], [30, 60]], target: [[0, 50], [30, 50]], min: 2, max: 6,
    }]);
  });

  it('lists met and failed conditions in order', () => {
    const data = chartData(timeline(
      [1, { kind: 'condition.met', subject: 'deployment api', expectation: '3 ready replicas' }],
      [2, { kind: 'condition.failed', subject: 'load', expectation: 'error rate < 1%' }],
    ));
    assert.deepEqual(data.conditions, [{ t: 1, ok: true, text: 'deployment api: 3 ready replicas' }, { t: 2, ok: false, text: 'load: error rate < 1%' }]);
    assert.equal(hasSeries(data), false, 'marks alone make no chart');
  });
});
