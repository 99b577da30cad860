/**
 * Where pods go and what stops them: a DaemonSet on every node it belongs on (also on a node that comes
 * back), requests that no node can satisfy (Pending with the scheduler's reason), a memory limit the
 * kernel enforces (OOMKilled). Watches of DaemonSets and StatefulSets are opened on demand.
 */
import type { KindName, ObjectStore } from '../cluster/types.ts';
import type { Condition } from '../conditions/condition.ts';
import { daemonSetOnEveryNode } from '../conditions/daemonset-coverage.ts';
import { deploymentReadyReplicas } from '../conditions/deployment-ready.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { RecoveryResult, StepDuration } from '../conditions/expect.ts';
import { containerOomKilled } from '../conditions/oom-killed.ts';
import { podsUnschedulable } from '../conditions/unschedulable.ts';
import type { ScenarioDeps } from '../deps.ts';
import { WORKLOAD_KINDS } from '../inside/targets.ts';
import type { WorkloadRef } from '../inside/targets.ts';
import { unpause } from '../faults/node-pause.ts';
import { startKubeletAgain } from '../faults/kubelet-stop.ts';

/** Scheduling steps' entry points. */
export interface SchedulingOps {
  expectDaemonSetEverywhere(name: string, within: StepDuration): Promise<RecoveryResult>;
  /** "statefulset X has N ready replicas within T" (the Deployment rule: ready live pods and status agree). */
  expectStatefulSetReady(name: string, replicas: number, within: StepDuration): Promise<RecoveryResult>;
  /** A ready pod of the DaemonSet on the node an earlier node fault took (once it is back). */
  expectDaemonSetOnDeadNode(name: string, within: StepDuration): Promise<RecoveryResult>;
  /** Ends the node fault now (unpause / start the kubelet, through its journalled undo). */
  nodeComesBack(): Promise<string>;
  expectOomKilled(ref: WorkloadRef, within: StepDuration): Promise<RecoveryResult>;
  /** The scheduler says `saying` within `within`, and no pod gets a node for `hold`. */
  expectPending(ref: WorkloadRef, saying: string, within: StepDuration, hold: StepDuration): Promise<string>;
}

/** Builds the scheduling checks of one scenario. */
export function createSchedulingOps(deps: ScenarioDeps): SchedulingOps {
  const { client, view, expect, faults } = deps;
  const ns = view.namespace;
  /** A watch of `kind` in the namespace for the duration of `use`. */
  const withStore = async <T>(kind: KindName, use: (store: ObjectStore) => Promise<T>): Promise<T> => {
    if (kind === 'Deployment') return use(view.deployments);
    const store = client.watch(kind, ns);
    try { return await use(store); } finally { await store.stop().catch(() => undefined); }
  };
  const dsStores = (store: ObjectStore) => ({ daemonSets: store, pods: view.pods, nodes: view.nodes, events: view.events });
  const deadNode = (): string => faults.last(['node-pause', 'kubelet-stop'], 'the kubelet of the node running the most "…" pods stops').node;

  return {
    expectDaemonSetEverywhere: (name, within) => withStore('DaemonSet', (s) => expect.eventually(daemonSetOnEveryNode(dsStores(s), ns, name), within)),
    expectStatefulSetReady: (name, replicas, within) => withStore('StatefulSet', (s) => {
      const ready = deploymentReadyReplicas({ deployments: s, pods: view.pods, events: view.events }, ns, name, replicas);
      return expect.eventually({ ...ready, subject: objectRef('StatefulSet', name, ns), observe: () => { const o = ready.observe(); return { ...o, received: o.received.replace(/^no deployment/, 'no statefulset').replace('Deployment status', 'StatefulSet status') }; } }, within);
    }),
    expectDaemonSetOnDeadNode: (name, within) => withStore('DaemonSet', (s) => expect.eventually(daemonSetOnEveryNode(dsStores(s), ns, name, deadNode()), within)),
    async nodeComesBack() {
      const node = deadNode();
      const paused = faults.latest(['node-pause']);
      const [fault, undo] = paused?.node === node ? ['node-pause', unpause] as const : ['kubelet-stop', startKubeletAgain] as const;
      return faults.undoEarly(fault, undo.kind, { name: node }, `node ${node} is not down because of this scenario (nothing to bring back)`);
    },
    expectOomKilled: (ref, within) => withStore(WORKLOAD_KINDS[ref.kind], (s) => expect.eventually(containerOomKilled({ workload: s, pods: view.pods }, WORKLOAD_KINDS[ref.kind], ns, ref.name), within, { recovery: false })),
    async expectPending(ref, saying, within, hold) {
      return withStore(WORKLOAD_KINDS[ref.kind], async (s) => {
        const kind = WORKLOAD_KINDS[ref.kind];
        const said: Condition = podsUnschedulable({ workload: s, pods: view.pods }, kind, ns, ref.name, saying);
        await expect.eventually(said, within, { recovery: false });
        await expect.throughout(podsUnschedulable({ workload: s, pods: view.pods }, kind, ns, ref.name), hold);
        return `${ref.kind} "${ref.name}": ${said.observe().received}; no pod was scheduled for ${hold.text}`;
      });
    },
  };
}
