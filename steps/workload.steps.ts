/** Deploying workloads into the scenario namespace. */
import { Given } from '@cucumber/cucumber';
import { APPLY_STEP_CAP_MS } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Given('the fixture {string} is deployed', { timeout: APPLY_STEP_CAP_MS }, async function (this: ChaosWorld, fixture: string) {
  await this.scenario.deployFixture(fixture);
});

Given('the manifests in {string} are applied', { timeout: APPLY_STEP_CAP_MS }, async function (this: ChaosWorld, folder: string) {
  await this.scenario.applyManifests(folder);
});
