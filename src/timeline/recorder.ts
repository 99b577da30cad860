/**
 * Feeds a timeline from watch stores: one entry per observable transition of pods, ReplicaSets,
 * Deployments, HPAs and Nodes, and one per Kubernetes Event. Status churn that does not change
 * the summary (e.g. a resourceVersion bump) is not recorded.
 */
import { describeNode, podReason, replicaCounts } from '../cluster/describe.ts';
import { isPodReady } from '../cluster/predicates.ts';
import type { ChangeType, KubeObject, ObjectStore } from '../cluster/types.ts';
import type { TimelinePayload } from './events.ts';
import type { Timeline } from './timeline.ts';

function payloadFor(kind: ObjectStore['kind'], type: ChangeType, obj: KubeObject): TimelinePayload | undefined {
  const name = obj.metadata?.name ?? '?';
  const deleted = type === 'delete' ? { deleted: true } : {};
  switch (kind) {
    case 'Pod': {
      const reason = podReason(obj);
      return { kind: 'k8s.pod', name, phase: String(obj.status?.phase ?? 'Unknown'), ready: isPodReady(obj), ...(obj.spec?.nodeName ? { node: obj.spec.nodeName } : {}), ...(reason ? { reason } : {}), ...deleted };
    }
    case 'ReplicaSet': {
      const c = replicaCounts(obj);
      return { kind: 'k8s.replicaset', name, desired: c.desired, ready: c.ready, ...deleted };
    }
    case 'Deployment': {
      const c = replicaCounts(obj);
      return { kind: 'k8s.deployment', name, desired: c.desired, ready: c.ready, updated: c.updated, available: c.available, ...deleted };
    }
    case 'HorizontalPodAutoscaler':
      return { kind: 'k8s.hpa', name, current: Number(obj.status?.currentReplicas ?? 0), desired: Number(obj.status?.desiredReplicas ?? 0), ...deleted };
    case 'Node': {
      const n = describeNode(obj);
      return { kind: 'k8s.node', name, ready: n.ready, unschedulable: n.unschedulable };
    }
    case 'Event': {
      if (type === 'delete') return undefined;
      const involved = obj.involvedObject as { kind?: string; name?: string } | undefined;
      return { kind: 'k8s.event', type: String(obj.type ?? 'Normal'), reason: String(obj.reason ?? ''), object: `${(involved?.kind ?? '').toLowerCase()}/${involved?.name ?? '?'}`, message: String(obj.message ?? '') };
    }
    default:
      return undefined;
  }
}

/** Subscribes the timeline to the stores; returns the unsubscribe function. */
export function recordStores(timeline: Timeline, stores: readonly ObjectStore[]): () => void {
  const lastSummary = new Map<string, string>();
  const unsubscribers = stores.map((store) =>
    store.onChange((type, obj) => {
      const payload = payloadFor(store.kind, type, obj);
      if (!payload) return;
      const key = `${store.kind}/${obj.metadata?.name ?? ''}${store.kind === 'Event' ? `/${obj.metadata?.resourceVersion}` : ''}`;
      const summary = JSON.stringify(payload);
      if (lastSummary.get(key) === summary) return;
      lastSummary.set(key, summary);
      timeline.record(payload);
    }),
  );
  return () => unsubscribers.forEach((u) => u());
}
