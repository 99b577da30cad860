/**
 * Load: an open-model HTTP load (vegeta) on a Service while faults happen, judged by phase. Every load
 * step carries `wrapperOptions.load` (its arguments as a LoadRequest), so `npm run chaos` knows before
 * touching the cluster that vegeta is needed and can refuse a rate or duration above the caps with exit 2.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, FAULT_STEP_CAP_MS } from '../src/index.ts';
import type { LoadRequest, StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

const load = (request: (...args: never[]) => LoadRequest) => ({ wrapperOptions: { load: request } });
type Target = Pick<LoadRequest, 'service' | 'port' | 'path' | 'from'>;
const constant = load((rate: number, target: Target, duration: StepDuration) => ({ ...target, rate, duration }));
const staged = load((target: Target) => ({ ...target }));
const k6Script = load((script: string, service: string) => ({ service, k6Script: script }));

// {load target}: service "S" [port N] [path "P"] [from the cluster | from N pods | from pods labelled "k=v"] (parameter-types.ts).
Given('a load of {int} requests per second on {load target} for {duration}', { ...constant, timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, rate: number, target: Target, duration: StepDuration) {
  this.log(await this.scenario.load.start({ ...target, rate, duration }));
});

Given('a staged load on {load target}:', { ...staged, timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, target: Target, table: DataTable) {
  this.log(await this.scenario.load.start({ ...target, stages: table.raw() }));
});

Given('the k6 script {string} runs against service {string}', { ...k6Script, timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, script: string, service: string) {
  this.log(await this.scenario.load.start({ service, k6Script: script }));
});

Then('the k6 thresholds pass', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(await this.scenario.load.expectK6Thresholds());
});

When('the load stops', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(await this.scenario.load.stop());
});

Then('the load is steady for {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, window: StepDuration) {
  this.log(await this.scenario.load.expectSteady(window));
});

Then('the error rate after recovery is below {float}%', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxPercent: number) {
  this.log(await this.scenario.load.expectErrorRate('after recovery', maxPercent));
});

Then('the error rate during the fault is below {float}%', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxPercent: number) {
  this.log(await this.scenario.load.expectErrorRate('during the fault', maxPercent));
});

Then('the error rate during the load is below {float}%', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxPercent: number) {
  this.log(await this.scenario.load.expectErrorRate('during the load', maxPercent));
});

Then('no request fails during the rollout', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(await this.scenario.load.expectErrorRate('during the rollout', 0));
});

Then('no request fails during the load', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(await this.scenario.load.expectErrorRate('during the load', 0));
});

Then('service {string} answers throughout the scale', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, service: string) {
  this.log(await this.scenario.load.expectErrorRate('during the scale', 0, service));
});

Then('the p95 latency after recovery is below {int} ms', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxMs: number) {
  this.log(await this.scenario.load.expectP95('after recovery', maxMs));
});

Then('the p95 latency during the fault is below {int} ms', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxMs: number) {
  this.log(await this.scenario.load.expectP95('during the fault', maxMs));
});

Then('the p95 latency during the load is below {int} ms', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, maxMs: number) {
  this.log(await this.scenario.load.expectP95('during the load', maxMs));
});
