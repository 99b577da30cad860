/**
 * Graceful shutdown: after "I delete the pods of … one by one", each pod must have stopped within its
 * terminationGracePeriodSeconds — a pod still there at the end of its grace period is SIGKILLed, and the
 * requests it was serving are cut. (Failed requests under load are judged by the load steps.)
 */
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError } from '../failure/failure.ts';

/** Slack for the kubelet's SIGKILL and the API's deletion to reach the watch after the grace period. */
const KILL_SLACK_MS = 2_000;

/** Shutdown steps' entry points. */
export interface ShutdownOps {
  expectStoppedWithinGrace(): Promise<string>;
}

/** Builds the shutdown checks of one scenario. */
export function createShutdownOps(deps: ScenarioDeps): ShutdownOps {
  return {
    async expectStoppedWithinGrace() {
      const { workload, stopped } = deps.faults.last(['pods-one-by-one'], 'I delete the pods of deployment "…" one by one');
      const show = (s: (typeof stopped)[number]): string => `${s.pod} gone after ${(s.goneAfterMs / 1000).toFixed(1)}s (grace ${s.graceS}s)`;
      const late = stopped.filter((s) => s.goneAfterMs > s.graceS * 1000 + KILL_SLACK_MS);
      if (late.length) {
        throw new ConditionError({
          subject: `pods of ${workload} in namespace ${deps.view.namespace}`, matcher: 'toStopWithinGracePeriod()',
          expected: 'every deleted pod gone within its terminationGracePeriodSeconds (it finished its work after SIGTERM and exited)',
          received: stopped.map(show).join(', '),
          cause: `${late.map((s) => s.pod).join(', ')} outlived the grace period, so the kubelet killed ${late.length === 1 ? 'it' : 'them'} with SIGKILL`,
          hint: 'the app must exit by itself on SIGTERM once its in-flight requests are done (a shell as PID 1 does not pass signals on: use exec), or the grace period is too short for its work',
        });
      }
      return `every pod stopped within its grace period: ${stopped.map(show).join(', ')}`;
    },
  };
}
