/** The watch stores of one scenario: its namespace's workloads and events, plus the cluster's nodes. */
import type { ClusterClient, ObjectStore } from './types.ts';

/** Live caches shared by the timeline recorder, conditions and faults of one scenario. */
export interface NamespaceView {
  namespace: string;
  pods: ObjectStore;
  replicaSets: ObjectStore;
  deployments: ObjectStore;
  hpas: ObjectStore;
  events: ObjectStore;
  nodes: ObjectStore;
  all(): ObjectStore[];
  /** Resolves once every store has listed. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the stores (they connect in the background; await ready() before asserting). */
export function createNamespaceView(client: ClusterClient, namespace: string): NamespaceView {
  const view = {
    namespace,
    pods: client.watch('Pod', namespace),
    replicaSets: client.watch('ReplicaSet', namespace),
    deployments: client.watch('Deployment', namespace),
    hpas: client.watch('HorizontalPodAutoscaler', namespace),
    events: client.watch('Event', namespace),
    nodes: client.watch('Node'),
  };
  const all = (): ObjectStore[] => [view.pods, view.replicaSets, view.deployments, view.hpas, view.events, view.nodes];
  return {
    ...view,
    all,
    ready: async () => { await Promise.all(all().map((s) => s.ready)); },
    stop: async () => { await Promise.all(all().map((s) => s.stop())); },
  };
}
