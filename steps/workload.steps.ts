/** Deploying workloads into the scenario namespace (or one it created). */
import { Given } from '@cucumber/cucumber';
import { APPLY_STEP_CAP_MS } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Given('the fixture {string} is deployed', { timeout: APPLY_STEP_CAP_MS }, async function (this: ChaosWorld, fixture: string) {
  await this.scenario.workloads.deployFixture(fixture);
});

// npm run grade: the graded student's manifests (src/grading/deploy.ts).
Given('the submission is deployed', { timeout: APPLY_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(`${await this.scenario.submission.deploy()} object(s) of the submission applied`);
});

Given('the manifests in {string} are applied', { timeout: APPLY_STEP_CAP_MS }, async function (this: ChaosWorld, folder: string) {
  await this.scenario.workloads.applyManifests(folder);
});

Given('the manifests in {string} are applied in namespace {string}', { timeout: APPLY_STEP_CAP_MS }, async function (this: ChaosWorld, folder: string, alias: string) {
  this.log(`${await this.scenario.workloads.applyManifests(folder, alias)} object(s) applied in namespace "${alias}"`);
});
