import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hookErrorLine, isRefusal } from './cucumber-js-plugin.ts';

describe('hookErrorLine', () => {
  it('prints a refused run as our one line, without the error name or frames', () => {
    assert.equal(hookErrorLine('UsageError: cannot reach the Kubernetes API server at https://127.0.0.1:59999: ECONNREFUSED\n    at x (y.ts:1:1)'),
      'kubeproof: cannot reach the Kubernetes API server at https://127.0.0.1:59999: ECONNREFUSED');
    assert.equal(hookErrorLine('TypeError: x is not a function'), 'kubeproof: TypeError: x is not a function');
  });
});

describe('isRefusal', () => {
  it('tells a refused run (UsageError, exit 2) from a hook that crashed (exit 1, as cucumber has it)', () => {
    assert.equal(isRefusal('UsageError: the selected scenarios send load, but vegeta is not installed'), true);
    assert.equal(isRefusal('TypeError: x is not a function\n    at y (z.ts:1:1)'), false);
    assert.equal(isRefusal('Error: UsageError: quoted inside another error'), false);
  });
});
