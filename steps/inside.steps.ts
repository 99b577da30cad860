/**
 * Checks made from inside running containers: the security context in force, ConfigMap and Secret
 * values as the app sees them, data that must outlive a pod. One call each into src/.
 */
import { Then, When } from '@cucumber/cucumber';
import { CONDITION_STEP_CAP_MS, FAULT_STEP_CAP_MS } from '../src/index.ts';
import type { SecurityCheck, StepDuration, WorkloadRef } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

/** What {config source} matches. */
type ConfigSource = 'configmap' | 'secret';

/** A security-context check's step options and body; spread into a literal Then('…', …) so editors see the step. */
const security = (check: SecurityCheck): [{ timeout: number }, (this: ChaosWorld, ref: WorkloadRef) => Promise<void>] => [
  { timeout: FAULT_STEP_CAP_MS },
  async function (this: ChaosWorld, ref: WorkloadRef) { this.log(await this.scenario.inside.expectSecurity(ref, check)); },
];
Then('the containers of {workload} run as a non-root user', ...security('non-root'));
Then('the containers of {workload} cannot write to their root filesystem', ...security('read-only-root'));
Then('the containers of {workload} have no Linux capabilities', ...security('no-capabilities'));
Then('the containers of {workload} cannot gain more privileges', ...security('no-privilege-escalation'));

Then('environment variable {string} of {workload} holds key {string} of {config source} {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, variable: string, ref: WorkloadRef, key: string, kind: ConfigSource, name: string) {
  this.log(await this.scenario.inside.expectEnv(ref, variable, { kind, name, key }));
});
Then('file {string} of {workload} holds key {string} of {config source} {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, path: string, ref: WorkloadRef, key: string, kind: ConfigSource, name: string) {
  this.log(await this.scenario.inside.expectFile(ref, path, { kind, name, key }));
});
Then('file {string} of {workload} shows the changed key {string} of {config source} {string} within {duration}', { timeout: CONDITION_STEP_CAP_MS }, async function (this: ChaosWorld, path: string, ref: WorkloadRef, key: string, kind: ConfigSource, name: string, within: StepDuration) {
  this.log(await this.scenario.inside.expectFile(ref, path, { kind, name, key }, within));
});
Then('environment variable {string} of {workload} does not show the changed key {string} of {config source} {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, variable: string, ref: WorkloadRef, key: string, kind: ConfigSource, name: string) {
  this.log(await this.scenario.inside.expectEnvUnchanged(ref, variable, { kind, name, key }));
});

When('each pod of {workload} writes its name to {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, ref: WorkloadRef, path: string) {
  this.log(await this.scenario.inside.writeMarkers(ref, path));
});

Then('each pod of {workload} still reads its own name from {string}', { timeout: FAULT_STEP_CAP_MS }, async function (this: ChaosWorld, ref: WorkloadRef, path: string) {
  this.log(await this.scenario.inside.expectMarkers(ref, path));
});
