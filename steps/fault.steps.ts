/** Faults and actions. Each step is one call into src/. */
import { When } from '@cucumber/cucumber';
import { FAULT_STEP_CAP_MS } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

When('I kill {int} pod(s) of deployment {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, count: number, name: string) {
  const outcome = await this.scenario.killPods(name, count);
  this.log(outcome.detail);
});

When('I scale deployment {string} to {int} replica(s)', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, replicas: number) {
  await this.scenario.scale(name, replicas);
});

When('I cordon the node running the most {string} pods', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  const outcome = await this.scenario.cordonNodeRunningMost(name);
  this.log(`cordoned ${outcome.target}`);
});

When('the node running the most {string} pods dies', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  const outcome = await this.scenario.nodeDeath.nodeRunningMostDies(name);
  this.log(`${outcome.target} ${outcome.detail}`);
});

When('the node running the most {string} pods and no {string} pod dies', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, spare: string) {
  const outcome = await this.scenario.nodeDeath.nodeRunningMostDies(name, spare);
  this.log(`${outcome.target} ${outcome.detail}`);
});

When('a container of deployment {string} crashes', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  const outcome = await this.scenario.containerCrash.crashOne(name);
  this.log(`${outcome.target}: ${outcome.detail}`);
});

When('I kill {int}% of the pods of deployment {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, percent: number, name: string) {
  const outcome = await this.scenario.killPercent(name, percent);
  this.log(outcome.detail);
});

When('the kubelet of the node running the most {string} pods stops', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, name: string) {
  const outcome = await this.scenario.nodeDeath.kubeletOfNodeRunningMostStops(name);
  this.log(`${outcome.target} ${outcome.detail}`);
});
