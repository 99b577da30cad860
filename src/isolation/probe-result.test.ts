import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interpretProbeExit, matchesExpectation } from './probe-result.ts';

describe('interpretProbeExit', () => {
  const cases: Array<[number, string, RegExp]> = [
    [0, 'allowed', /accepted/],
    [28, 'blocked', /timed out: packets were dropped/],
    [7, 'refused', /refused: the packet arrived but nothing listens/],
    [6, 'dns-failure', /did not resolve/],
    [1, 'error', /exit code 1, which is neither a connection nor a timeout/],
    [-1, 'error', /exit code -1/],
  ];
  for (const [code, state, meaning] of cases) {
    it(`exit ${code} means ${state}`, () => {
      const v = interpretProbeExit(code);
      assert.equal(v.state, state);
      assert.match(v.meaning, meaning);
    });
  }
});

describe('matchesExpectation', () => {
  it('counts only a timeout as blocked: refused and DNS failures match neither expectation', () => {
    assert.equal(matchesExpectation('blocked', 'blocked'), true);
    assert.equal(matchesExpectation('allowed', 'allowed'), true);
    for (const state of ['refused', 'dns-failure', 'error'] as const) {
      assert.equal(matchesExpectation(state, 'blocked'), false, `${state} must not pass as blocked`);
      assert.equal(matchesExpectation(state, 'allowed'), false, `${state} must not pass as allowed`);
    }
    assert.equal(matchesExpectation('allowed', 'blocked'), false);
  });
});
