/**
 * What each fault step would do, for --dry-run: matched on the step text, so listing needs neither
 * a cluster nor the support code. Keep in sync with steps/fault.steps.ts (a unit test checks it).
 */

/** One entry: a step pattern and how to describe its target. */
export interface FaultDescription {
  pattern: RegExp;
  describe: (m: RegExpExecArray, seed: number) => string;
}

/** The catalogue, one entry per fault step. */
export const FAULT_CATALOG: readonly FaultDescription[] = [
  { pattern: /^I kill (\d+)% of the pods of deployment "([^"]+)"$/, describe: (m, seed) => `pod-kill: ${m[1]}% of the replicas of deployment "${m[2]}", rounded up (victims chosen with seed ${seed})` },
  { pattern: /^I kill (\d+) pods? of deployment "([^"]+)"$/, describe: (m, seed) => `pod-kill: ${m[1]} pod(s) of deployment "${m[2]}" (victims chosen with seed ${seed})` },
  { pattern: /^I scale deployment "([^"]+)" to (\d+) replicas?$/, describe: (m) => `deployment-scale: deployment "${m[1]}" to ${m[2]} replica(s) (previous count restored afterwards)` },
  { pattern: /^I cordon the node running the most "([^"]+)" pods$/, describe: (m, seed) => `node-cordon: the node running the most "${m[1]}" pods (ties broken with seed ${seed}; uncordoned afterwards)` },
  { pattern: /^the namespace is cut off$/, describe: () => 'namespace-cutoff: deny-all ingress+egress NetworkPolicy in the scenario namespace (deleted afterwards)' },
  { pattern: /^namespace "([^"]+)" is cut off$/, describe: (m) => `namespace-cutoff: deny-all ingress+egress NetworkPolicy in namespace "${m[1]}" (deleted afterwards)` },
  { pattern: /^the namespace is reconnected$/, describe: () => 'namespace-cutoff undone early: the cut-off NetworkPolicy of the scenario namespace is deleted now' },
  { pattern: /^namespace "([^"]+)" is reconnected$/, describe: (m) => `namespace-cutoff undone early: the cut-off NetworkPolicy of namespace "${m[1]}" is deleted now` },
  { pattern: /^I delete pod "([^"]+)"$/, describe: (m) => `pod-delete: pod "${m[1]}" (its controller recreates it)` },
  { pattern: /^the node running the most "([^"]+)" pods dies$/, describe: (m, seed) => `node-pause: docker pause of the kind node running the most "${m[1]}" pods (ties broken with seed ${seed}; never the control plane; unpaused afterwards)` },
  { pattern: /^the node running the most "([^"]+)" pods and no "([^"]+)" pod dies$/, describe: (m, seed) => `node-pause: docker pause of the kind node running the most "${m[1]}" pods among those running no "${m[2]}" pod (ties broken with seed ${seed}; never the control plane; unpaused afterwards)` },
  { pattern: /^the kubelet of the node running the most "([^"]+)" pods stops$/, describe: (m, seed) => `kubelet-stop: systemctl stop kubelet on the kind node running the most "${m[1]}" pods (ties broken with seed ${seed}; never the control plane; started again afterwards)` },
  { pattern: /^I drain the node running the most "([^"]+)" pods$/, describe: (m, seed) => `node-drain: cordon the node running the most "${m[1]}" pods (ties broken with seed ${seed}), then evict the scenario namespace's pods on it through the Eviction API, retrying while a PodDisruptionBudget refuses (uncordoned afterwards)` },
  { pattern: /^I drain the node running the most "([^"]+)" pods while deployment "([^"]+)" keeps at least (\d+) ready replicas?$/, describe: (m, seed) => `node-drain: cordon the node running the most "${m[1]}" pods (ties broken with seed ${seed}), then evict the scenario namespace's pods on it through the Eviction API, retrying while a PodDisruptionBudget refuses; deployment "${m[2]}" must keep at least ${m[3]} ready replica(s) throughout (uncordoned afterwards)` },
  { pattern: /^one pod of deployment "([^"]+)" stops being ready$/, describe: (m, seed) => `readiness-off: POST <readiness path>?set=false to one ready pod of deployment "${m[1]}" (pod chosen with seed ${seed}; switched back on afterwards)` },
  { pattern: /^one pod of deployment "([^"]+)" becomes unhealthy$/, describe: (m, seed) => `liveness-off: POST <liveness path>?set=false to one ready pod of deployment "${m[1]}" (pod chosen with seed ${seed}; its liveness probe should restart it)` },
  { pattern: /^a container of deployment "([^"]+)" crashes$/, describe: (m, seed) => `container-crash: SIGKILL to the first container of one ready pod of deployment "${m[1]}" (pod chosen with seed ${seed}; the kubelet restarts it)` },
];

/** The fault a step text would inject, or undefined when the step is not a fault. */
export function describeFaultStep(text: string, seed: number): string | undefined {
  for (const entry of FAULT_CATALOG) {
    const m = entry.pattern.exec(text);
    if (m) return entry.describe(m, seed);
  }
  return undefined;
}
