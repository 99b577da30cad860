/** Everything the timeline records: a discriminated union on `kind` (lowercase dotted strings). */

/** Fields every timeline entry carries. */
export interface TimelineBase {
  /** Milliseconds since the scenario started (monotonic clock). */
  t: number;
  /** Wall-clock ISO timestamp, for people. */
  at: string;
}

/** The payloads, one per kind. */
export type TimelinePayload =
  | { kind: 'k8s.pod'; name: string; phase: string; ready: boolean; node?: string; reason?: string; deleted?: boolean }
  | {
    kind: 'k8s.replicaset'; name: string; desired: number; ready: number; deleted?: boolean;
    /** Name of the controlling Deployment (ownerReferences). */
    owner?: string;
    /** Annotation deployment.kubernetes.io/revision: which rollout this ReplicaSet belongs to. */
    revision?: string;
    /** Image of the first container of the pod template. */
    image?: string;
  }
  | { kind: 'k8s.deployment'; name: string; desired: number; ready: number; updated: number; available: number; deleted?: boolean }
  | {
    kind: 'k8s.hpa'; name: string; current: number; desired: number; deleted?: boolean;
    /** Average CPU utilisation the HPA last saw, in % of the pods' requests (status.currentMetrics). */
    cpuPercent?: number;
    /** Its CPU target, in % (spec.metrics[].resource.target.averageUtilization). */
    targetPercent?: number;
    /** spec.minReplicas / spec.maxReplicas. */
    min?: number;
    max?: number;
  }
  | { kind: 'k8s.node'; name: string; ready: boolean; unschedulable: boolean }
  | { kind: 'k8s.event'; type: string; reason: string; object: string; message: string }
  | { kind: 'fault.injected'; fault: string; target: string; detail?: string }
  | { kind: 'fault.reverted'; fault: string; target: string; ok: boolean; detail?: string }
  | { kind: 'load.started'; target: string; detail?: string }
  | { kind: 'load.stopped'; target: string; detail?: string }
  /**
   * One second of load on `target`: `second` is the 0-based index of the one-second bucket counted
   * from that target's `load.started` (so the chart places it at load start + second, whenever the
   * entry was recorded). Many per scenario: not shown in textual excerpts (see EXCERPTED).
   */
  | { kind: 'load.second'; target: string; second: number; requests: number; errors: number; p95Ms?: number }
  | { kind: 'condition.met'; subject: string; expectation: string; latencyMs?: number }
  | { kind: 'condition.failed'; subject: string; expectation: string }
  | { kind: 'recovered'; fault: string; subject: string; expectation: string; afterMs: number }
  | { kind: 'watch.lost'; store: string; detail: string }
  | { kind: 'marker'; label: string };

/** One recorded entry. */
export type TimelineEvent = TimelineBase & TimelinePayload;

/** The kinds, as a union. */
export type TimelineKind = TimelinePayload['kind'];

function rolloutNote(e: { revision?: string; image?: string }): string {
  const parts = [e.revision ? `rev ${e.revision}` : '', e.image ?? ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** One formatter per kind: the mapped type makes the compiler demand a line for every new kind. */
const FORMAT: { [K in TimelineKind]: (e: Extract<TimelineEvent, { kind: K }>) => string } = {
  'k8s.pod': (e) => e.deleted ? `pod/${e.name} deleted` : `pod/${e.name} ${e.phase}/${e.ready ? 'Ready' : 'NotReady'}${e.reason ? ` (${e.reason})` : ''}${e.node ? ` on ${e.node}` : ''}`,
  'k8s.replicaset': (e) => e.deleted ? `replicaset/${e.name} deleted` : `replicaset/${e.name} ${e.ready}/${e.desired} ready${rolloutNote(e)}`,
  'k8s.deployment': (e) => e.deleted ? `deployment/${e.name} deleted` : `deployment/${e.name} ${e.ready}/${e.desired} ready, ${e.updated} updated, ${e.available} available`,
  'k8s.hpa': (e) => e.deleted ? `hpa/${e.name} deleted` : `hpa/${e.name} current ${e.current}, desired ${e.desired}${e.cpuPercent !== undefined || e.targetPercent !== undefined ? `, cpu ${e.cpuPercent ?? '?'}%/${e.targetPercent ?? '?'}%` : ''}`,
  'k8s.node': (e) => `node/${e.name} ${e.ready ? 'Ready' : 'NotReady'}${e.unschedulable ? ',SchedulingDisabled' : ''}`,
  'k8s.event': (e) => `${e.reason} ${e.object}: ${e.message}`,
  'fault.injected': (e) => `${e.fault} ${e.target}${e.detail ? ` (${e.detail})` : ''}`,
  'fault.reverted': (e) => `${e.fault} ${e.target} ${e.ok ? 'undone' : 'undo FAILED'}${e.detail ? ` (${e.detail})` : ''}`,
  'load.started': (e) => `load on ${e.target}${e.detail ? ` (${e.detail})` : ''}`,
  'load.stopped': (e) => `load on ${e.target} stopped${e.detail ? ` (${e.detail})` : ''}`,
  'load.second': (e) => `load on ${e.target} second ${e.second}: ${e.requests} requests, ${e.errors} errors${e.p95Ms !== undefined ? `, p95 ${Math.round(e.p95Ms)}ms` : ''}`,
  'condition.met': (e) => `${e.subject}: ${e.expectation}${e.latencyMs !== undefined ? ` (seen ${e.latencyMs.toFixed(1)}ms after the change)` : ''}`,
  'condition.failed': (e) => `${e.subject}: ${e.expectation} NOT met`,
  recovered: (e) => `recovered from ${e.fault} after ${(e.afterMs / 1000).toFixed(1)}s (${e.subject}: ${e.expectation})`,
  'watch.lost': (e) => `watch of ${e.store} interrupted, reconnecting: ${e.detail}`,
  marker: (e) => e.label,
};

/**
 * Whether entries of a kind belong in textual excerpts (failure messages, step logs). Kinds recorded
 * many times a second or per second (load.second) would push the transitions a reader needs out of a
 * 15-line excerpt; they stay in timeline.json and the chart. The mapped type makes every new kind decide.
 */
const EXCERPTED: { readonly [K in TimelineKind]: boolean } = {
  'k8s.pod': true,
  'k8s.replicaset': true,
  'k8s.deployment': true,
  'k8s.hpa': true,
  'k8s.node': true,
  'k8s.event': true,
  'fault.injected': true,
  'fault.reverted': true,
  'load.started': true,
  'load.stopped': true,
  'load.second': false,
  'condition.met': true,
  'condition.failed': true,
  recovered: true,
  'watch.lost': true,
  marker: true,
};

/** True when the entry belongs in textual excerpts (`Timeline.excerpt` skips the others). */
export function isExcerptable(event: TimelineEvent): boolean {
  return EXCERPTED[event.kind];
}

/** One readable line for an entry (without its time). */
export function describeEvent(event: TimelineEvent): string {
  const format = FORMAT[event.kind] as (e: TimelineEvent) => string;
  return format(event);
}
