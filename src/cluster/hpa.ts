/**
 * HorizontalPodAutoscaler (autoscaling/v2), read the way its controller reports itself: what it wants
 * (desiredReplicas), what it has (currentReplicas), the CPU utilisation it saw against its target, and
 * its three conditions (AbleToScale, ScalingActive, ScalingLimited), whose messages are the cluster's own
 * words for why it does not scale.
 */
import type { KubeObject } from './types.ts';

interface HpaCondition { type: string; status: string; reason?: string; message?: string }

/** What the HPA says about itself, as numbers and its conditions. */
export interface HpaState {
  min: number;
  max: number;
  current: number;
  desired: number;
  /** Average CPU utilisation in % of the pods' requests, when the HPA has a reading. */
  cpuPercent: number | undefined;
  targetPercent: number | undefined;
  conditions: HpaCondition[];
  target: { kind: string; name: string } | undefined;
}

/** Reads an HPA object. */
export function hpaState(hpa: KubeObject): HpaState {
  const cpuMetric = ((hpa.spec?.metrics ?? []) as Array<{ type: string; resource?: { name: string; target?: { averageUtilization?: number } } }>)
    .find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const cpuNow = ((hpa.status?.currentMetrics ?? []) as Array<{ type: string; resource?: { name: string; current?: { averageUtilization?: number } } }>)
    .find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
  const ref = hpa.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
  return {
    min: Number(hpa.spec?.minReplicas ?? 1),
    max: Number(hpa.spec?.maxReplicas ?? 0),
    current: Number(hpa.status?.currentReplicas ?? 0),
    desired: Number(hpa.status?.desiredReplicas ?? 0),
    cpuPercent: cpuNow === undefined ? undefined : Number(cpuNow),
    targetPercent: cpuMetric?.resource?.target?.averageUtilization,
    conditions: (hpa.status?.conditions ?? []) as HpaCondition[],
    target: ref?.name ? { kind: ref.kind ?? 'Deployment', name: ref.name } : undefined,
  };
}

/** "desired 3, current 3, CPU 12% of 50% target". */
export function describeHpa(s: HpaState): string {
  const cpu = s.cpuPercent === undefined ? 'no CPU reading yet' : `CPU ${s.cpuPercent}% of ${s.targetPercent ?? '?'}% target`;
  return `desired ${s.desired}, current ${s.current} (min ${s.min}, max ${s.max}), ${cpu}`;
}

function condition(s: HpaState, type: string): HpaCondition | undefined {
  return s.conditions.find((c) => c.type === type);
}

/**
 * Why the HPA does not (or cannot) scale further, in its own words, when its conditions say so:
 * metrics it cannot read (ScalingActive False, e.g. "missing request for cpu"), a bound it hit
 * (ScalingLimited True: TooManyReplicas → "capped at N by maxReplicas"), a scale it cannot do (AbleToScale False).
 */
export function hpaBlocked(s: HpaState): { cause: string; kind: 'metrics' | 'capped' | 'unable' | 'floor' } | undefined {
  const active = condition(s, 'ScalingActive');
  if (active?.status === 'False') return { kind: 'metrics', cause: `HPA ${active.reason ?? 'ScalingActive=False'}: ${active.message ?? ''}`.trim() };
  const able = condition(s, 'AbleToScale');
  if (able?.status === 'False') return { kind: 'unable', cause: `HPA ${able.reason ?? 'AbleToScale=False'}: ${able.message ?? ''}`.trim() };
  const limited = condition(s, 'ScalingLimited');
  if (limited?.status === 'True' && limited.reason === 'TooManyReplicas') return { kind: 'capped', cause: `capped at ${s.max} by maxReplicas: ${limited.message ?? 'the desired replica count is more than the maximum replica count'} (HPA ScalingLimited)` };
  if (limited?.status === 'True' && limited.reason === 'TooFewReplicas') return { kind: 'floor', cause: `held at ${s.min} by minReplicas: ${limited.message ?? ''} (HPA ScalingLimited)`.trim() };
  return undefined;
}

/** The HPA cannot read its metric because the pods ask for no CPU: the student's spec, not the environment. */
export function missingRequest(s: HpaState): boolean {
  const active = condition(s, 'ScalingActive');
  return active?.status === 'False' && /missing request for cpu/i.test(active.message ?? '');
}

/** The HPA cannot read its metric because the metrics API does not serve it: the environment. */
export function metricsApiMissing(s: HpaState): boolean {
  const active = condition(s, 'ScalingActive');
  return active?.status === 'False' && /unable to fetch metrics from resource metrics API|could not find the requested resource|metrics\.k8s\.io/i.test(active.message ?? '');
}
