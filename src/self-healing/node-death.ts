/**
 * Node death operations of one scenario: pick the node running the most pods of a deployment, pause
 * its kind container (faults/node-pause.ts), and check afterwards that no ready pod is left on it.
 * scenario.ts builds one per scenario.
 */
import { selectsPod } from '../cluster/describe.ts';
import { kindClusterName } from '../cluster/kind.ts';
import { dockerNodeContainers } from '../cluster/kind-nodes.ts';
import type { NodeContainers } from '../cluster/kind-nodes.ts';
import { evictionAfterS, readNodeLossTimings } from '../cluster/node-timings.ts';
import { BUDGETS } from '../config/defaults.ts';
import { now } from '../conditions/engine.ts';
import type { EngineContext, WaitResult } from '../conditions/engine.ts';
import { noReadyPodOnNode } from '../conditions/ready-on-node.ts';
import { FaultError } from '../faults/fault.ts';
import type { FaultContext, FaultOutcome } from '../faults/fault.ts';
import { nodeRunningMost } from '../faults/node-cordon.ts';
import { pauseNode } from '../faults/node-pause.ts';
import { stopKubelet } from '../faults/kubelet-stop.ts';
import { systemctlKubelet } from '../cluster/kind-kubelet.ts';
import type { KubeletControl } from '../cluster/kind-kubelet.ts';

/** Node death steps' entry points. */
export interface NodeDeathOps {
  /**
   * "the node running the most X pods dies": returns once Kubernetes has seen the node die.
   * `spare`: a Deployment or StatefulSet whose nodes are never chosen (the database of the scenario).
   */
  nodeRunningMostDies(deployment: string, spare?: string): Promise<FaultOutcome>;
  /** "the kubelet of the node running the most X pods stops": returns once Kubernetes has noticed. */
  kubeletOfNodeRunningMostStops(deployment: string): Promise<FaultOutcome>;
  /** Checks, now, that no ready pod of the deployment runs on the node killed earlier. */
  expectNoReadyPodOnDeadNode(deployment: string): Promise<WaitResult>;
}

/** Margin over --node-monitor-grace-period for the controller to mark the node and its pods. */
const NOTICE_MARGIN_MS = 20_000;

/** Nodes running a pod of the Deployment or StatefulSet `name` (the namespace's view of pods). */
export async function nodesRunning(fault: FaultContext, name: string): Promise<Set<string>> {
  const ns = fault.view.namespace;
  const owner = (await fault.client.get('Deployment', name, ns)) ?? (await fault.client.get('StatefulSet', name, ns));
  if (!owner) throw new FaultError(`no Deployment or StatefulSet "${name}" in namespace ${ns} to spare`);
  await fault.view.ready();
  const matchLabels = owner.spec?.selector?.matchLabels as Record<string, string> | undefined;
  return new Set(fault.view.pods.list().filter((p) => selectsPod(matchLabels, p) && p.spec?.nodeName && !p.metadata?.deletionTimestamp).map((p) => p.spec!.nodeName as string));
}

/** Builds the operations; `docker` is injectable for unit tests. */
export function createNodeDeath(fault: FaultContext, engine: EngineContext, docker: NodeContainers = dockerNodeContainers, kubelet: KubeletControl = systemctlKubelet): NodeDeathOps {
  let dead: string | undefined;
  const victim = async (deployment: string, spare?: string): Promise<{ node: string; options: { docker: NodeContainers; cluster: string; deployment: string; noticeWithinMs: number } }> => {
    const cluster = kindClusterName(fault.client.contextName);
    if (!cluster) throw new FaultError(`node faults act on kind node containers, but context "${fault.client.contextName}" is not a kind cluster`);
    const spared = spare ? await nodesRunning(fault, spare) : new Set<string>();
    if (spare) fault.timeline.record({ kind: 'marker', label: `sparing node(s) running "${spare}": ${[...spared].sort().join(', ') || 'none'}` });
    const node = await nodeRunningMost(fault, deployment, spared);
    const timings = await readNodeLossTimings(fault.client);
    fault.timeline.record({ kind: 'marker', label: `node loss timings: grace ${timings.gracePeriodS}s, unreachable toleration ${timings.unreachableTolerationS}s → pods evicted ~${evictionAfterS(timings)}s after death (${timings.source})` });
    // The step returns only once the death is visible, so its budget follows the cluster's grace period.
    return { node, options: { docker, cluster, deployment, noticeWithinMs: Math.min(timings.gracePeriodS * 1000 + NOTICE_MARGIN_MS, BUDGETS.fault) } };
  };
  return {
    async kubeletOfNodeRunningMostStops(deployment) {
      const { node, options } = await victim(deployment);
      const outcome = await stopKubelet(fault, node, { ...options, kubelet });
      dead = node;
      return outcome;
    },
    async nodeRunningMostDies(deployment, spare) {
      const { node, options } = await victim(deployment, spare);
      const outcome = await pauseNode(fault, node, options);
      dead = node;
      return outcome;
    },
    async expectNoReadyPodOnDeadNode(deployment) {
      if (!dead) throw new Error('no node died earlier in this scenario (use "the node running the most … pods dies" or "the kubelet of the node running the most … pods stops" first)');
      return now(noReadyPodOnNode({ deployments: fault.view.deployments, pods: fault.view.pods }, fault.view.namespace, deployment, dead), engine);
    },
  };
}
