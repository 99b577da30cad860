/** The watch stores of one scenario: its namespace's workloads, events and Secrets, plus the cluster's nodes. */
import type { ClusterClient, KindName, ObjectStore } from './types.ts';

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

/** Called when a watch is interrupted (it reconnects by itself); `store` names it ("Pods in kp-x"). */
export type WatchErrorListener = (store: string, err: unknown) => void;

/** Starts the stores (they connect in the background; await ready() before asserting). */
export function createNamespaceView(client: ClusterClient, namespace: string, onWatchError?: WatchErrorListener): NamespaceView {
  const watch = (kind: KindName, ns?: string): ObjectStore =>
    client.watch(kind, ns, undefined, onWatchError ? { onError: (err) => onWatchError(`${kind}s${ns ? ` in ${ns}` : ''}`, err) } : {});
  const view = {
    namespace,
    pods: watch('Pod', namespace),
    replicaSets: watch('ReplicaSet', namespace),
    deployments: watch('Deployment', namespace),
    hpas: watch('HorizontalPodAutoscaler', namespace),
    events: watch('Event', namespace),
    nodes: watch('Node'),
  };
  const all = (): ObjectStore[] => [view.pods, view.replicaSets, view.deployments, view.hpas, view.events, view.nodes];
  return {
    ...view,
    all,
    ready: async () => { await Promise.all(all().map((s) => s.ready)); },
    stop: async () => { await Promise.all(all().map((s) => s.stop())); },
  };
}
