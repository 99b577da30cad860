/**
 * What the cluster can do (found by preflight) and what a scenario needs from it: gaps make scenarios
 * INCONCLUSIVE. Needs follow from the steps a scenario uses (the fault its step definitions inject, or
 * the step's text); tags remain an override (`@workers:N` sets the worker count; `@hpa`, `@isolation`,
 * `@node`, `@node-loss` add their need even without such a step).
 */
import type { FaultName } from './faults/registry.ts';

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
  /** The ingress controller @ingress scenarios route through (testbed/ingress.sh); optional for older callers. */
  ingress?: { ok: boolean; detail: string };
}

/** What one scenario needs from the cluster; each need names what asked for it (a tag, or `the step "…"`). */
export interface Needs {
  /** At least `count` ready, schedulable workers. */
  workers?: { count: number; because: string };
  /** A dead node's pods evicted within MAX_NODE_LOSS_EVICTION_S. */
  nodeLoss?: string;
  /** The metrics API (HPA). */
  metrics?: string;
  /** NetworkPolicy enforcement. */
  netpol?: string;
  /** The ingress controller on 127.0.0.1:30100 (testbed/ingress.sh). */
  ingress?: string;
}

/** A step as the derivation sees it: its text and, when its definition injects one, the fault's name. */
export interface StepFacts {
  text: string;
  fault?: string | undefined;
}

/** Minimum workers for node faults and @node scenarios: one to lose and one to take over. A `@workers:N` tag overrides it. */
export const DEFAULT_NODE_WORKERS = 2;

/** Above this, a node-loss scenario (pods replaced after a node dies) cannot finish in reasonable time. */
export const MAX_NODE_LOSS_EVICTION_S = 120;

type Need = 'workers' | 'nodeLoss' | 'netpol';

/** What each fault needs from the cluster (faults not listed need nothing special). */
export const FAULT_NEEDS: Partial<Record<FaultName, readonly Need[]>> = {
  'node-cordon': ['workers'],
  'node-drain': ['workers'],
  'node-pause': ['workers', 'nodeLoss'],
  'kubelet-stop': ['workers', 'nodeLoss'],
  // A cut-off is a NetworkPolicy: on a cluster that does not enforce them it changes nothing.
  'namespace-cutoff': ['netpol'],
};

/** Steps that need a capability by what they check rather than by a fault they inject. */
const STEP_NEEDS: ReadonlyArray<{ text: RegExp; need: 'metrics' | 'netpol' | 'ingress' }> = [
  { text: /routes through the ingress:?$/, need: 'ingress' },
  { text: /^network access is:?$/, need: 'netpol' },
  { text: /\bHPA "[^"]*"/, need: 'metrics' },
];

/** The needs of a scenario with `tags` and `steps`: derived from the steps, then overridden by tags. */
export function needsOf(tags: readonly string[], steps: readonly StepFacts[]): Needs {
  const needs: Needs = {};
  for (const step of steps) {
    const because = `the step "${step.text}"`;
    for (const need of FAULT_NEEDS[step.fault as FaultName] ?? []) {
      if (need === 'workers') needs.workers ??= { count: DEFAULT_NODE_WORKERS, because };
      else needs[need] ??= because;
    }
    for (const { text, need } of STEP_NEEDS) if (text.test(step.text)) needs[need] ??= because;
  }
  // Tags override: they name the need themselves, and @workers:N sets the count (lower or higher).
  if (tags.includes('@hpa')) needs.metrics = '@hpa';
  if (tags.includes('@isolation')) needs.netpol = '@isolation';
  if (tags.includes('@ingress')) needs.ingress = '@ingress';
  if (tags.includes('@node-loss')) needs.nodeLoss = '@node-loss';
  if (tags.includes('@node')) needs.workers = { count: DEFAULT_NODE_WORKERS, because: '@node' };
  const workerTag = tags.find((t) => /^@workers:\d+$/.test(t));
  if (workerTag) needs.workers = { count: Number(workerTag.split(':')[1]), because: workerTag };
  return needs;
}

/** The needs in a few words, for the dry run ("" when a scenario needs nothing special). */
export function describeNeeds(needs: Needs): string {
  return [
    needs.workers && `${needs.workers.count} ready worker${needs.workers.count === 1 ? '' : 's'}`,
    needs.nodeLoss && `a dead node's pods evicted within ${MAX_NODE_LOSS_EVICTION_S}s`,
    needs.metrics && 'the metrics API',
    needs.netpol && 'NetworkPolicy enforcement',
    needs.ingress && 'the ingress controller',
  ].filter(Boolean).join(', ');
}

/** Whether any of the scenarios' needs asks for the NetworkPolicy canary. */
export function needsNetpolCanary(needs: readonly Needs[]): boolean {
  return needs.some((n) => n.netpol !== undefined);
}


/** The reason a scenario with `needs` cannot run on a cluster with `caps`, or undefined when it can. */
export function inconclusiveReason(needs: Needs, caps: Capabilities): string | undefined {
  const reasons: string[] = [];
  if (needs.metrics && !caps.metrics.ok) {
    reasons.push(`${needs.metrics} needs the metrics API (metrics.k8s.io), which is not available: ${caps.metrics.detail}`);
  }
  if (needs.netpol && caps.netpol.state !== 'enforced') {
    reasons.push(`${needs.netpol} needs NetworkPolicy enforcement, but the canary says ${caps.netpol.state}: ${caps.netpol.detail}`);
  }
  if (needs.ingress && !caps.ingress?.ok) {
    reasons.push(`${needs.ingress} needs an ingress controller on 127.0.0.1:30100: ${caps.ingress?.detail ?? 'not checked'}`);
  }
  if (needs.workers && caps.workers < needs.workers.count) {
    reasons.push(`${needs.workers.because} needs at least ${needs.workers.count} ready worker nodes, the cluster has ${caps.workers}`);
  }
  if (needs.nodeLoss && caps.nodeLoss && caps.nodeLoss.evictionAfterS > MAX_NODE_LOSS_EVICTION_S) {
    reasons.push(`${needs.nodeLoss} needs a dead node's pods evicted within ${MAX_NODE_LOSS_EVICTION_S}s, this cluster takes ${caps.nodeLoss.evictionAfterS}s (${caps.nodeLoss.detail}); use kind-config.yaml's shortened timings`);
  }
  return reasons.length ? reasons.join('; ') : undefined;
}
