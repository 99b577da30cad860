/** Traffic while faults happen: the runner's own steady sender (k6 steps come with issue 6). */
import { Given, Then } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS } from '../src/index.ts';
import type { StepDuration as Duration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Given('kubeproof sends {int} requests per second to service {string} for {duration}', async function (this: ChaosWorld, perSecond: number, service: string, duration: Duration) {
  this.log(await this.scenario.traffic.start(service, perSecond, duration));
});

Then('the error rate after recovery is below {int}%', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxPercent: number) {
  this.log(await this.scenario.traffic.expectErrorRateAfterRecoveryBelow(maxPercent));
});
