/** "the crashed pod is restarted and ready": same pod, higher restartCount, Ready again. */
import { describePod } from '../cluster/describe.ts';
import { isPodLive, isPodReady } from '../cluster/predicates.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/**
 * Holds when pod `pod` still exists (not replaced: a new pod would have another name), its container
 * `container` restarted more than `restartsBefore` times, and the pod is Ready — and, with `reason`, the
 * container's last termination had that reason (e.g. OOMKilled).
 */
export function containerRestarted(pods: ObjectStore, namespace: string, pod: string, container: string, restartsBefore: number, reason?: string): Condition {
  return {
    subject: objectRef('Pod', pod, namespace),
    matcher: `toHaveRestarted(${container}, > ${restartsBefore}${reason ? `, ${reason}` : ''})`,
    expectation: `container ${container} restarted in place (restartCount > ${restartsBefore})${reason ? ` after ${reason}` : ''} and the pod Ready`,
    stores: [pods],
    observe() {
      const p = pods.get(pod);
      if (!p) return { ok: false, received: `pod ${pod} is gone (it was replaced, not restarted by the kubelet)` };
      const status = ((p.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number; lastState?: { terminated?: { reason?: string; exitCode?: number } } }>).find((s) => s.name === container);
      const restarts = Number(status?.restartCount ?? 0);
      const last = status?.lastState?.terminated;
      const why = last ? `, last exit ${last.exitCode} ${last.reason ?? ''}`.trimEnd() : '';
      const ok = restarts > restartsBefore && isPodReady(p) && isPodLive(p) && (!reason || last?.reason === reason);
      return { ok, received: `restartCount ${restarts}${why}; ${describePod(p)}` };
    },
  };
}
