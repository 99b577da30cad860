/** Probes: one pod's app stops being ready or becomes unhealthy; readiness and liveness must react. */
import { Then, When } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, FAULT_STEP_CAP_MS, formatMs } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

type Duration = { ms: number; text: string };

When('one pod of deployment {string} stops being ready', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  this.log((await this.scenario.probes.switchOff(name, 'readiness')).detail);
});

When('one pod of deployment {string} becomes unhealthy', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  this.log((await this.scenario.probes.switchOff(name, 'liveness')).detail);
});

Then('that pod leaves the endpoints of service {string} within {duration}, without a restart', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, service: string, within: Duration) {
  await this.scenario.probes.expectLeavesEndpoints(service, within);
});

Then('service {string} answers {int} requests in a row from the other pods', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, service: string, count: number) {
  this.log(await this.scenario.probes.expectServiceAnswersFromOthers(service, count));
});

Then('that pod is restarted by its liveness probe within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, within: Duration) {
  const { timeToRecoverMs } = await this.scenario.probes.expectRestartedByLiveness(within);
  if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
});
