/** Isolation: extra namespaces, the reachability matrix, reconnecting after a cut-off, RBAC, quotas, LimitRanges. One call each into src/. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, FAULT_STEP_CAP_MS, ISOLATION_STEP_CAP_MS } from '../src/index.ts';
import type { StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

Given('another namespace {string}', async function (this: ChaosWorld, alias: string) {
  this.log(`namespace "${alias}" is ${await this.scenario.isolation.anotherNamespace(alias)}`);
});

Given('another namespace {string} labelled {string}', async function (this: ChaosWorld, alias: string, labels: string) {
  this.log(`namespace "${alias}" is ${await this.scenario.isolation.anotherNamespace(alias, labels)}`);
});

Then('network access is:', { timeout: ISOLATION_STEP_CAP_MS }, async function (this: ChaosWorld, table: DataTable) {
  this.log(await this.scenario.isolation.expectAccess(table.hashes()));
});

When('the namespace is reconnected', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld) {
  this.log(await this.scenario.isolation.reconnect());
});

When('namespace {string} is reconnected', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, alias: string) {
  this.log(await this.scenario.isolation.reconnect(alias));
});

Then('a pod in namespace {string} calling {string} is answered from namespace {string}', { timeout: ISOLATION_STEP_CAP_MS }, async function (this: ChaosWorld, from: string, url: string, expected: string) {
  this.log(await this.scenario.isolation.expectAnsweredFrom(from, url, expected));
});

Then('pod {string} is ready again within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, name: string, within: StepDuration) {
  await this.scenario.isolation.expectPodReady(name, within);
});

Then('service account {string} can {word} {word}', async function (this: ChaosWorld, account: string, verb: string, resource: string) {
  this.log(await this.scenario.isolation.expectServiceAccount(account, true, verb, resource, false));
});

Then('service account {string} cannot {word} {word}', async function (this: ChaosWorld, account: string, verb: string, resource: string) {
  this.log(await this.scenario.isolation.expectServiceAccount(account, false, verb, resource, false));
});

Then('service account {string} can {word} {word} with its own token', async function (this: ChaosWorld, account: string, verb: string, resource: string) {
  this.log(await this.scenario.isolation.expectServiceAccount(account, true, verb, resource, true));
});

Then('service account {string} cannot {word} {word} with its own token', async function (this: ChaosWorld, account: string, verb: string, resource: string) {
  this.log(await this.scenario.isolation.expectServiceAccount(account, false, verb, resource, true));
});

Then('a pod requesting {string} CPU is rejected by quota {string}', async function (this: ChaosWorld, cpu: string, quota: string) {
  this.log(await this.scenario.isolation.expectQuotaRejects(cpu, quota));
});

Then('a pod requesting {string} CPU is rejected by quota {string} in namespace {string}', async function (this: ChaosWorld, cpu: string, quota: string, alias: string) {
  this.log(await this.scenario.isolation.expectQuotaRejects(cpu, quota, alias));
});

Then('a container asking for {string} {word} is rejected by limit range {string}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, amount: string, resource: string, limitRange: string) {
  this.log(await this.scenario.isolation.expectLimitRangeRejects(amount, resource, limitRange));
});

Then('a container without resources gets the defaults of limit range {string}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, limitRange: string) {
  this.log(await this.scenario.isolation.expectLimitRangeDefaults(limitRange));
});

Then('a pod requesting {string} CPU is admitted in namespace {string}', async function (this: ChaosWorld, cpu: string, alias: string) {
  this.log(await this.scenario.isolation.expectAdmitted(cpu, alias));
});
