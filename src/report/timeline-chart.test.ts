import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { timelineChart } from './timeline-chart.ts';
import type { TimelineEvent } from '../timeline/events.ts';

const at = '2026-01-01T00:00:00Z';

describe('timelineChart', () => {
  it('draws one ready-replicas line per deployment and a marker per fault', () => {
    const events: TimelineEvent[] = [
      { t: 0, at, kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3 },
      { t: 1000, at, kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' },
      { t: 1200, at, kind: 'k8s.deployment', name: 'api', desired: 3, ready: 2, updated: 3, available: 2 },
      { t: 3000, at, kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3 },
      { t: 3100, at, kind: 'condition.met', subject: 'api', expectation: '3 ready <replicas>' },
    ];
    const svg = timelineChart(events) ?? '';
    assert.match(svg, /^<svg /);
    assert.equal(svg.match(/<path /g)?.length, 1);
    assert.match(svg, />api ready</);
    assert.match(svg, /stroke="#d62728".*<title>pod-kill deployment\/api<\/title>/);
    assert.match(svg, /3 ready &lt;replicas&gt;/, 'text is escaped');
  });

  it('draws nothing without deployments', () => {
    assert.equal(timelineChart([{ t: 0, at, kind: 'marker', label: 'x' }]), undefined);
  });
});
