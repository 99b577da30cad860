/** Service discovery, DaemonSets, requests and limits, graceful shutdown and ingress routing. One call each into src/. */
import { Then, When } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, FAULT_STEP_CAP_MS, ISOLATION_STEP_CAP_MS } from '../src/index.ts';
import type { StepDuration, WorkloadRef } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

/** How long the scheduler may take to say why it cannot place a pod. */
const SCHEDULER_SAYS = { ms: 60_000, text: '60 seconds' };

Then('names resolve as follows:', { timeout: ISOLATION_STEP_CAP_MS }, async function (this: ChaosWorld, table: DataTable) {
  this.log(await this.scenario.discovery.expectNames(table.hashes()));
});

Then('statefulset {string} has {int} ready replica(s) within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, replicas: number, within: StepDuration) {
  await this.scenario.scheduling.expectStatefulSetReady(name, replicas, within);
});

Then('daemonset {string} runs one ready pod on every schedulable node within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, within: StepDuration) {
  await this.scenario.scheduling.expectDaemonSetEverywhere(name, within);
});

Then('daemonset {string} has a ready pod on the node that died within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, within: StepDuration) {
  await this.scenario.scheduling.expectDaemonSetOnDeadNode(name, within);
});

When('the dead node comes back', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(await this.scenario.scheduling.nodeComesBack());
});

Then('a container of {workload} is OOMKilled within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, ref: WorkloadRef, within: StepDuration) {
  await this.scenario.scheduling.expectOomKilled(ref, within);
});

Then('the pods of {workload} stay Pending for {duration}, the scheduler saying {string}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, ref: WorkloadRef, hold: StepDuration, saying: string) {
  this.log(await this.scenario.scheduling.expectPending(ref, saying, SCHEDULER_SAYS, hold));
});

Then('every deleted pod stopped within its grace period', async function (this: ChaosWorld) {
  this.log(await this.scenario.shutdown.expectStoppedWithinGrace());
});

Then('host {string} routes through the ingress:', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, host: string, table: DataTable) {
  this.log(await this.scenario.ingress.expectRoutes(host, table.hashes()));
});
