/** One-line, human summaries of objects, shared by the timeline and failure messages. */
import { isNodeReady, isPodReady } from './predicates.ts';
import type { KubeObject } from './types.ts';

/** Why a pod is not running, from its container states or scheduling condition. */
export function podReason(pod: KubeObject): string | undefined {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  const statuses = (pod.status?.containerStatuses ?? []) as Array<{ state?: Record<string, { reason?: string }> }>;
  for (const s of statuses) {
    const waiting = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
    if (waiting) return waiting;
  }
  const conditions = (pod.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string }>;
  const unscheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return unscheduled?.reason;
}

/** "api-7c9-abc Running/Ready on kubeproof-worker2" / "api-7c9-ghi Pending: Unschedulable". */
export function describePod(pod: KubeObject): string {
  const name = pod.metadata?.name ?? '?';
  const phase = (pod.status?.phase as string | undefined) ?? 'Unknown';
  const reason = podReason(pod);
  const node = pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : '';
  if (reason && reason !== 'Running') return `${name} ${phase}: ${reason}${node}`;
  return `${name} ${phase}/${isPodReady(pod) ? 'Ready' : 'NotReady'}${node}`;
}

/** Ready/desired counts of a Deployment or ReplicaSet. */
export function replicaCounts(obj: KubeObject): { desired: number; ready: number; updated: number; available: number } {
  return {
    desired: Number(obj.spec?.replicas ?? 0),
    ready: Number(obj.status?.readyReplicas ?? 0),
    updated: Number(obj.status?.updatedReplicas ?? 0),
    available: Number(obj.status?.availableReplicas ?? 0),
  };
}

/** Ready condition and schedulability of a node. */
export function describeNode(node: KubeObject): { ready: boolean; unschedulable: boolean; summary: string } {
  const ready = isNodeReady(node);
  const unschedulable = Boolean(node.spec?.unschedulable);
  return { ready, unschedulable, summary: `${node.metadata?.name ?? '?'} ${ready ? 'Ready' : 'NotReady'}${unschedulable ? ',SchedulingDisabled' : ''}` };
}
