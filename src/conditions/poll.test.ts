import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pollUntil } from './poll.ts';

describe('pollUntil', () => {
  it('returns the first done answer with the number of attempts', async () => {
    let n = 0;
    const r = await pollUntil(async () => (++n === 2 ? { done: 'yes' } : { seen: `no ${n}` }), { timeoutMs: 5_000 });
    assert.deepEqual(r, { met: true, value: 'yes', attempts: 2 });
  });

  it('gives up before a pause would pass the deadline, keeping the last observation', async () => {
    let t = 0;
    const r = await pollUntil(async () => { t += 100; return { seen: `at ${t}` }; }, { timeoutMs: 300, now: () => t });
    assert.equal(r.met, false);
    assert.equal(!r.met && r.last, 'at 100');
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    await assert.rejects(pollUntil(async () => ({ seen: 1 }), { timeoutMs: 1_000, signal: controller.signal }), /interrupted/);
  });
});
