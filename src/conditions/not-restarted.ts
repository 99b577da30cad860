/** "… without a restart": the same pod, its container neither restarted nor being killed by its liveness probe. */
import { objectRef } from '../cluster/kinds.ts';
import type { KubeObject, ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/** The kubelet's Event when a liveness probe gave up on a container ("Container web failed liveness probe, will be restarted"). */
function livenessKill(events: readonly KubeObject[], pod: string, container: string, sinceWallMs: number): KubeObject | undefined {
  // Event times have whole seconds: one from the second the fault began counts.
  const since = Math.floor(sinceWallMs / 1000) * 1000;
  return events.find((e) => {
    const involved = e.involvedObject as { kind?: string; name?: string; fieldPath?: string } | undefined;
    if (e.reason !== 'Killing' || involved?.kind !== 'Pod' || involved.name !== pod) return false;
    if (involved.fieldPath && involved.fieldPath !== `spec.containers{${container}}`) return false;
    if (!/failed liveness probe/i.test(String(e.message ?? ''))) return false;
    return Date.parse(String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '')) >= since;
  });
}

/**
 * Holds while pod `pod` exists, its container `container` restarted no more than `restartsBefore` times and,
 * when `events` is given, the kubelet has not started killing it for a failed liveness probe since
 * `sinceWallMs` (the kill is an Event at once; restartCount moves only once the container has stopped,
 * which a graceful shutdown can put off by up to terminationGracePeriodSeconds).
 */
export function containerNotRestarted(pods: ObjectStore, namespace: string, pod: string, container: string, restartsBefore: number, events?: { store: ObjectStore; sinceWallMs: number }): Condition {
  return {
    subject: objectRef('Pod', pod, namespace),
    matcher: `not.toHaveRestarted(${container})`,
    expectation: `container ${container} of pod ${pod} not restarted (restartCount stays ${restartsBefore})`,
    stores: events ? [pods, events.store] : [pods],
    observe() {
      const p = pods.get(pod);
      if (!p) return { ok: false, received: `pod ${pod} is gone (deleted or replaced)` };
      const status = ((p.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number; lastState?: { terminated?: { reason?: string; exitCode?: number } } }>).find((s) => s.name === container);
      const restarts = Number(status?.restartCount ?? 0);
      const last = status?.lastState?.terminated;
      if (restarts > restartsBefore) return { ok: false, received: `restartCount ${restarts}${last ? `, last exit ${last.exitCode} ${last.reason ?? ''}`.trimEnd() : ''}` };
      const kill = events ? livenessKill(events.store.list(), pod, container, events.sinceWallMs) : undefined;
      if (kill) return { ok: false, received: `restartCount ${restarts}, but the kubelet is restarting it: "${String(kill.message)}"` };
      return { ok: true, received: `restartCount ${restarts}` };
    },
    about: () => [`pod/${pod}`],
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
