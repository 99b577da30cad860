/** Autoscaling: an HPA scales out under load, back in, never past its maximum; its Deployment follows. One call each into src/. */
import { Then } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, formatMs } from '../src/index.ts';
import type { StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Then('HPA {string} reaches at least {int} replica(s) within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, hpa: string, atLeast: number, within: StepDuration) {
  const { afterLoadEventMs } = await this.scenario.autoscaling.expectReaches(hpa, atLeast, within);
  if (afterLoadEventMs !== undefined) this.log(`HPA ${hpa} wanted ${atLeast}+ replicas ${formatMs(afterLoadEventMs)} after the load started`);
});

Then('HPA {string} returns to {int} replica(s) within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, hpa: string, replicas: number, within: StepDuration) {
  const { afterLoadEventMs } = await this.scenario.autoscaling.expectReturnsTo(hpa, replicas, within);
  if (afterLoadEventMs !== undefined) this.log(`HPA ${hpa} back at ${replicas} replicas ${formatMs(afterLoadEventMs)} after the load stopped`);
});

Then('HPA {string} never exceeds its maximum', async function (this: ChaosWorld, hpa: string) {
  this.log(await this.scenario.autoscaling.expectNeverExceedsMax(hpa));
});

Then('deployment {string} has as many ready replicas as HPA {string} wants within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, deployment: string, hpa: string, within: StepDuration) {
  await this.scenario.autoscaling.expectReadyAsWanted(deployment, hpa, within);
});
