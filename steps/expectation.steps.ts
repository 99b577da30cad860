/** Temporal expectations: within (eventually), for/throughout (consistently), never during. */
import { Then } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, formatMs } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

type Duration = { ms: number; text: string };

Then('deployment {string} has {int} ready replica(s) within {duration}', { timeout: CONDITION_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, replicas: number, within: Duration) {
    await this.scenario.expectReadyReplicas(name, replicas, within);
    const ttr = this.scenario.lastTimeToRecoverMs();
    if (ttr !== undefined) this.log(`time to recover: ${formatMs(ttr)}`);
  });

Then('deployment {string} keeps at least {int} ready replica(s) for {duration}', { timeout: CONDITION_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, replicas: number, phase: Duration) {
    await this.scenario.expectReadyReplicasThroughout(name, replicas, phase);
  });

Then('deployment {string} never has fewer than {int} ready replica(s) during the next {duration}', { timeout: CONDITION_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, replicas: number, phase: Duration) {
    await this.scenario.expectNeverFewerReady(name, replicas, phase);
  });

Then('no pod of deployment {string} runs on the cordoned node', async function (this: ChaosWorld, name: string) {
  await this.scenario.expectNoPodOnCordonedNode(name);
});

Then('no ready {string} pod runs on the dead node', async function (this: ChaosWorld, name: string) {
  await this.scenario.nodeDeath.expectNoReadyPodOnDeadNode(name);
});

Then('the crashed pod is restarted and ready within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, within: Duration) {
  const { timeToRecoverMs } = await this.scenario.containerCrash.expectRestarted(within);
  if (timeToRecoverMs !== undefined) this.log(`time to recover: ${formatMs(timeToRecoverMs)}`);
});
