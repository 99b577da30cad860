/**
 * Checks after a probe fault (faults/probe-block.ts, or the app's own switch: faults/app-switch.ts):
 * Kubernetes must take the pod out of the Service
 * without restarting it (readiness), or restart it in place (liveness), while the Service keeps
 * answering from the others.
 */
import { objectRef } from '../cluster/kinds.ts';
import { isControlPlane } from '../cluster/predicates.ts';
import { containerRestarted } from '../conditions/container-restarted.ts';
import type { RecoveryResult, StepDuration } from '../conditions/expect.ts';
import type { WaitResult } from '../conditions/engine.ts';
import { containerNotRestarted, livenessWindowMs } from '../conditions/not-restarted.ts';
import { podOutOfEndpoints } from '../conditions/out-of-endpoints.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, FaultError, InputError } from '../failure/failure.ts';
import type { BlockedProbe } from '../faults/probe-block.ts';
import type { ProbedPod, ProbeKind } from '../faults/probe-target.ts';

/** How long the Service may take to route as its EndpointSlices say (kube-proxy's sync delay). */
export const PROPAGATION_MS = 10_000;
/** After the liveness probe's window, how long its kill may take to show as an Event. */
const LIVENESS_SLACK_MS = 2_000;
/** How long the liveness check waits for the block to be lifted after the restart (the After hook retries after that). */
const LIFT_WAIT_MS = 15_000;

/** Probe checks' entry points. */
export interface ProbeOps {
  /** The switched pod leaves the Service's ready endpoints within T and is not restarted meanwhile. */
  expectLeavesEndpoints(service: string, within: StepDuration): Promise<WaitResult>;
  /** The switched pod's container is restarted in place (same pod) and Ready within T. */
  expectRestartedByLiveness(within: StepDuration): Promise<RecoveryResult>;
  /** `count` requests in a row to the Service's ClusterIP all answer 2xx, none from the switched pod. */
  expectServiceAnswersFromOthers(service: string, count: number): Promise<string>;
}

/** The node the runner sends in-cluster requests from: the control plane, never a fault's victim. */
async function controlPlaneNode(deps: ScenarioDeps): Promise<string> {
  await deps.view.ready();
  const cp = deps.view.nodes.list().find(isControlPlane);
  if (!cp?.metadata?.name) throw new FaultError('no control-plane node found to send requests from');
  return cp.metadata.name;
}

