/**
 * Probe operations of one scenario: one pod's app stops being ready or becomes unhealthy
 * (faults/app-switch.ts); then Kubernetes must take it out of the Service without restarting it
 * (readiness), or restart it in place (liveness), while the Service keeps answering from the others.
 */
import { nodeCurlGetMany, nodeCurlPost } from '../cluster/kind-node-http.ts';
import type { NodeGetMany, NodePost } from '../cluster/kind-node-http.ts';
import { objectRef } from '../cluster/kinds.ts';
import { CONDITION_STEP_CAP_MS } from '../config/defaults.ts';
import { containerRestarted } from '../conditions/container-restarted.ts';
import { resolveBudget } from '../conditions/deadline.ts';
import { eventually } from '../conditions/engine.ts';
import type { EngineContext, WaitResult } from '../conditions/engine.ts';
import { ConditionError } from '../conditions/failure-message.ts';
import { podOutOfEndpoints } from '../conditions/out-of-endpoints.ts';
import { switchProbeOff } from '../faults/app-switch.ts';
import type { ProbeKind, SwitchedPod } from '../faults/app-switch.ts';
import type { FaultContext, FaultOutcome } from '../faults/fault.ts';
import { timeToRecover } from '../timeline/timeline.ts';

type Within = { ms: number; text: string };

/** How long the Service may take to route as its EndpointSlices say (kube-proxy's sync delay). */
export const PROPAGATION_MS = 10_000;

/** Probe steps' entry points. */
export interface ProbeOps {
  switchOff(deployment: string, probe: ProbeKind): Promise<FaultOutcome>;
  /** The switched pod leaves the Service's ready endpoints within T and is not restarted meanwhile. */
  expectLeavesEndpoints(service: string, within: Within): Promise<WaitResult>;
  /** The switched pod's container is restarted in place (same pod) and Ready within T. */
  expectRestartedByLiveness(within: Within): Promise<WaitResult & { timeToRecoverMs: number | undefined }>;
  /** `count` requests in a row to the Service's ClusterIP all answer 2xx, none from the switched pod. */
  expectServiceAnswersFromOthers(service: string, count: number): Promise<string>;
}

/** The node the runner sends in-cluster requests from: the control plane, never a fault's victim. */
async function controlPlaneNode(fault: FaultContext): Promise<string> {
  await fault.view.ready();
  const cp = fault.view.nodes.list().find((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}));
  if (!cp?.metadata?.name) throw new Error('no control-plane node found to send requests from');
  return cp.metadata.name;
}

/** Adds a hint line to a condition failure. */
function withHint(err: unknown, hint: string): unknown {
  return err instanceof ConditionError ? new ConditionError({ ...err.details, verdictLine: `${err.details.verdictLine}\nHint:     ${hint}` }) : err;
}

