/** Temporal expectations on workloads: within (eventually), for (throughout), never during, and placement checks. */
import { Then } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, formatMs } from '../src/index.ts';
import type { StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Then('deployment {string} has {int} ready replica(s) within {duration}', { timeout: CONDITION_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, replicas: number, within: StepDuration) {
    const { timeToRecoverMs } = await this.scenario.workloads.expectReadyReplicas(name, replicas, within);
    if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
  });

Then('deployment {string} keeps at least {int} ready replica(s) for {duration}', { timeout: CONDITION_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, replicas: number, phase: StepDuration) {
    await this.scenario.workloads.expectReadyReplicasThroughout(name, replicas, phase);
  });

Then('deployment {string} never has fewer than {int} ready replica(s) during the next {duration}', { timeout: CONDITION_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, replicas: number, phase: StepDuration) {
    await this.scenario.workloads.expectNeverFewerReady(name, replicas, phase);
  });

Then('no pod of deployment {string} runs on the cordoned node', async function (this: ChaosWorld, name: string) {
  await this.scenario.workloads.expectNoPodOnNodeTakenBy(name, 'node-cordon');
});

Then('no pod of deployment {string} runs on the drained node', async function (this: ChaosWorld, name: string) {
  await this.scenario.workloads.expectNoPodOnNodeTakenBy(name, 'node-drain');
});

Then('no ready {string} pod runs on the dead node', async function (this: ChaosWorld, name: string) {
  await this.scenario.workloads.expectNoReadyPodOnDeadNode(name);
});

Then('the crashed pod is restarted and ready within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, within: StepDuration) {
  const { timeToRecoverMs } = await this.scenario.containerCrash.expectRestarted(within);
  if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
});

Then('no pod of deployment {string} runs on the tainted node within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, within: StepDuration) {
  await this.scenario.workloads.expectNoPodOnTaintedNode(name, within);
});

Then('the frozen pod is restarted by its liveness probe within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, within: StepDuration) {
  const { timeToRecoverMs } = await this.scenario.restarts.expectFrozenRestarted(within);
  if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
});

Then('the stressed container is OOMKilled and restarted within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, within: StepDuration) {
  const { timeToRecoverMs } = await this.scenario.restarts.expectOomKilled(within);
  if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
});
