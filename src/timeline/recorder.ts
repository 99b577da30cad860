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

/** Owner Deployment, rollout revision and image of a ReplicaSet (only the fields present). */
function replicaSetRollout(obj: KubeObject): { owner?: string; revision?: string; image?: string } {
  const owner = obj.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment')?.name;
  const revision = obj.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const image: unknown = obj.spec?.template?.spec?.containers?.[0]?.image;
  return { ...(owner ? { owner } : {}), ...(revision ? { revision } : {}), ...(typeof image === 'string' && image ? { image } : {}) };
}

/** A finite number, or nothing. */
function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * CPU utilisation seen by an HPA and its target, in % of requests, plus its replica bounds. Reads
 * autoscaling/v2 (the CPU Resource metric), falling back to the v1 fields.
 */
function hpaCpu(obj: KubeObject): { cpuPercent?: number; targetPercent?: number; min?: number; max?: number } {
  type Metric = { type?: string; resource?: { name?: string; current?: { averageUtilization?: unknown }; target?: { averageUtilization?: unknown } } };
  const isCpu = (m: Metric): boolean => m.type === 'Resource' && m.resource?.name === 'cpu';
  const current = ((obj.status?.currentMetrics ?? []) as Metric[]).find(isCpu)?.resource?.current?.averageUtilization;
  const target = ((obj.spec?.metrics ?? []) as Metric[]).find(isCpu)?.resource?.target?.averageUtilization;
  const fields = {
    cpuPercent: num(current) ?? num(obj.status?.currentCPUUtilizationPercentage),
    targetPercent: num(target) ?? num(obj.spec?.targetCPUUtilizationPercentage),
    min: num(obj.spec?.minReplicas),
    max: num(obj.spec?.maxReplicas),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

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
      return { kind: 'k8s.replicaset', name, desired: c.desired, ready: c.ready, ...replicaSetRollout(obj), ...deleted };
    }
    case 'Deployment': {
      const c = replicaCounts(obj);
      return { kind: 'k8s.deployment', name, desired: c.desired, ready: c.ready, updated: c.updated, available: c.available, ...deleted };
    }
    case 'HorizontalPodAutoscaler':
      return { kind: 'k8s.hpa', name, current: Number(obj.status?.currentReplicas ?? 0), desired: Number(obj.status?.desiredReplicas ?? 0), ...hpaCpu(obj), ...deleted };
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
