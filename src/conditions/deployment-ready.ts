/** "deployment X has N ready replicas": counted from the pods themselves and the Deployment status. */
import { describePod, isPodReady, selectsPod } from '../cluster/describe.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/** Which comparison the step asked for. */
export type ReplicaComparison = 'exactly' | 'at least';

/**
 * Ready pods (not terminating) selected by the Deployment, and its status.readyReplicas, must both
 * match: the pod watch is the fresher source, the status guards against counting a pod the
 * controller has not adopted yet.
 */
export function deploymentReadyReplicas(
  stores: { deployments: ObjectStore; pods: ObjectStore },
  namespace: string,
  name: string,
  replicas: number,
  comparison: ReplicaComparison = 'exactly',
): Condition {
  const compare = (n: number): boolean => (comparison === 'exactly' ? n === replicas : n >= replicas);
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: `toHaveReadyReplicas(${comparison === 'exactly' ? '' : '>= '}${replicas})`,
    expectation: `${comparison === 'exactly' ? '' : 'at least '}${replicas} ready replica${replicas === 1 ? '' : 's'}`,
    stores: [stores.deployments, stores.pods],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) {
        const others = stores.deployments.list().map((d) => d.metadata?.name).join(', ');
        return { ok: false, received: `no deployment "${name}" in namespace ${namespace}${others ? ` (it has: ${others})` : ' (it has none)'}` };
      }
      const matchLabels = deployment.spec?.selector?.matchLabels as Record<string, string> | undefined;
      const pods = stores.pods.list().filter((p) => selectsPod(matchLabels, p)).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
      const ready = pods.filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp).length;
      const statusReady = Number(deployment.status?.readyReplicas ?? 0);
      const desired = Number(deployment.spec?.replicas ?? 0);
      const list = pods.length ? pods.map(describePod).join(', ') : 'no pods';
      const lag = statusReady !== ready ? `; Deployment status says ${statusReady} ready` : '';
      return { ok: compare(ready) && compare(statusReady), received: `${ready}/${desired} ready (${list})${lag}` };
    },
  };
}
