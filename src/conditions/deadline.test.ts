import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetError, resolveBudget, STEP_MARGIN_MS } from './deadline.ts';

describe('resolveBudget', () => {
  it('keeps a budget that fits under the step cap and names both in its label', () => {
    const b = resolveBudget(60_000, 'within 60 seconds', 600_000);
    assert.equal(b.ms, 60_000);
    assert.equal(b.label, 'condition budget "within 60 seconds"; step cap 600000ms');
  });
  it('rejects a budget that would let cucumber\'s timeout fire first', () => {
    assert.throws(() => resolveBudget(600_000 - STEP_MARGIN_MS + 1, 'within 10 minutes', 600_000),
      (e: Error) => e instanceof BudgetError && /"within 10 minutes" is longer than this step allows \(at most 9m55s\)/.test(e.message));
  });
});
