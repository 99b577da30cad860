/** Rollouts: images, completion, stuck rollouts, revision history, the Service across a rollout. One call each into src/. */
import { Given, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, formatMs, ISOLATION_STEP_CAP_MS } from '../src/index.ts';
import type { StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

/** How long "deployment X runs image Y" may wait for the rollout that brings it up. */
const FIRST_ROLLOUT = { ms: 120_000, text: '2 minutes' };

Given('deployment {string} runs image {string}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, deployment: string, image: string) {
  await this.scenario.rollouts.expectRunsImage(deployment, image, FIRST_ROLLOUT);
});

Then('the rollout of deployment {string} completes within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, deployment: string, within: StepDuration) {
  const { timeToRecoverMs } = await this.scenario.rollouts.expectComplete(deployment, within);
  if (timeToRecoverMs !== undefined) this.log(`rollout took ${formatMs(timeToRecoverMs)}`);
});

Then('the rollout of deployment {string} is stuck within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, deployment: string, within: StepDuration) {
  await this.scenario.rollouts.expectStuck(deployment, within);
});

Then('all ready pods of deployment {string} run image {string} within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, deployment: string, image: string, within: StepDuration) {
  await this.scenario.rollouts.expectPodsRunImage(deployment, image, within);
});

Then('the revision history of deployment {string} shows:', async function (this: ChaosWorld, deployment: string, table: DataTable) {
  this.log(await this.scenario.rollouts.expectHistory(deployment, table.hashes()));
});

Then('service {string} keeps its ClusterIP and DNS name', { timeout: ISOLATION_STEP_CAP_MS }, async function (this: ChaosWorld, service: string) {
  this.log(await this.scenario.rollouts.expectServiceKept(service));
});

Then('deployment {string} never had fewer than {int} ready replica(s) during the rollout', async function (this: ChaosWorld, deployment: string, minimum: number) {
  this.log(await this.scenario.rollouts.expectNeverFewerDuringRollout(deployment, minimum));
});

Then('GET {string} on service {string} answers with {string}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, path: string, service: string, text: string) {
  this.log(await this.scenario.rollouts.expectAnswers(service, path, text));
});
