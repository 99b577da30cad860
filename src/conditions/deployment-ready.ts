/** "deployment X has N ready replicas": counted from the pods themselves and the Deployment status. */
import { workloadCause } from '../cluster/causes.ts';
import { describePod } from '../cluster/describe.ts';
import { isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';
import { readyReplicasFinal } from './final-state.ts';

/** Which comparison the step asked for. */
export type ReplicaComparison = 'exactly' | 'at least';

/** The watch stores the condition reads; without replicaSets and nodes it never declares a state final. */
export interface ReplicaStores {
  deployments: ObjectStore;
  pods: ObjectStore;
  events?: ObjectStore;
  replicaSets?: ObjectStore;
  /** HorizontalPodAutoscalers of the namespace: without them any autoscaler headroom is assumed. */
  hpas?: ObjectStore;
  nodes?: ObjectStore;
}

/**
 * Ready pods (not terminating) selected by the Deployment, and its status.readyReplicas, must both
 * match: the pod watch is the fresher source, the status guards against counting a pod the
 * controller has not adopted yet. When the count can never be reached (final-state.ts), the
 * observation says so and `eventually` fails at once.
 */
export function deploymentReadyReplicas(
  stores: ReplicaStores,
  namespace: string,
  name: string,
  replicas: number,
  comparison: ReplicaComparison = 'exactly',
): Condition {
  const compare = (n: number): boolean => (comparison === 'exactly' ? n === replicas : n >= replicas);
  const optional = [stores.events, stores.replicaSets, stores.hpas, stores.nodes].filter((s): s is ObjectStore => Boolean(s));
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: `toHaveReadyReplicas(${comparison === 'exactly' ? '' : '>= '}${replicas})`,
    expectation: `${comparison === 'exactly' ? '' : 'at least '}${replicas} ready replica${replicas === 1 ? '' : 's'}`,
    // Events too: the cause quoted on failure must be the newest one. The others feed the final-state rules.
    stores: [stores.deployments, stores.pods, ...optional],
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
      const received = `${ready}/${desired} ready (${list})${lag}`;
      if (compare(ready) && compare(statusReady)) return { ok: true, received };
      const events = stores.events?.list() ?? [];
      const final = stores.replicaSets && stores.nodes
        ? readyReplicasFinal({ deployment, pods, replicaSets: stores.replicaSets.list(), hpas: stores.hpas?.list(), nodes: stores.nodes.list(), events }, replicas)
        : undefined;
      // The cluster's words first; a spec that asks for too few replicas has none, so the rule's reason stands in.
      const cause = workloadCause(deployment, pods, events) ?? final;
      return { ok: false, received, ...(cause ? { cause } : {}), ...(final ? { final } : {}) };
    },
    about() {
      const deployment = stores.deployments.get(name);
      const pods = deployment ? podsSelectedBy(deployment, stores.pods.list()) : [];
      const sets = (stores.replicaSets?.list() ?? []).filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === name));
      return [`deployment/${name}`, ...sets.map((rs) => `replicaset/${rs.metadata?.name}`), ...pods.map((p) => `pod/${p.metadata?.name}`)];
    },
  };
}
