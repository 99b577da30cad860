/**
 * Autoscaling checks of one scenario: an HPA scales out under load, back in when the load stops, never
 * past its maximum, and its Deployment follows it with ready pods. The HPA needs the metrics API to
 * serve pod metrics: without it every check is INCONCLUSIVE (the environment), never FAIL. When a
 * scale-out does not come, the message says where the chain load → CPU → metrics → desired replicas →
 * scheduled pods → ready pods broke.
 */
import { hpaBlocked, hpaState, metricsApiMissing } from '../cluster/hpa.ts';
import { objectRef } from '../cluster/kinds.ts';
import { isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
import { podCause } from '../cluster/causes.ts';
import type { RecoveryResult, StepDuration } from '../conditions/expect.ts';
import { hpaReaches, hpaSettlesAt, readyAsHpaWants } from '../conditions/hpa.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, InconclusiveError, InputError } from '../failure/failure.ts';
import { formatOffset } from '../util/duration.ts';

/** Autoscaling steps' entry points. */
/** A met HPA condition and how long after the load started (or stopped) it came. */
export type ScaleResult = RecoveryResult & { afterLoadEventMs: number | undefined };

export interface AutoscalingOps {
  /** The HPA wants at least `atLeast` replicas within `within` (time measured from the load's start). */
  expectReaches(hpa: string, atLeast: number, within: StepDuration): Promise<ScaleResult>;
  /** The HPA wants and has `replicas` again within `within` (time measured from the load's end). */
  expectReturnsTo(hpa: string, replicas: number, within: StepDuration): Promise<ScaleResult>;
  /** From the timeline: the HPA never wanted or had more than its maxReplicas, nor its Deployment more replicas. */
  expectNeverExceedsMax(hpa: string): Promise<string>;
  expectReadyAsWanted(deployment: string, hpa: string, within: StepDuration): Promise<RecoveryResult>;
}

/** Builds the autoscaling checks of one scenario. */
export function createAutoscalingOps(deps: ScenarioDeps): AutoscalingOps {
  const { view, timeline, expect, client } = deps;
  const ns = view.namespace;
  const stores = { hpas: view.hpas, deployments: view.deployments, pods: view.pods, events: view.events };

  /** The HPA, or an InputError naming what exists. */
  const requireHpa = async (name: string) => {
    await view.ready();
    const hpa = view.hpas.get(name);
    if (!hpa) throw new InputError(`no HorizontalPodAutoscaler "${name}" in namespace ${ns} (it has: ${view.hpas.list().map((h) => h.metadata?.name).join(', ') || 'none'})`);
    return hpa;
  };

  /** INCONCLUSIVE unless the metrics API serves pod metrics for this namespace (the HPA's input). */
  const requirePodMetrics = async (): Promise<void> => {
    const res = await client.getRaw(`/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(ns)}/pods`).catch((err: Error) => ({ status: 0, body: err.message }));
    if (res.status !== 200) {
      throw new InconclusiveError(`the HPA needs pod metrics, but the metrics API does not serve them (GET …/metrics.k8s.io/v1beta1/namespaces/${ns}/pods answered ${res.status ? `HTTP ${res.status}` : res.body.slice(0, 120)}): is metrics-server installed and ready?`);
    }
  };

  /** Where the chain load → CPU → metrics → desired → scheduled → ready broke, one line. */
  const diagnose = (hpaName: string): string => {
    const hpa = view.hpas.get(hpaName);
    if (!hpa) return 'the HPA is gone';
    const s = hpaState(hpa);
    const recent = timeline.events().filter((e) => e.kind === 'load.second' && e.t >= timeline.offsetNow() - 30_000) as Array<{ requests: number; errors: number }>;
    const requests = recent.reduce((n, e) => n + e.requests, 0);
    const errors = recent.reduce((n, e) => n + e.errors, 0);
    const loadRan = timeline.last('load.started') !== undefined;
    if (loadRan && requests > 0 && errors === requests) return `no load reached the pods: all ${requests} requests of the last 30 s failed`;
    // A CPU stress fault drives the CPU without any request.
    const stressed = timeline.last('fault.injected', (e) => e.fault === 'cpu-stress') !== undefined;
    if (!loadRan && !stressed) return 'no load was started in this scenario, so nothing drives the CPU up (add a load step before this one)';
    const blocked = hpaBlocked(s);
    if (blocked?.kind === 'metrics' || s.cpuPercent === undefined) return `the HPA has no CPU reading: ${blocked?.cause ?? 'metrics not reported yet'}`;
    if (blocked?.kind === 'capped') return blocked.cause;
    if (s.targetPercent !== undefined && s.cpuPercent < s.targetPercent) return `CPU utilisation ${s.cpuPercent}% is below the ${s.targetPercent}% target: the load is too light for the pods' CPU requests (heavier requests, a higher rate, or lower requests)`;
    const target = s.target ? view.deployments.get(s.target.name) : undefined;
    const pods = target ? podsSelectedBy(target, view.pods.list()).filter(isPodLive) : [];
    const pending = pods.find((p) => p.status?.phase === 'Pending');
    if (s.desired > pods.filter(isPodReady).length && pending) return `the HPA wants ${s.desired}, but pods do not start: ${podCause(pending, view.events.list()) ?? `${pending.metadata?.name} is Pending`}`;
    const unready = pods.find((p) => !isPodReady(p));
    if (unready) return `the HPA wants ${s.desired}, but pods are not Ready: ${podCause(unready, view.events.list()) ?? unready.metadata?.name}`;
    return `CPU ${s.cpuPercent}% over the ${s.targetPercent}% target, desired ${s.desired}: the HPA is still scaling (its sync period and scale-up policy pace it)`;
  };

  /** A failed HPA wait: INCONCLUSIVE when the metrics API is the cause, else FAIL with where the chain broke. */
  const judged = (hpaName: string) => (err: unknown): never => {
    const hpa = view.hpas.get(hpaName);
    if (hpa && metricsApiMissing(hpaState(hpa))) throw new InconclusiveError(`the HPA cannot read pod metrics from the metrics API: ${hpaBlocked(hpaState(hpa))?.cause}`);
    throw err instanceof ConditionError ? err.withHint(`where the chain broke: ${diagnose(hpaName)}`) : err;
  };

  /** Milliseconds from the latest `kind` load event before `t` to `t`. */
  const since = (kind: 'load.started' | 'load.stopped', t: number): number | undefined => {
    const e = timeline.last(kind, (x) => x.t <= t);
    return e ? t - e.t : undefined;
  };

  return {
    async expectReaches(hpa, atLeast, within) {
      await requireHpa(hpa);
      await requirePodMetrics();
      const result = await expect.eventually(hpaReaches(stores, ns, hpa, atLeast), within).catch(judged(hpa));
      return { ...result, afterLoadEventMs: since('load.started', result.t) };
    },
    async expectReturnsTo(hpa, replicas, within) {
      await requireHpa(hpa);
      await requirePodMetrics();
      const result = await expect.eventually(hpaSettlesAt(stores, ns, hpa, replicas), within).catch(judged(hpa));
      return { ...result, afterLoadEventMs: since('load.stopped', result.t) };
    },
    async expectNeverExceedsMax(hpa) {
      const object = await requireHpa(hpa);
      const s = hpaState(object);
      const states = timeline.events().filter((e) => e.kind === 'k8s.hpa' && e.name === hpa) as Array<{ t: number; current: number; desired: number }>;
      const deployments = s.target ? timeline.events().filter((e) => e.kind === 'k8s.deployment' && e.name === s.target?.name) as Array<{ t: number; desired: number }> : [];
      const over = [...states.filter((e) => e.current > s.max || e.desired > s.max).map((e) => `HPA at ${Math.max(e.current, e.desired)} (${formatOffset(e.t)})`),
        ...deployments.filter((e) => e.desired > s.max).map((e) => `deployment ${s.target?.name} at ${e.desired} replicas (${formatOffset(e.t)})`)];
      if (over.length) {
        throw new ConditionError({ subject: objectRef('HorizontalPodAutoscaler', hpa, ns), matcher: `neverAbove(${s.max})`, expected: `never more than maxReplicas ${s.max}`, received: over.slice(0, 5).join(', '), hint: 'something else scales the Deployment too (a second HPA, a manual scale, or spec.replicas re-applied)' });
      }
      const peak = Math.max(0, ...states.map((e) => Math.max(e.current, e.desired)));
      return `HPA ${hpa} peaked at ${peak} of at most ${s.max} replicas`;
    },
    async expectReadyAsWanted(deployment, hpa, within) {
      await requireHpa(hpa);
      return expect.eventually(readyAsHpaWants(stores, ns, deployment, hpa), within).catch(judged(hpa));
    },
  };
}
