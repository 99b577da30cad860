/** Rollouts under real load on the real cluster: a bad strategy FAILS naming the requests it dropped. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';

describe('rollouts under load', () => {
  it('broken variant: a Recreate rollout FAILS "no request fails during the rollout" with the failures, their window and the strategy hint', async () => {
    const result = await runCli(['test/e2e/features/rollout-broken/recreate.feature']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /FAIL {2}a Recreate rollout drops requests/);
    assert.match(out, /Expected: no request sent during the rollout \(\+\d+\.\ds → \+\d+\.\ds\) fails/);
    assert.match(out, /Received: [1-9]\d*\/\d+ failed \(\d+\.\d %: \d+ (connection refused|timeout|connection reset)/);
    assert.match(out, /pods leave before others are ready \(maxUnavailable, Recreate\)/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
