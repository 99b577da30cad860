/** Node drain: evictions of the scenario namespace's pods through the Eviction API (PodDisruptionBudgets apply). */
import { Then, When } from '@cucumber/cucumber';
import { DRAIN_STEP_CAP_MS } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

When('I drain the node running the most {string} pods', { timeout: DRAIN_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  const outcome = await this.scenario.drain.drainNodeRunningMost(name);
  this.log(`drained ${outcome.target}: ${outcome.detail}`);
});

When('I drain the node running the most {string} pods while deployment {string} keeps at least {int} ready replica(s)', { timeout: DRAIN_STEP_CAP_MS },
  async function (this: ChaosWorld, name: string, guarded: string, atLeast: number) {
    const outcome = await this.scenario.drain.drainNodeRunningMost(name, { deployment: guarded, atLeast });
    this.log(`drained ${outcome.target}: ${outcome.detail}`);
  });

Then('no pod of deployment {string} runs on the drained node', async function (this: ChaosWorld, name: string) {
  await this.scenario.drain.expectNoPodOnDrainedNode(name);
});
