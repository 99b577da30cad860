/** Probes: after one pod stops being ready or becomes unhealthy (fault steps), readiness and liveness must react. */
import { Then } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, formatMs } from '../src/index.ts';
import type { StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Then('that pod leaves the endpoints of service {string} within {duration}, without a restart', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, service: string, within: StepDuration) {
  await this.scenario.probes.expectLeavesEndpoints(service, within);
});

Then('service {string} answers {int} requests in a row from the other pods', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, service: string, count: number) {
  this.log(await this.scenario.probes.expectServiceAnswersFromOthers(service, count));
});

Then('that pod is restarted by its liveness probe within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, within: StepDuration) {
  const { timeToRecoverMs } = await this.scenario.probes.expectRestartedByLiveness(within);
  if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
});