export function createProbes(fault: FaultContext, engine: EngineContext, post: NodePost = nodeCurlPost, getMany: NodeGetMany = nodeCurlGetMany, propagationMs = PROPAGATION_MS): ProbeOps {
  let switched: SwitchedPod | undefined;
  const need = (probe: ProbeKind): SwitchedPod => {
    if (!switched || switched.probe !== probe) {
      throw new Error(`no pod was switched off earlier in this scenario (use "When one pod of deployment … ${probe === 'readiness' ? 'stops being ready' : 'becomes unhealthy'}" first)`);
    }
    return switched;
  };
  const restartsNow = (s: SwitchedPod): number => Number(((fault.view.pods.get(s.pod)?.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number }>).find((c) => c.name === s.container)?.restartCount ?? s.restartsBefore);

  return {
    async switchOff(deployment, probe) {
      const outcome = await switchProbeOff(fault, deployment, probe, post);
      switched = outcome.switched;
      return outcome;
    },

    async expectLeavesEndpoints(service, within) {
      const s = need('readiness');
      const ns = fault.view.namespace;
      if (!(await fault.client.get('Service', service, ns))) throw new Error(`no service "${service}" in namespace ${ns}`);
      const slices = fault.client.watch('EndpointSlice', ns, `kubernetes.io/service-name=${service}`);
      try {
        await slices.ready;
        const budget = resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS);
        const result = await eventually(podOutOfEndpoints(slices, ns, service, s.pod), budget, engine).catch((err: unknown) => {
          throw withHint(err, s.hasProbe
            ? `pod ${s.pod} has a readinessProbe: is it checking the path the app switched off? (kubectl describe pod ${s.pod} -n ${ns})`
            : `the container has no readinessProbe, so Kubernetes never learns the pod stopped being ready and keeps sending it traffic: add one (kubectl explain pod.spec.containers.readinessProbe)`);
        });
        if (!fault.view.pods.get(s.pod)) {
          throw new ConditionError({
            subject: objectRef('Pod', s.pod, ns), matcher: 'toStillExist()',
            expected: `pod ${s.pod} taken out of service ${service} and kept (not replaced)`,
            received: `pod ${s.pod} is gone: it was deleted or replaced, so leaving the endpoints proves nothing about readiness`,
            lastChangeT: result.t, verdictLine: 'Hint:     look for evictions or a liveness restart that replaced the pod (kubectl get events -n ' + ns + ')',
            attempts: result.attempts, lastObservationT: fault.timeline.offsetNow(), timeline: fault.timeline.excerpt(0, 15), timelineTitle: 'Timeline',
          });
        }
        const restarts = restartsNow(s);
        if (restarts > s.restartsBefore) {
          throw new ConditionError({
            subject: objectRef('Pod', s.pod, ns), matcher: 'not.toHaveRestarted()',
            expected: `pod ${s.pod} taken out of service ${service} WITHOUT a restart (restartCount stays ${s.restartsBefore})`,
            received: `restartCount ${restarts}: the container was restarted, not just taken out of the Service`,
            lastChangeT: result.t, verdictLine: 'Hint:     does the livenessProbe check the same thing as the readinessProbe? A pod that is only busy must not be killed',
            attempts: result.attempts, lastObservationT: fault.timeline.offsetNow(), timeline: fault.timeline.excerpt(0, 15), timelineTitle: 'Timeline',
          });
        }
        return result;
      } finally {
        await slices.stop().catch(() => undefined);
      }
    },

    async expectRestartedByLiveness(within) {
      const s = need('liveness');
      const budget = resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS);
      const result = await eventually(containerRestarted(fault.view.pods, fault.view.namespace, s.pod, s.container, s.restartsBefore), budget, engine).catch((err: unknown) => {
        throw withHint(err, s.hasProbe
          ? `pod ${s.pod} has a livenessProbe: do its path, port, periodSeconds × failureThreshold fit in ${within.text}? (kubectl describe pod ${s.pod} -n ${fault.view.namespace})`
          : `the container has no livenessProbe, so a hung app is never restarted: add one (kubectl explain pod.spec.containers.livenessProbe)`);
      });
      return { ...result, timeToRecoverMs: timeToRecover(fault.timeline, result.t) };
    },

    async expectServiceAnswersFromOthers(service, count) {
      const s = need('readiness');
      const ns = fault.view.namespace;
      const svc = await fault.client.get('Service', service, ns);
      const ip = svc?.spec?.clusterIP as string | undefined;
      const port = (svc?.spec?.ports as Array<{ port: number }> | undefined)?.[0]?.port;
      if (!ip || ip === 'None' || !port) throw new Error(`service "${service}" in namespace ${ns} has no ClusterIP and port to send requests to`);
      const node = await controlPlaneNode(fault);
      const started = fault.timeline.offsetNow();
      // kube-proxy applies a Service or EndpointSlice change a moment after it is published: until N
      // answers in a row come 2xx from the other pods, batches are repeated for up to propagationMs and
      // what went wrong meanwhile is reported, never hidden.
      let reachedUnready = 0;
      let failedBefore = 0;
      for (let batch = 1; ; batch++) {
        const answers = await getMany(node, `http://${ip}:${port}/`, count);
        const failed = answers.filter((a) => a.status < 200 || a.status >= 300);
        const fromSwitched = answers.filter((a) => a.body.includes(`"${s.pod}"`)).length;
        const elapsed = fault.timeline.offsetNow() - started;
        const tally = `${answers.length - failed.length}/${count} answered 2xx, ${fromSwitched} by ${s.pod}`;
        if (answers.length === count && !failed.length && !fromSwitched) {
          const late = [
            reachedUnready ? `${reachedUnready} earlier request(s) still reached ${s.pod}` : '',
            failedBefore ? `${failedBefore} earlier request(s) failed` : '',
          ].filter(Boolean).join(', ');
          const note = late ? `; ${late} during the first ${(elapsed / 1000).toFixed(1)}s (kube-proxy catching up)` : '';
          fault.timeline.record({ kind: 'condition.met', subject: objectRef('Service', service, ns), expectation: `answers from the other pods: ${tally}${note}` });
          return `${tally}${note}`;
        }
        reachedUnready += fromSwitched;
        failedBefore += failed.length + (count - answers.length);
        if (elapsed >= propagationMs) {
          throw new ConditionError({
            subject: objectRef('Service', service, ns), matcher: `toAnswerFromOthers(${count})`,
            expected: `${count} requests in a row to ${ip}:${port} answered 2xx, none by the unready pod ${s.pod} (within ${propagationMs / 1000}s for kube-proxy to catch up)`,
            received: `last ${count}: ${tally}${failed.length ? `; failures: ${failed.slice(0, 3).map((a) => `HTTP ${a.status || 'no answer'}`).join(', ')}` : ''} (batch ${batch}, ${(elapsed / 1000).toFixed(1)}s after the first; ${failedBefore} failed and ${reachedUnready} reached ${s.pod} in all)`,
            lastChangeT: fault.timeline.offsetNow(),
            verdictLine: failed.length ? `Hint:     the other pods did not all answer: kubectl get endpointslices -n ${ns}` : 'Hint:     the unready pod still gets traffic: is it still listed in the EndpointSlices?',
            attempts: batch, lastObservationT: fault.timeline.offsetNow(), timeline: [], timelineTitle: 'Timeline',
          });
        }
      }
    },
  };
}
