import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Capabilities } from '../capabilities.ts';
import { applyCapabilityOverrides, parseCapabilityOverrides } from './start-run.ts';

const measured: Capabilities = {
  workers: 3, metrics: { ok: true, detail: 'metrics.k8s.io answers' }, netpol: { state: 'not-checked', detail: 'no selected scenario needs it' },
  nodeLoss: { evictionAfterS: 50, detail: 'kube-system static pod flags' },
};

describe('parseCapabilityOverrides', () => {
  it('accepts the keys it knows with sensible values', () => {
    assert.equal(parseCapabilityOverrides(undefined), undefined);
    assert.deepEqual(parseCapabilityOverrides({ workers: 1, metrics: false, netpol: 'not-enforced', nodeLossEvictionS: 340 }), { workers: 1, metrics: false, netpol: 'not-enforced', nodeLossEvictionS: 340 });
  });

  it('names the bad key in one line', () => {
    assert.throws(() => parseCapabilityOverrides({ workers: 'two' }), { name: 'UsageError', message: /^world parameter "capabilities\.workers" has a bad value "two"; use any of: workers \(whole number\)/ });
    assert.throws(() => parseCapabilityOverrides({ workers: -1 }), { message: /capabilities\.workers" has a bad value -1/ });
    assert.throws(() => parseCapabilityOverrides({ gpus: 2 }), { message: /^world parameter "capabilities\.gpus" is unknown; use any of/ });
    assert.throws(() => parseCapabilityOverrides(3), { message: /^world parameter "capabilities" must be an object/ });
  });
});

describe('applyCapabilityOverrides', () => {
  it('replaces the measured values it is given, says which, and keeps the others', () => {
    const { capabilities, notes } = applyCapabilityOverrides(measured, { workers: 1, netpol: 'enforced' });
    assert.equal(capabilities.workers, 1);
    assert.deepEqual(capabilities.netpol, { state: 'enforced', detail: 'set by the world parameter "capabilities"' });
    assert.deepEqual(capabilities.metrics, measured.metrics);
    assert.deepEqual(notes, ['workers 1 (measured 3)', 'NetworkPolicy enforced (measured not-checked)']);
  });

  it('changes nothing without overrides', () => {
    assert.deepEqual(applyCapabilityOverrides(measured, undefined), { capabilities: measured, notes: [] });
  });
});