/** Builds the checks; `propagationMs` is injectable for unit tests. */
export function createProbeOps(deps: ScenarioDeps, propagationMs = PROPAGATION_MS): ProbeOps {
  const { view, timeline } = deps;
  const ns = view.namespace;
  const need = (probe: ProbeKind): ProbedPod & Partial<BlockedProbe> => {
    const s = deps.faults.last(['probe-block', 'app-switch'], `one pod of deployment "…" ${probe === 'readiness' ? 'stops being ready' : 'becomes unhealthy'}`);
    if (s.probe !== probe) throw new InputError(`the pod switched off earlier in this scenario had its ${s.probe} switched off, not its ${probe}`);
    return s;
  };
  const restartsNow = (s: ProbedPod): number => Number(((view.pods.get(s.pod)?.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number }>).find((c) => c.name === s.container)?.restartCount ?? s.restartsBefore);
  const hinted = (hint: string) => (err: unknown): never => { throw err instanceof ConditionError ? err.withHint(hint) : err; };

  return {
    async expectLeavesEndpoints(service, within) {
      const s = need('readiness');
      if (!(await deps.client.get('Service', service, ns))) throw new InputError(`no service "${service}" in namespace ${ns}`);
      const slices = deps.client.watch('EndpointSlice', ns, `kubernetes.io/service-name=${service}`);
      try {
        const result = await deps.expect.eventually(podOutOfEndpoints(slices, ns, service, s.pod), within).catch(hinted(s.hasProbe
          ? `pod ${s.pod} has a readinessProbe${s.blocked ? ` (${s.blocked} dropped)` : ''}: do its periodSeconds × failureThreshold fit in ${within.text}, and is it checking the path the fault ${s.blocked ? 'dropped' : 'switched off'}? (kubectl describe pod ${s.pod} -n ${ns})`
          : 'the container has no readinessProbe, so Kubernetes never learns the pod stopped being ready and keeps sending it traffic: add one (kubectl explain pod.spec.containers.readinessProbe)'));
        const base = { subject: objectRef('Pod', s.pod, ns), since: result.t, attempts: { count: result.attempts, lastT: timeline.offsetNow() }, timeline: { title: 'Timeline', lines: timeline.excerpt(0) } };
        if (!view.pods.get(s.pod)) {
          throw new ConditionError({
            ...base, matcher: 'toStillExist()',
            expected: `pod ${s.pod} taken out of service ${service} and kept (not replaced)`,
            received: `pod ${s.pod} is gone: it was deleted or replaced, so leaving the endpoints proves nothing about readiness`,
            hint: `look for evictions or a liveness restart that replaced the pod (kubectl get events -n ${ns})`,
          });
        }
        const restartHint = s.alsoFails
          ? `${s.alsoFails.replace(/^the/, 'the pod\'s')}: a pod that is only not ready (busy, waiting for a dependency) is then killed. Give the liveness probe its own path that only checks the process is alive`
          : 'does the livenessProbe check the same thing as the readinessProbe? A pod that is only busy must not be killed';
        const restarts = restartsNow(s);
        if (restarts > s.restartsBefore) {
          throw new ConditionError({
            ...base, matcher: 'not.toHaveRestarted()',
            expected: `pod ${s.pod} taken out of service ${service} WITHOUT a restart (restartCount stays ${s.restartsBefore})`,
            received: `restartCount ${restarts}: the container was restarted, not just taken out of the Service`,
            hint: restartHint,
          });
        }
        // "Without a restart" must give the liveness probe the time it needs to act: a pod left in place
        // for that long was not killed for being only unready. The kubelet's kill shows as an Event at
        // once; restartCount moves only after the container stopped (its grace period can be long).
        const container = ((view.pods.get(s.pod)?.spec?.containers ?? []) as Array<{ name: string; livenessProbe?: { periodSeconds?: number; failureThreshold?: number; timeoutSeconds?: number } }>).find((c) => c.name === s.container);
        const fault = timeline.last('fault.injected', (e) => e.target === `pod/${s.pod}`);
        const faultT = fault?.t ?? result.t;
        const notRestarted = containerNotRestarted(view.pods, ns, s.pod, s.container, s.restartsBefore, { store: view.events, sinceWallMs: fault ? Date.parse(fault.at) : Date.now() });
        const remaining = faultT + livenessWindowMs(container) + LIVENESS_SLACK_MS - timeline.offsetNow();
        await (remaining > 0
          ? deps.expect.throughout(notRestarted, { ms: remaining, text: `${(remaining / 1000).toFixed(1)} seconds (until its liveness probe could have acted)` })
          : deps.expect.now(notRestarted)).catch(hinted(restartHint));
        return result;
      } finally {
        await slices.stop().catch(() => undefined);
      }
    },

    async expectRestartedByLiveness(within) {
      const s = need('liveness');
      const result = await deps.expect.eventually(containerRestarted(view.pods, ns, s.pod, s.container, s.restartsBefore), within).catch(hinted(s.hasProbe
        ? `pod ${s.pod} has a livenessProbe: do its path, port, periodSeconds × failureThreshold fit in ${within.text}? (kubectl describe pod ${s.pod} -n ${ns})`
        : 'the container has no livenessProbe, so a hung app is never restarted: add one (kubectl explain pod.spec.containers.livenessProbe)'));
      // The block is lifted at the restart (a restarted app answers again): wait for that lift (a docker
      // exec on the node) so it is on the timeline before the step ends, not raced by the After hook.
      if (s.lifted) await Promise.race([s.lifted, new Promise((r) => setTimeout(r, LIFT_WAIT_MS).unref())]);
      return result;
    },

    async expectServiceAnswersFromOthers(service, count) {
      const s = need('readiness');
      const svc = await deps.client.get('Service', service, ns);
      const ip = svc?.spec?.clusterIP as string | undefined;
      const port = (svc?.spec?.ports as Array<{ port: number }> | undefined)?.[0]?.port;
      if (!ip || ip === 'None' || !port) throw new InputError(`service "${service}" in namespace ${ns} has no ClusterIP and port to send requests to`);
      const node = await controlPlaneNode(deps);
      const started = timeline.offsetNow();
      // kube-proxy applies a Service or EndpointSlice change a moment after it is published: until N
      // answers in a row come 2xx from the other pods, batches are repeated for up to propagationMs and
      // what went wrong meanwhile is reported, never hidden.
      let reachedUnready = 0;
      let failedBefore = 0;
      for (let batch = 1; ; batch++) {
        const answers = await deps.nodes.getMany(node, `http://${ip}:${port}/`, count);
        const failed = answers.filter((a) => a.status < 200 || a.status >= 300);
        const fromSwitched = answers.filter((a) => a.body.includes(`"${s.pod}"`)).length;
        const elapsed = timeline.offsetNow() - started;
        const tally = `${answers.length - failed.length}/${count} answered 2xx, ${fromSwitched} by ${s.pod}`;
        if (answers.length === count && !failed.length && !fromSwitched) {
          const late = [
            reachedUnready ? `${reachedUnready} earlier request(s) still reached ${s.pod}` : '',
            failedBefore ? `${failedBefore} earlier request(s) failed` : '',
          ].filter(Boolean).join(', ');
          const note = late ? `; ${late} during the first ${(elapsed / 1000).toFixed(1)}s (kube-proxy catching up)` : '';
          timeline.record({ kind: 'condition.met', subject: objectRef('Service', service, ns), expectation: `answers from the other pods: ${tally}${note}` });
          return `${tally}${note}`;
        }
        reachedUnready += fromSwitched;
        failedBefore += failed.length + (count - answers.length);
        if (elapsed >= propagationMs) {
          throw new ConditionError({
            subject: objectRef('Service', service, ns), matcher: `toAnswerFromOthers(${count})`,
            expected: `${count} requests in a row to ${ip}:${port} answered 2xx, none by the unready pod ${s.pod} (within ${propagationMs / 1000}s for kube-proxy to catch up)`,
            received: `last ${count}: ${tally}${failed.length ? `; failures: ${failed.slice(0, 3).map((a) => `HTTP ${a.status || 'no answer'}`).join(', ')}` : ''} (batch ${batch}, ${(elapsed / 1000).toFixed(1)}s after the first; ${failedBefore} failed and ${reachedUnready} reached ${s.pod} in all)`,
            since: timeline.offsetNow(),
            attempts: { count: batch, lastT: timeline.offsetNow() },
            hint: failed.length ? `the other pods did not all answer: kubectl get endpointslices -n ${ns}` : 'the unready pod still gets traffic: is it still listed in the EndpointSlices?',
          });
        }
      }
    },
  };
}
