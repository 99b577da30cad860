/** Autoscaling under real load on the real cluster: broken HPAs FAIL with the HPA's own reason. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';

describe('autoscaling broken variants', () => {
  it('pods without a CPU request: FAIL quoting the HPA (missing request for cpu), without waiting out the budget', async () => {
    const result = await runCli(['test/e2e/features/autoscaling-broken/no-cpu-request.feature']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /FAIL {2}the HPA cannot scale pods without a CPU request/);
    assert.match(out, /HPA FailedGetResourceMetric: .*missing request for cpu/);
    assert.match(out, /Final: {4}gave up after \S+ of 2m00s, the state final since \+\d+\.\ds: the HPA cannot compute CPU utilisation: the pods request no CPU/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('maxReplicas equal to minReplicas: FAIL with the cap the HPA reports', async () => {
    const result = await runCli(['test/e2e/features/autoscaling-broken/capped.feature']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /FAIL {2}the HPA is capped at its minimum/);
    assert.match(out, /capped at 2 by maxReplicas: the desired replica count is more than the maximum replica count \(HPA ScalingLimited\)/);
    assert.match(out, /Final: {4}gave up after \S+ of 2m00s, the state final since \+\d+\.\ds: maxReplicas is 2 \(= minReplicas\), so it can never want 4/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
