/** "… without a restart": the same pod, its container's restartCount not above what it was before the fault. */
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/** Holds while pod `pod` exists and its container `container` restarted no more than `restartsBefore` times. */
export function containerNotRestarted(pods: ObjectStore, namespace: string, pod: string, container: string, restartsBefore: number): Condition {
  return {
    subject: objectRef('Pod', pod, namespace),
    matcher: `not.toHaveRestarted(${container})`,
    expectation: `container ${container} of pod ${pod} not restarted (restartCount stays ${restartsBefore})`,
    stores: [pods],
    observe() {
      const p = pods.get(pod);
      if (!p) return { ok: false, received: `pod ${pod} is gone (deleted or replaced)` };
      const status = ((p.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number; lastState?: { terminated?: { reason?: string; exitCode?: number } } }>).find((s) => s.name === container);
      const restarts = Number(status?.restartCount ?? 0);
      const last = status?.lastState?.terminated;
      return { ok: restarts <= restartsBefore, received: `restartCount ${restarts}${last ? `, last exit ${last.exitCode} ${last.reason ?? ''}`.trimEnd() : ''}` };
    },
  };
}

/**
 * How long a container's liveness probe needs to act once its checks start failing
 * (periodSeconds × failureThreshold + timeoutSeconds, with Kubernetes' defaults), or 0 without one.
 */
export function livenessWindowMs(container: { livenessProbe?: { periodSeconds?: number; failureThreshold?: number; timeoutSeconds?: number } } | undefined): number {
  const probe = container?.livenessProbe;
  if (!probe) return 0;
  return ((probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) + (probe.timeoutSeconds ?? 1)) * 1000;
}
