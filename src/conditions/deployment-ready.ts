/** "deployment X has N ready replicas": counted from the pods themselves and the Deployment status. */
import { workloadCause } from '../cluster/causes.ts';
import { describePod } from '../cluster/describe.ts';
import { isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
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
  stores: { deployments: ObjectStore; pods: ObjectStore; events?: ObjectStore },
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
    // Events too: the cause quoted on failure must be the newest one.
    stores: stores.events ? [stores.deployments, stores.pods, stores.events] : [stores.deployments, stores.pods],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) {
        const others = stores.deployments.list().map((d) => d.metadata?.name).join(', ');
        return { ok: false, received: `no deployment "${name}" in namespace ${namespace}${others ? ` (it has: ${others})` : ' (it has none)'}` };
      }
      const pods = podsSelectedBy(deployment, stores.pods.list());
      const ready = pods.filter((p) => isPodReady(p) && isPodLive(p)).length;
      const statusReady = Number(deployment.status?.readyReplicas ?? 0);
      const desired = Number(deployment.spec?.replicas ?? 0);
      const list = pods.length ? pods.map(describePod).join(', ') : 'no pods';
      const lag = statusReady !== ready ? `; Deployment status says ${statusReady} ready` : '';
      const ok = compare(ready) && compare(statusReady);
      const cause = ok ? undefined : workloadCause(deployment, pods, stores.events?.list());
      return { ok, received: `${ready}/${desired} ready (${list})${lag}`, ...(cause ? { cause } : {}) };
    },
  };
}
