/** What the cluster can do (found by preflight) and which tags need what: gaps make scenarios INCONCLUSIVE. */

/** Capabilities found by preflight; serialisable (they travel to workers as world parameters). */
export interface Capabilities {
  /** Ready, schedulable worker nodes. */
  workers: number;
  /** metrics.k8s.io answers (metrics-server installed and serving). */
  metrics: { ok: boolean; detail: string };
  /** NetworkPolicy enforcement canary result; 'not-checked' when no selected scenario needs it. */
  netpol: { state: 'enforced' | 'not-enforced' | 'unknown' | 'not-checked'; detail: string };
  /** Seconds from a node's death to the eviction of its pods (grace period + unreachable toleration); optional for older callers. */
  nodeLoss?: { evictionAfterS: number; detail: string };
}

/** Minimum workers for @node scenarios: one to lose and one to take over. A `@workers:N` tag overrides it. */
export const DEFAULT_NODE_WORKERS = 2;

/** Above this, a @node-loss scenario (pods replaced after a node dies) cannot finish in reasonable time. */
export const MAX_NODE_LOSS_EVICTION_S = 120;

/** Whether any of `tags` asks for a NetworkPolicy canary. */
export function needsNetpolCanary(tags: readonly string[]): boolean {
  return tags.includes('@isolation');
}


/** The reason a scenario with `tags` cannot run on a cluster with `caps`, or undefined when it can. */
export function inconclusiveReason(tags: readonly string[], caps: Capabilities): string | undefined {
  const reasons: string[] = [];
  if (tags.includes('@hpa') && !caps.metrics.ok) {
    reasons.push(`@hpa needs the metrics API (metrics.k8s.io), which is not available: ${caps.metrics.detail}`);
  }
  if (tags.includes('@isolation') && caps.netpol.state !== 'enforced') {
    reasons.push(`@isolation needs NetworkPolicy enforcement, but the canary says ${caps.netpol.state}: ${caps.netpol.detail}`);
  }
  const workerTag = tags.find((t) => /^@workers:\d+$/.test(t));
  if (tags.includes('@node') || workerTag) {
    const needed = workerTag ? Number(workerTag.split(':')[1]) : DEFAULT_NODE_WORKERS;
    if (caps.workers < needed) reasons.push(`${workerTag ?? '@node'} needs at least ${needed} ready worker nodes, the cluster has ${caps.workers}`);
  }
  if (tags.includes('@node-loss') && caps.nodeLoss && caps.nodeLoss.evictionAfterS > MAX_NODE_LOSS_EVICTION_S) {
    reasons.push(`@node-loss needs a dead node's pods evicted within ${MAX_NODE_LOSS_EVICTION_S}s, this cluster takes ${caps.nodeLoss.evictionAfterS}s (${caps.nodeLoss.detail}); use kind-config.yaml's shortened timings`);
  }
  return reasons.length ? reasons.join('; ') : undefined;
}
