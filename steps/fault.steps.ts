/**
 * Every fault step: one line each — the step text, the registered fault it injects (src/faults/), and
 * how the step's parameters become the fault's arguments. `--dry-run` reads the same lines (through
 * cucumber's step definitions) to say what each scenario would hit.
 */
import { When } from '@cucumber/cucumber';
import { DRAIN_STEP_CAP_MS, FAULT_STEP_CAP_MS } from '../src/index.ts';
import type { FaultArgs, FaultName, StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

/**
 * The options and body of a step that injects fault `name`; `args` maps the step's parameters (its arity
 * is the step's). Spread into a literal `When('…', ...fault(…))` so editors' Cucumber language server, which
 * reads only literal Given/When/Then calls, sees every fault step.
 */
function fault<N extends FaultName, P extends never[]>(name: N, args: (...params: P) => FaultArgs<N>, timeout = FAULT_STEP_CAP_MS): [{ timeout: number; wrapperOptions: { fault: N; args: (...params: P) => FaultArgs<N> } }, (this: ChaosWorld, ...params: unknown[]) => Promise<void>] {
  const step = async function (this: ChaosWorld, ...params: P): Promise<void> {
    const outcome = await this.scenario.faults.inject(name, args(...params));
    this.log(`${outcome.target}: ${outcome.detail}`);
  };
  // Cucumber tells parameters from a callback by the function's arity.
  Object.defineProperty(step, 'length', { value: args.length });
  // Cucumber hands the parameters untyped; `args` gives them their types.
  return [{ timeout, wrapperOptions: { fault: name, args } }, step as (this: ChaosWorld, ...params: unknown[]) => Promise<void>];
}

When('I kill {int} pod(s) of deployment {string}', ...fault('pod-kill', (count: number, deployment: string) => ({ deployment, count })));
When('I kill {int}% of the pods of deployment {string}', ...fault('pod-kill', (percent: number, deployment: string) => ({ deployment, percent })));
When('I delete pod {string}', ...fault('pod-delete', (pod: string) => ({ pod })));
When('a container of deployment {string} crashes', ...fault('container-crash', (deployment: string) => ({ deployment })));
When('I scale deployment {string} to {int} replica(s)', ...fault('deployment-scale', (deployment: string, replicas: number) => ({ deployment, replicas })));
When('I cordon the node running the most {string} pods', ...fault('node-cordon', (deployment: string) => ({ deployment })));
When('I drain the node running the most {string} pods', ...fault('node-drain', (deployment: string) => ({ deployment }), DRAIN_STEP_CAP_MS));
When('I drain the node running the most {string} pods while deployment {string} keeps at least {int} ready replica(s)', ...fault('node-drain',
  (deployment: string, guarded: string, atLeast: number) => ({ deployment, guard: { deployment: guarded, atLeast } }), DRAIN_STEP_CAP_MS));
When('the node running the most {string} pods dies', ...fault('node-pause', (deployment: string) => ({ deployment })));
When('the node running the most {string} pods and no {string} pod dies', ...fault('node-pause', (deployment: string, spare: string) => ({ deployment, spare })));
When('the kubelet of the node running the most {string} pods stops', ...fault('kubelet-stop', (deployment: string) => ({ deployment })));
When('one pod of deployment {string} stops being ready', ...fault('probe-block', (deployment: string) => ({ deployment, probe: 'readiness' as const })));
When('one pod of deployment {string} becomes unhealthy', ...fault('probe-block', (deployment: string) => ({ deployment, probe: 'liveness' as const })));
When('one pod of deployment {string} says it is not ready', ...fault('app-switch', (deployment: string) => ({ deployment, probe: 'readiness' as const })));
When('one pod of deployment {string} says it is unhealthy', ...fault('app-switch', (deployment: string) => ({ deployment, probe: 'liveness' as const })));
When('the namespace is cut off', ...fault('namespace-cutoff', () => ({})));
When('I set the image of deployment {string} to {string}', ...fault('set-image', (deployment: string, image: string) => ({ deployment, image })));
When('I set the image of container {string} of deployment {string} to {string}', ...fault('set-image', (container: string, deployment: string, image: string) => ({ deployment, image, container })));
When('I restart deployment {string}', ...fault('restart', (deployment: string) => ({ deployment })));
When('I roll back deployment {string}', ...fault('rollback', (deployment: string) => ({ deployment })));
When('I roll back deployment {string} to revision {int}', ...fault('rollback', (deployment: string, toRevision: number) => ({ deployment, toRevision })));
When('I set key {string} of configmap {string} to {string}', ...fault('configmap-edit', (key: string, configMap: string, value: string) => ({ configMap, key, value })));
When('I delete the pods of {workload} one by one', ...fault('pods-one-by-one', (w: { kind: string; name: string }) => ({ kind: w.kind as 'deployment' | 'statefulset', name: w.name }), 5 * FAULT_STEP_CAP_MS));
When('namespace {string} is cut off', ...fault('namespace-cutoff', (alias: string) => ({ alias })));
When('pods of {string} cannot reach service {string} for {duration}', ...fault('network-partition', (deployment: string, service: string, d: StepDuration) => ({ deployment, to: { service }, durationMs: d.ms })));
When('pods of {string} cannot be reached from pods of {string} for {duration}', ...fault('network-partition', (deployment: string, peer: string, d: StepDuration) => ({ deployment, from: { deployment: peer }, durationMs: d.ms })));
When('pods of {string} cannot be reached from namespace {string} for {duration}', ...fault('network-partition', (deployment: string, alias: string, d: StepDuration) => ({ deployment, from: { namespace: alias }, durationMs: d.ms })));
When('{int}% of the packets of pods of {string} are lost for {duration}', ...fault('packet-loss', (percent: number, deployment: string, d: StepDuration) => ({ deployment, percent, durationMs: d.ms })));
When('DNS fails for pods of {string} for {duration}', ...fault('dns-failure', (deployment: string, d: StepDuration) => ({ deployment, durationMs: d.ms })));
When('the bandwidth of pods of {string} is limited to {int} kbps for {duration}', ...fault('bandwidth-limit', (deployment: string, kbit: number, d: StepDuration) => ({ deployment, kbit, durationMs: d.ms })));
When('the bandwidth of pods of {string} is limited to {int} Mbps for {duration}', ...fault('bandwidth-limit', (deployment: string, mbit: number, d: StepDuration) => ({ deployment, kbit: mbit * 1000, durationMs: d.ms })));
When('the packets of pods of {string} are delayed by {int} ms for {duration}', ...fault('network-latency', (deployment: string, delayMs: number, d: StepDuration) => ({ deployment, delayMs, durationMs: d.ms })));
When('the containers of {string} burn {int} CPU(s) for {duration}', ...fault('cpu-stress', (deployment: string, cpus: number, d: StepDuration) => ({ deployment, cpus, durationMs: d.ms })));
When('the containers of one {string} pod burn {int} CPU(s) for {duration}', ...fault('cpu-stress', (deployment: string, cpus: number, d: StepDuration) => ({ deployment, cpus, one: true, durationMs: d.ms })));
When('the containers of {string} allocate {int} MiB for {duration}', ...fault('memory-stress', (deployment: string, mib: number, d: StepDuration) => ({ deployment, mib, durationMs: d.ms })));
When('the containers of one {string} pod allocate {int} MiB for {duration}', ...fault('memory-stress', (deployment: string, mib: number, d: StepDuration) => ({ deployment, mib, one: true, durationMs: d.ms })));
When('the containers of one {string} pod are frozen for {duration}', ...fault('container-freeze', (deployment: string, d: StepDuration) => ({ deployment, durationMs: d.ms })));
When('the node running the most {string} pods is tainted NoExecute', ...fault('node-taint', (deployment: string) => ({ deployment })));
