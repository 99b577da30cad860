import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionError, FaultError, InconclusiveError, InputError, kindOf, renderFailure } from './failure.ts';

describe('renderFailure', () => {
  it('puts the cluster\'s cause first, then expected, received and since when, then our hint', () => {
    const text = renderFailure({
      subject: 'apps/v1/Deployment ns/api', matcher: 'toHaveReadyReplicas(3)', expected: '3 ready replicas within 1m00s',
      received: '1/3 ready (api-a Pending: Unschedulable)', since: 12_300, verdict: 'Timeout:  60000ms (condition budget)',
      attempts: { count: 4, lastT: 59_900 }, cause: 'pod api-a is Pending: 0/4 nodes are available: 4 Insufficient cpu. (scheduler)',
      hint: 'lower the CPU request or add nodes', timeline: { title: 'Timeline (since fault)', lines: ['+1.0s fault.injected pod-kill'] },
    });
    assert.equal(text, [
      'Cause:    pod api-a is Pending: 0/4 nodes are available: 4 Insufficient cpu. (scheduler)',
      'expect(apps/v1/Deployment ns/api).toHaveReadyReplicas(3) failed',
      '',
      'Expected: 3 ready replicas within 1m00s',
      'Received: 1/3 ready (api-a Pending: Unschedulable)',
      '          unchanged since +12.3s',
      'Timeout:  60000ms (condition budget)',
      'Attempts: 4, last observation at +59.9s',
      'Hint:     lower the CPU request or add nodes',
      '',
      'Timeline (since fault):',
      '  +1.0s fault.injected pod-kill',
    ].join('\n'));
  });

  it('indents continuation lines under their label', () => {
    assert.match(renderFailure({ subject: 's', expected: 'a\nb', received: 'c' }), /Expected: a\n {10}b\nReceived: c/);
  });
});

describe('error kinds', () => {
  it('carry the verdict as data, whatever the class is called', () => {
    assert.equal(kindOf(new ConditionError({ subject: 's', expected: 'e', received: 'r' })), 'fail');
    assert.equal(kindOf(new FaultError('cannot inject')), 'error');
    assert.equal(kindOf(new FaultError('not healthy before the fault', 'fail')), 'fail');
    assert.equal(kindOf(new InputError('rate must be > 0')), 'input');
    assert.equal(kindOf(new InconclusiveError('no metrics API')), 'inconclusive');
    assert.equal(kindOf(new TypeError('x is undefined')), 'error');
    assert.equal(kindOf('a string'), 'error');
  });

  it('adds a hint to a failure without losing the rest', () => {
    const err = new ConditionError({ subject: 's', expected: 'e', received: 'r', hint: 'first' }).withHint('second', 'the cause');
    assert.match(err.message, /^Cause: +the cause\n/);
    assert.match(err.message, /Hint: +first\n {10}second$/);
  });
});
