/**
 * Every fault step: one line each — the step text, the registered fault it injects (src/faults/), and
 * how the step's parameters become the fault's arguments. `--dry-run` reads the same lines (through
 * cucumber's step definitions) to say what each scenario would hit.
 */
import { When } from '@cucumber/cucumber';
import { DRAIN_STEP_CAP_MS, FAULT_STEP_CAP_MS } from '../src/index.ts';
import type { FaultArgs, FaultName, StepDuration } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

/** Registers `expression` as an injection of fault `name`; `args` maps the step's parameters (its arity is the step's). */
function fault<N extends FaultName, P extends never[]>(expression: string, name: N, args: (...params: P) => FaultArgs<N>, timeout = FAULT_STEP_CAP_MS): void {
  const step = async function (this: ChaosWorld, ...params: P): Promise<void> {
    const outcome = await this.scenario.faults.inject(name, args(...params));
    this.log(`${outcome.target}: ${outcome.detail}`);
  };
  // Cucumber tells parameters from a callback by the function's arity.
  Object.defineProperty(step, 'length', { value: args.length });
  When(expression, { timeout, wrapperOptions: { fault: name, args } }, step);
}

fault('I kill {int} pod(s) of deployment {string}', 'pod-kill', (count: number, deployment: string) => ({ deployment, count }));
fault('I kill {int}% of the pods of deployment {string}', 'pod-kill', (percent: number, deployment: string) => ({ deployment, percent }));
fault('I delete pod {string}', 'pod-delete', (pod: string) => ({ pod }));
fault('a container of deployment {string} crashes', 'container-crash', (deployment: string) => ({ deployment }));
fault('I scale deployment {string} to {int} replica(s)', 'deployment-scale', (deployment: string, replicas: number) => ({ deployment, replicas }));
fault('I cordon the node running the most {string} pods', 'node-cordon', (deployment: string) => ({ deployment }));
fault('I drain the node running the most {string} pods', 'node-drain', (deployment: string) => ({ deployment }), DRAIN_STEP_CAP_MS);
fault('I drain the node running the most {string} pods while deployment {string} keeps at least {int} ready replica(s)', 'node-drain',
  (deployment: string, guarded: string, atLeast: number) => ({ deployment, guard: { deployment: guarded, atLeast } }), DRAIN_STEP_CAP_MS);
fault('the node running the most {string} pods dies', 'node-pause', (deployment: string) => ({ deployment }));
fault('the node running the most {string} pods and no {string} pod dies', 'node-pause', (deployment: string, spare: string) => ({ deployment, spare }));
fault('the kubelet of the node running the most {string} pods stops', 'kubelet-stop', (deployment: string) => ({ deployment }));
fault('one pod of deployment {string} stops being ready', 'probe-block', (deployment: string) => ({ deployment, probe: 'readiness' as const }));
fault('one pod of deployment {string} becomes unhealthy', 'probe-block', (deployment: string) => ({ deployment, probe: 'liveness' as const }));
fault('one pod of deployment {string} says it is not ready', 'app-switch', (deployment: string) => ({ deployment, probe: 'readiness' as const }));
fault('one pod of deployment {string} says it is unhealthy', 'app-switch', (deployment: string) => ({ deployment, probe: 'liveness' as const }));
fault('the namespace is cut off', 'namespace-cutoff', () => ({}));
fault('I set the image of deployment {string} to {string}', 'set-image', (deployment: string, image: string) => ({ deployment, image }));
fault('I set the image of container {string} of deployment {string} to {string}', 'set-image', (container: string, deployment: string, image: string) => ({ deployment, image, container }));
fault('I restart deployment {string}', 'restart', (deployment: string) => ({ deployment }));
fault('I roll back deployment {string}', 'rollback', (deployment: string) => ({ deployment }));
fault('I roll back deployment {string} to revision {int}', 'rollback', (deployment: string, toRevision: number) => ({ deployment, toRevision }));
fault('I set key {string} of configmap {string} to {string}', 'configmap-edit', (key: string, configMap: string, value: string) => ({ configMap, key, value }));
fault('I delete the pods of {workload} one by one', 'pods-one-by-one', (w: { kind: string; name: string }) => ({ kind: w.kind as 'deployment' | 'statefulset', name: w.name }), 5 * FAULT_STEP_CAP_MS);
fault('namespace {string} is cut off', 'namespace-cutoff', (alias: string) => ({ alias }));
fault('pods of {string} cannot reach service {string} for {duration}', 'network-partition', (deployment: string, service: string, d: StepDuration) => ({ deployment, to: { service }, durationMs: d.ms }));
fault('pods of {string} cannot be reached from pods of {string} for {duration}', 'network-partition', (deployment: string, peer: string, d: StepDuration) => ({ deployment, from: { deployment: peer }, durationMs: d.ms }));
fault('pods of {string} cannot be reached from namespace {string} for {duration}', 'network-partition', (deployment: string, alias: string, d: StepDuration) => ({ deployment, from: { namespace: alias }, durationMs: d.ms }));
fault('{int}% of packets to\\/from pods of {string} are lost for {duration}', 'packet-loss', (percent: number, deployment: string, d: StepDuration) => ({ deployment, percent, durationMs: d.ms }));
fault('DNS fails for pods of {string} for {duration}', 'dns-failure', (deployment: string, d: StepDuration) => ({ deployment, durationMs: d.ms }));
fault('the bandwidth of pods of {string} is limited to {int} kbit\\/s for {duration}', 'bandwidth-limit', (deployment: string, kbit: number, d: StepDuration) => ({ deployment, kbit, durationMs: d.ms }));
fault('the bandwidth of pods of {string} is limited to {int} Mbit\\/s for {duration}', 'bandwidth-limit', (deployment: string, mbit: number, d: StepDuration) => ({ deployment, kbit: mbit * 1000, durationMs: d.ms }));
fault('the packets of pods of {string} are delayed by {int} ms for {duration}', 'network-latency', (deployment: string, delayMs: number, d: StepDuration) => ({ deployment, delayMs, durationMs: d.ms }));
fault('the containers of {string} burn {int} CPU(s) for {duration}', 'cpu-stress', (deployment: string, cpus: number, d: StepDuration) => ({ deployment, cpus, durationMs: d.ms }));
fault('the containers of one {string} pod burn {int} CPU(s) for {duration}', 'cpu-stress', (deployment: string, cpus: number, d: StepDuration) => ({ deployment, cpus, one: true, durationMs: d.ms }));
fault('the containers of {string} allocate {int} MiB for {duration}', 'memory-stress', (deployment: string, mib: number, d: StepDuration) => ({ deployment, mib, durationMs: d.ms }));
fault('the containers of one {string} pod allocate {int} MiB for {duration}', 'memory-stress', (deployment: string, mib: number, d: StepDuration) => ({ deployment, mib, one: true, durationMs: d.ms }));
fault('the containers of one {string} pod are frozen for {duration}', 'container-freeze', (deployment: string, d: StepDuration) => ({ deployment, durationMs: d.ms }));
fault('the node running the most {string} pods is tainted NoExecute', 'node-taint', (deployment: string) => ({ deployment }));
