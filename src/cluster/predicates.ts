/**
 * Kubernetes' own rules, written once and used by conditions, faults, isolation, evidence and the
 * timeline alike (kubedog's status.go idea: pure functions from objects to answers). Every rule here
 * follows the API's semantics, not a convenient approximation: label selectors honour matchExpressions
 * and the nil/empty distinction, "Ready" is the Ready condition, a control-plane node is recognised by
 * its role label.
 */
import type { KubeObject } from './types.ts';

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * metav1.LabelSelectorAsSelector: a nil selector selects nothing, an empty one ({}) everything, and
 * otherwise every matchLabels pair and every matchExpressions term must hold. An unknown operator
 * selects nothing (the API server would have rejected it).
 */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': return has && values.includes(labels[e.key] ?? '');
      case 'NotIn': return !has || !values.includes(labels[e.key] ?? '');
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** A Service's `spec.selector` (a plain map): an empty or missing one selects no pod (the Service has no managed endpoints). */
export function serviceSelects(selector: Readonly<Record<string, string>> | null | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** "app=api,tier In (db, cache)", or `empty` for a selector without terms. */
export function formatSelector(selector: LabelSelector | null | undefined, empty = 'all pods'): string {
  const terms = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector?.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return terms.length ? terms.join(',') : empty;
}

/** Labels of an object ({} when it has none). */
export function labelsOf(obj: KubeObject | undefined): Record<string, string> {
  return obj?.metadata?.labels ?? {};
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KubeObject | undefined): boolean {
  return hasTrueCondition(pod, 'Ready');
}

/** The pod is not being deleted (no deletionTimestamp): what controllers count as a live replica. */
export function isPodLive(pod: KubeObject | undefined): boolean {
  return Boolean(pod) && !pod?.metadata?.deletionTimestamp;
}

/** Live, Running and Ready: a pod that serves. */
export function isPodServing(pod: KubeObject | undefined): boolean {
  return isPodLive(pod) && pod?.status?.phase === 'Running' && isPodReady(pod);
}

/** The node's Ready condition is True. */
export function isNodeReady(node: KubeObject | undefined): boolean {
  return hasTrueCondition(node, 'Ready');
}

/** Role label kubeadm (and kind) put on control-plane nodes. */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** The node runs the control plane (never a fault's victim). */
export function isControlPlane(node: KubeObject | undefined): boolean {
  return CONTROL_PLANE_LABEL in labelsOf(node);
}

/** Ready, schedulable worker nodes: where replacement pods can go. */
export function isSchedulableWorker(node: KubeObject): boolean {
  return !isControlPlane(node) && isNodeReady(node) && !node.spec?.unschedulable;
}

/** Pods a workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job) selects through its spec.selector, sorted by name. */
export function podsSelectedBy(workload: KubeObject | undefined, pods: readonly KubeObject[]): KubeObject[] {
  const selector = workload?.spec?.selector as LabelSelector | undefined;
  return pods.filter((p) => labelSelectorMatches(selector, labelsOf(p))).sort(byName);
}

/** Orders objects by name, so seeded choices are replayable. */
export function byName(a: KubeObject, b: KubeObject): number {
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

function hasTrueCondition(obj: KubeObject | undefined, type: string): boolean {
  const conditions = (obj?.status?.conditions ?? []) as Array<{ type: string; status: string }>;
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** core/v1 Toleration and Taint, the fields matching reads. */
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
export interface Taint { key: string; value?: string; effect: string }

/** v1.Toleration.ToleratesTaint: effect (empty = any), key (empty with Exists = any), Exists or Equal value. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/**
 * Tolerations every DaemonSet pod gets from its controller (pkg/controller/daemon/util): not-ready and
 * unreachable (NoExecute), disk, memory and pid pressure and unschedulable (NoSchedule) — so a
 * cordoned node keeps its daemon pod.
 */
export const DAEMONSET_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The node's NoSchedule/NoExecute taints that none of `tolerations` tolerates (PreferNoSchedule never blocks). */
export function untoleratedTaints(node: KubeObject | undefined, tolerations: readonly Toleration[]): Taint[] {
  const taints = ((node?.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return taints.filter((taint) => !tolerations.some((t) => toleratesTaint(t, taint)));
}
