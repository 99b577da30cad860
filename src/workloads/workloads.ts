/**
 * Workload operations of one scenario: apply manifest folders (or a fixture) into a namespace it owns,
 * and the readiness and placement checks every family uses.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { classifyApiError } from '../cluster/api-errors.ts';
import { loadManifestDir, ManifestError } from '../cluster/manifests.ts';
import { applyWaitingForNodePorts } from '../cluster/node-ports.ts';
import type { StepDuration } from '../conditions/expect.ts';
import type { RecoveryResult } from '../conditions/expect.ts';
import type { WaitResult } from '../conditions/engine.ts';
import type { Condition } from '../conditions/condition.ts';
import { deploymentReadyReplicas } from '../conditions/deployment-ready.ts';
import type { ReplicaComparison } from '../conditions/deployment-ready.ts';
import { noPodOnNode } from '../conditions/pod-placement.ts';
import { noReadyPodOnNode } from '../conditions/ready-on-node.ts';
import { BUDGETS } from '../config/defaults.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError } from '../failure/failure.ts';
import { fixtureDir } from '../util/package-root.ts';

/** Workload steps' entry points. */
export interface WorkloadOps {
  /** Applies every YAML under `dir` (relative to the project) into the scenario namespace, or alias `alias`. */
  applyManifests(dir: string, alias?: string): Promise<number>;
  /** Applies fixtures/<name>/manifests. */
  deployFixture(name: string): Promise<number>;
  expectReadyReplicas(name: string, replicas: number, within: StepDuration, comparison?: ReplicaComparison): Promise<RecoveryResult>;
  expectReadyReplicasThroughout(name: string, atLeast: number, phase: StepDuration): Promise<WaitResult>;
  expectNeverFewerReady(name: string, minimum: number, phase: StepDuration): Promise<WaitResult>;
  /** No live pod of the deployment on the node an earlier cordon or drain took. */
  expectNoPodOnNodeTakenBy(name: string, fault: 'node-cordon' | 'node-drain'): Promise<WaitResult>;
  /** Within T, no live pod of the deployment left on the node an earlier NoExecute taint hit (evicted). */
  expectNoPodOnTaintedNode(name: string, within: StepDuration): Promise<WaitResult>;
  /** No ready pod of the deployment on the node an earlier node death or kubelet stop took. */
  expectNoReadyPodOnDeadNode(name: string): Promise<WaitResult>;
}

/** Builds the workload operations. */
export function createWorkloadOps(deps: ScenarioDeps): WorkloadOps {
  const { client, view, timeline, redactor, expect, faults } = deps;
  const stores = { deployments: view.deployments, pods: view.pods, events: view.events, replicaSets: view.replicaSets, hpas: view.hpas, nodes: view.nodes };
  const ready = (name: string, n: number, comparison: ReplicaComparison = 'exactly'): Condition => deploymentReadyReplicas(stores, view.namespace, name, n, comparison);

  const apply = async (dir: string, alias?: string): Promise<number> => {
    const namespace = deps.namespaces.resolve(alias);
    const manifests = loadManifestDir(dir, deps.cwd);
    for (const m of manifests) {
      if (m.object.kind === 'Namespace') {
        throw new ManifestError(`${m.file} line ${m.line}: manifests must not create namespaces; kubeproof gives each scenario its own (${namespace})`);
      }
      // Learnt before anything is sent: an API error echoing a value must not leak it.
      redactor.learnSecret(m.object);
    }
    for (const m of manifests) {
      const obj = { ...m.object, metadata: { ...m.object.metadata, namespace } };
      try {
        await applyWaitingForNodePorts(client, obj, BUDGETS.apply / 2);
      } catch (err) {
        const hint = classifyApiError(err) === 'terminal' ? '' : ' (the API server may be overloaded; retry the run)';
        // The API server's reason is already in the message; no cause chain, so students see one paragraph.
        throw new ManifestError(`applying ${m.file} line ${m.line} (${m.object.kind} "${m.object.metadata?.name}")${alias ? ` in namespace "${alias}"` : ''} failed: ${(err as Error).message}${hint}`);
      }
    }
    timeline.record({ kind: 'marker', label: `applied ${manifests.length} object${manifests.length === 1 ? '' : 's'} from ${dir}${alias ? ` in namespace "${alias}"` : ''}` });
    return manifests.length;
  };

  return {
    applyManifests: apply,
    async deployFixture(name) {
      // The project's own fixtures/<name>, else the one kubeproof ships (a dependent project deploys demo-shop too).
      const dir = relative(deps.cwd, join(fixtureDir(name, deps.cwd), 'manifests'));
      if (!existsSync(join(deps.cwd, dir))) {
        throw new ManifestError(`fixture "${name}" is not installed: expected its manifests in ${dir}/ (check the name, or add the fixture)`);
      }
      return apply(dir);
    },
    expectReadyReplicas: (name, replicas, within, comparison) => expect.eventually(ready(name, replicas, comparison), within),
    expectReadyReplicasThroughout: (name, atLeast, phase) => expect.throughout(ready(name, atLeast, 'at least'), phase),
    expectNeverFewerReady(name, minimum, phase) {
      const atLeast = ready(name, minimum, 'at least');
      const fewer: Condition = {
        ...atLeast,
        matcher: `toHaveFewerReadyReplicasThan(${minimum})`,
        expectation: `fewer than ${minimum} ready replica${minimum === 1 ? '' : 's'}`,
        observe: () => { const o = atLeast.observe(); return { ok: !o.ok, received: o.received }; },
      };
      return expect.never(fewer, phase);
    },
    expectNoPodOnNodeTakenBy(name, fault) {
      const { node } = faults.last([fault], fault === 'node-cordon' ? 'I cordon the node running the most "…" pods' : 'I drain the node running the most "…" pods');
      return expect.now(noPodOnNode(stores, view.namespace, name, node));
    },
    expectNoPodOnTaintedNode(name, within) {
      const { node } = faults.last(['node-taint'], 'the node running the most "…" pods is tainted NoExecute');
      return expect.eventually(noPodOnNode(stores, view.namespace, name, node), within).then((r) => r, (err: unknown) => {
        throw err instanceof ConditionError ? err.withHint(`pods that tolerate the taint stay (kubectl get pods -n ${view.namespace} -o jsonpath='{..tolerations}'): a toleration with operator Exists and no key tolerates every taint`) : err;
      });
    },
    expectNoReadyPodOnDeadNode(name) {
      const { node } = faults.last(['node-pause', 'kubelet-stop'], 'the node running the most "…" pods dies');
      return expect.now(noReadyPodOnNode(stores, view.namespace, name, node));
    },
  };
}
