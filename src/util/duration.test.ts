import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DurationError, formatMs, formatOffset, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  const cases: Array<[string, number]> = [
    ['60 seconds', 60_000], ['1 second', 1000], ['90s', 90_000], ['2 minutes', 120_000], ['1 min', 60_000],
    ['500 ms', 500], ['1.5 seconds', 1500], ['3m', 180_000],
  ];
  for (const [text, ms] of cases) it(`reads "${text}" as ${ms}ms`, () => assert.equal(parseDuration(text), ms));

  it('rejects an unknown unit with a message that shows accepted forms', () => {
    assert.throws(() => parseDuration('3 fortnights'), (e: Error) => e instanceof DurationError && /"3 fortnights"/.test(e.message) && /30 seconds/.test(e.message));
  });
  it('rejects a missing number', () => assert.throws(() => parseDuration('seconds'), DurationError));
});

describe('formatMs / formatOffset', () => {
  it('picks a readable unit', () => {
    assert.equal(formatMs(850), '850ms');
    assert.equal(formatMs(12_340), '12.3s');
    assert.equal(formatMs(125_000), '2m05s');
  });
  it('signs offsets like the timeline does', () => {
    assert.equal(formatOffset(41_200), '+41.2s');
    assert.equal(formatOffset(-500), '-0.5s');
  });
});
