import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from './rng.ts';

describe('createRng', () => {
  const pods = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

  it('replays the same choices for the same seed and stream', () => {
    assert.deepEqual(createRng(42, 'x').pick(pods, 3), createRng(42, 'x').pick(pods, 3));
  });

  it('gives different scenarios (streams) different choices for one seed', () => {
    const picks = new Set(['s1', 's2', 's3', 's4', 's5'].map((s) => createRng(42, s).pick(pods, 3).join()));
    assert.ok(picks.size > 1, 'every stream chose the same victims');
  });

  it('picks distinct items and never more than exist', () => {
    const chosen = createRng(7).pick(pods, 5);
    assert.equal(new Set(chosen).size, 5);
    assert.equal(createRng(7).pick(['only'], 3).length, 1);
  });

  it('eventually chooses every item across seeds (no position is favoured forever)', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) seen.add(createRng(seed).pick(pods, 1)[0] ?? '');
    assert.equal(seen.size, pods.length);
  });
});
