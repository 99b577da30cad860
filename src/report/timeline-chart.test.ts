import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTimelineChart } from './timeline-chart.ts';
import { timeAxis } from './chart-option.ts';
import type { TimelineEvent, TimelinePayload } from '../timeline/events.ts';

function timeline(...entries: Array<[number, TimelinePayload]>): TimelineEvent[] {
  return entries.map(([s, p]) => ({ ...p, t: s * 1000, at: new Date(s * 1000).toISOString() }) as TimelineEvent);
}

/** The visible texts of an SVG (element contents), entities left as written. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

const deployment = (name: string, ready: number, desired = 3): TimelinePayload =>
  ({ kind: 'k8s.deployment', name, desired, ready, updated: desired, available: ready });

describe('renderTimelineChart', () => {
  it('draws a ready and a desired series per Deployment on a time axis in seconds', async () => {
    const svg = await renderTimelineChart(timeline(
      [0, deployment('api', 3)], [0, deployment('web', 1, 1)], [5, deployment('api', 2)], [9, deployment('api', 3)], [12, { kind: 'marker', label: 'end' }],
    )) ?? '';
    assert.match(svg, /^<svg width="900" height="\d+"/);
    const t = texts(svg);
    for (const label of ['api ready', 'api desired', 'web ready', 'web desired', 'replicas', 'seconds since scenario start']) assert.ok(t.includes(label), label);
    assert.ok(t.includes('12'), 'the axis reaches the end of the timeline');
  });

  it('shades one band per NotReady window and labels it, and one per fault window with its name', async () => {
    const svg = await renderTimelineChart(timeline(
      [0, { kind: 'k8s.node', name: 'w2', ready: true, unschedulable: false }],
      [0, { kind: 'k8s.pod', name: 'api-1', phase: 'Running', ready: true, node: 'w2' }],
      [0, deployment('api', 1, 1)],
      [2, { kind: 'fault.injected', fault: 'node-pause', target: 'node/w2' }],
      [4, { kind: 'k8s.node', name: 'w2', ready: false, unschedulable: false }],
      [8, { kind: 'k8s.node', name: 'w2', ready: true, unschedulable: false }],
      [10, { kind: 'k8s.node', name: 'w2', ready: false, unschedulable: false }],
      [20, { kind: 'marker', label: 'end' }],
    )) ?? '';
    assert.equal(texts(svg).filter((x) => x === 'w2 NotReady').length, 2);
    assert.equal(svg.match(/fill="rgb\(80,80,80\)" fill-opacity="0.16"/g)?.length, 2, 'grey bands in the pods-per-node grid');
    assert.ok(texts(svg).includes('node-pause node/w2'));
    assert.equal(svg.match(/fill="rgb\(214,39,40\)" fill-opacity="0.1"/g)?.length, 1, 'a red band in the replicas grid');
  });

  it('draws load as requests/s and red errors/s with totals, p95 on a second axis', async () => {
    const seconds = Array.from({ length: 20 }, (_, second): [number, TimelinePayload] =>
      [11 + second, { kind: 'load.second', target: 'service/api', second, requests: 50, errors: second === 5 ? 7 : 0, p95Ms: 20 }]);
    const svg = await renderTimelineChart(timeline([10, { kind: 'load.started', target: 'service/api' }], ...seconds, [31, { kind: 'load.stopped', target: 'service/api' }])) ?? '';
    const t = texts(svg);
    for (const label of ['Load on service/api', 'requests/s (1000 in all)', 'errors/s (7 in all)', 'p95 latency', 'p95 ms', 'load service/api']) assert.ok(t.includes(label), label);
    assert.match(svg, /stroke="#d62728"/, 'errors are red');
  });

  it('draws HPA replicas with its bounds and the CPU it saw against the target', async () => {
    const svg = await renderTimelineChart(timeline(
      [0, { kind: 'k8s.hpa', name: 'api', current: 2, desired: 2, cpuPercent: 10, targetPercent: 50, min: 2, max: 6 }],
      [15, { kind: 'k8s.hpa', name: 'api', current: 2, desired: 5, cpuPercent: 130, targetPercent: 50, min: 2, max: 6 }],
      [30, { kind: 'k8s.hpa', name: 'api', current: 5, desired: 5, cpuPercent: 55, targetPercent: 50, min: 2, max: 6 }],
    )) ?? '';
    const t = texts(svg);
    for (const label of ['api current replicas', 'api desired replicas', 'CPU % (seen by the HPA)', 'CPU target %', 'CPU %', 'min 2', 'max 6']) assert.ok(t.includes(label), label);
  });

  it('draws the old and the new ReplicaSet of a rollout by revision and image', async () => {
    const rs = (name: string, revision: string, image: string, ready: number): TimelinePayload =>
      ({ kind: 'k8s.replicaset', name, owner: 'api', revision, image, desired: ready, ready });
    const svg = await renderTimelineChart(timeline(
      [0, deployment('api', 2, 2)], [0, rs('api-a', '1', 'reg.local/kubeproof/demo-app:1.0.0', 2)],
      [5, rs('api-b', '2', 'reg.local/kubeproof/demo-app:1.1.0', 1)], [6, rs('api-a', '1', 'reg.local/kubeproof/demo-app:1.0.0', 1)],
      [8, rs('api-b', '2', 'reg.local/kubeproof/demo-app:1.1.0', 2)], [9, rs('api-a', '1', 'reg.local/kubeproof/demo-app:1.0.0', 0)],
    )) ?? '';
    const t = texts(svg);
    assert.ok(t.includes('rev 1 demo-app:1.0.0') && t.includes('rev 2 demo-app:1.1.0'), t.join(' | '));
  });

  it('numbers conditions on the chart and lists them under it, failures in red', async () => {
    const svg = await renderTimelineChart(timeline(
      [0, deployment('api', 3)],
      [1, { kind: 'condition.met', subject: 'deployment api', expectation: '3 ready replicas' }],
      [4, { kind: 'condition.failed', subject: 'deployment api', expectation: 'never below 3' }],
    )) ?? '';
    const t = texts(svg);
    assert.ok(t.includes('1  ✓ met  +1s  deployment api: 3 ready replicas'), t.join(' | '));
    assert.match(svg, /fill="#d62728">2  ✗ FAILED  \+4s  deployment api: never below 3<\/text>/);
  });

  it('escapes text from the timeline and shows no entry details', async () => {
    const svg = await renderTimelineChart(timeline(
      [0, deployment('api', 3)],
      [1, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/a&b', detail: 'killed api-1 token=s3cr3t' }],
      [2, { kind: 'k8s.event', type: 'Warning', reason: 'Failed', object: 'pod/api-1', message: 'env PASSWORD=hunter2' }],
      [3, { kind: 'condition.met', subject: 'deployment api', expectation: '3 ready <replicas>' }],
    )) ?? '';
    assert.match(svg, /3 ready &lt;replicas&gt;/);
    assert.match(svg, /pod-kill deployment\/a&amp;b/);
    assert.doesNotMatch(svg, /<replicas>|s3cr3t|hunter2/);
  });

  it('draws nothing without a series (markers, faults and conditions alone)', async () => {
    assert.equal(await renderTimelineChart(timeline([0, { kind: 'marker', label: 'x' }], [1, { kind: 'fault.injected', fault: 'f', target: 't' }])), undefined);
    assert.equal(await renderTimelineChart([]), undefined);
  });
});

describe('timeAxis', () => {
  it('picks 5 to 12 round intervals that end at or just after the timeline', () => {
    assert.deepEqual([10, 45, 79, 192, 280.2, 605].map(timeAxis), [
      { max: 10, interval: 2 }, { max: 45, interval: 5 }, { max: 80, interval: 10 }, { max: 200, interval: 20 }, { max: 300, interval: 60 }, { max: 630, interval: 90 },
    ]);
  });
});
