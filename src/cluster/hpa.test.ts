/** HPA readings on objects recorded from the testbed's controller (src/cluster/testdata/hpa-*.json). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeHpa, hpaBlocked, hpaState, metricsApiMissing, missingRequest } from './hpa.ts';

const recorded = (name: string): any => JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', `${name}.json`), 'utf8'));

describe('hpaState and hpaBlocked', () => {
  it('reads a capped HPA: its CPU reading and "capped at N by maxReplicas" in its own words', () => {
    const s = hpaState(recorded('hpa-capped'));
    assert.equal(describeHpa(s), 'desired 1, current 1 (min 1, max 1), CPU 2% of 1% target');
    assert.deepEqual(hpaBlocked(s), { kind: 'capped', cause: 'capped at 1 by maxReplicas: the desired replica count is more than the maximum replica count (HPA ScalingLimited)' });
    assert.equal(missingRequest(s), false);
  });

  it('reads an HPA whose pods request no CPU: the student\'s spec, not the environment', () => {
    const s = hpaState(recorded('hpa-missing-request'));
    assert.equal(s.cpuPercent, undefined);
    assert.equal(missingRequest(s), true);
    assert.equal(metricsApiMissing(s), false);
    assert.match(hpaBlocked(s)?.cause ?? '', /^HPA FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app/);
  });

  it('tells a metrics API that is missing (the environment) from a missing request', () => {
    const hpa = recorded('hpa-missing-request');
    hpa.status.conditions[1].message = 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
    const s = hpaState(hpa);
    assert.equal(metricsApiMissing(s), true);
    assert.equal(missingRequest(s), false);
  });
});
