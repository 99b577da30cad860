/**
 * Traffic operations of one scenario: send steady traffic to a Service's NodePort on 127.0.0.1 and
 * judge it by phase — before the fault, during it (until the recovery condition was met) and after
 * recovery. scenario.ts builds one per scenario; finish() always stops the sender.
 */
import type { ClusterClient } from '../cluster/types.ts';
import { ConditionError, FaultError, InputError } from '../failure/failure.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { formatOffset } from '../util/duration.ts';
import { classifyFailure, describeStats, phaseStats, startSteadyTraffic } from './steady-traffic.ts';
import type { PhaseStats, SteadyTraffic } from './steady-traffic.ts';

/** Limits that keep the sender polite to a 2-core laptop and bounded in time. */
export const TRAFFIC_LIMITS = { maxPerSecond: 200, maxDurationMs: 10 * 60_000, requestTimeoutMs: 2_000 } as const;

/** Traffic steps' entry points. */
export interface TrafficOps {
  start(service: string, perSecond: number, duration: { ms: number; text: string }): Promise<string>;
  /** Waits for the traffic to end, then fails if too many requests sent after recovery failed. */
  expectErrorRateAfterRecoveryBelow(maxPercent: number): Promise<string>;
  /** Stops the sender (scenario end); returns a summary for the report, if traffic ran. */
  stop(): Promise<string | undefined>;
}

/** What the traffic needs from its scenario. */
export interface TrafficDeps {
  client: ClusterClient;
  namespace: string;
  timeline: Timeline;
  fetchImpl?: typeof fetch;
}

/** Fewer requests than this after recovery cannot tell 1 % from 0 %: the step says so instead of passing. */
export const MIN_REQUESTS_AFTER_RECOVERY = 10;

interface Running { traffic: SteadyTraffic; target: string; startedT: number }

/** The phases of one run of traffic. */
export function phasesOf(r: { samples: Parameters<typeof phaseStats>[0]; startedT: number }, faultT: number | undefined, recoveredT: number | undefined): { before: PhaseStats; during?: PhaseStats; after?: PhaseStats } {
  const end = Number.POSITIVE_INFINITY;
  if (faultT === undefined) return { before: phaseStats(r.samples, r.startedT, end) };
  const before = phaseStats(r.samples, r.startedT, faultT);
  if (recoveredT === undefined) return { before, during: phaseStats(r.samples, faultT, end) };
  return { before, during: phaseStats(r.samples, faultT, recoveredT), after: phaseStats(r.samples, recoveredT, end) };
}

export function createTraffic(deps: TrafficDeps): TrafficOps {
  const { timeline } = deps;
  // The moment the last recovery ("within" after a fault) was met: an event on the timeline.
  const recoveredAt = (): number | undefined => timeline.last('recovered')?.t;
  let running: Running | undefined;
  let summary: string | undefined;

  const faultAfterStart = (r: Running): number | undefined => timeline.events().find((e) => e.kind === 'fault.injected' && e.t >= r.startedT)?.t;

  const describePhases = (r: Running): string => {
    const faultT = faultAfterStart(r);
    const recoveredT = recoveredAt();
    const p = phasesOf({ samples: r.traffic.samples, startedT: r.startedT }, faultT, recoveredT !== undefined && faultT !== undefined && recoveredT > faultT ? recoveredT : undefined);
    const lines = [`traffic to ${r.target}: ${r.traffic.samples.length} requests`, `  before the fault: ${describeStats(p.before)}`];
    if (p.during) lines.push(`  during the fault (${formatOffset(faultT ?? 0)} → ${p.after ? formatOffset(recoveredT ?? 0) : 'end'}): ${describeStats(p.during)}`);
    if (p.after) lines.push(`  after recovery (${formatOffset(recoveredT ?? 0)} → end): ${describeStats(p.after)}`);
    return lines.join('\n');
  };

  const finishRun = async (r: Running): Promise<string> => {
    await r.traffic.done;
    summary ??= describePhases(r);
    if (!timeline.last('load.stopped', (e) => e.target === r.target)) {
      timeline.record({ kind: 'load.stopped', target: r.target, detail: `${r.traffic.samples.filter((s) => !s.ok).length}/${r.traffic.samples.length} failed` });
    }
    return summary;
  };

  return {
    async start(service, perSecond, duration) {
      if (running) throw new InputError('traffic is already running in this scenario; one sender per scenario');
      if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > TRAFFIC_LIMITS.maxPerSecond) throw new InputError(`requests per second must be 1…${TRAFFIC_LIMITS.maxPerSecond}, got ${perSecond}`);
      if (duration.ms > TRAFFIC_LIMITS.maxDurationMs) throw new InputError(`traffic may last at most ${TRAFFIC_LIMITS.maxDurationMs / 60_000} minutes, got ${duration.text}`);
      const svc = await deps.client.get('Service', service, deps.namespace);
      if (!svc) throw new InputError(`no service "${service}" in namespace ${deps.namespace}`);
      const nodePort = (svc.spec?.ports as Array<{ nodePort?: number }> | undefined)?.find((p) => p.nodePort)?.nodePort;
      if (svc.spec?.type !== 'NodePort' || !nodePort) throw new InputError(`service "${service}" is ${svc.spec?.type ?? 'ClusterIP'}, not NodePort: the runner sends traffic from the host through a NodePort published on 127.0.0.1 (kind-config.yaml extraPortMappings)`);
      const url = `http://127.0.0.1:${nodePort}/`;
      // One request first: a port kind does not publish is refused by the host itself and fails here with
      // a clear line instead of as 100 % errors. Any other failure is the system under test: it counts later.
      const refused = await (deps.fetchImpl ?? fetch)(url, { signal: AbortSignal.timeout(TRAFFIC_LIMITS.requestTimeoutMs) })
        .then((r) => r.arrayBuffer()).then(() => false, (err: unknown) => classifyFailure(err) === 'ECONNREFUSED');
      if (refused) throw new FaultError(`nothing listens on ${url} (connection refused): is NodePort ${nodePort} published by kind's extraPortMappings in kind-config.yaml?`);
      const target = `service/${service} (127.0.0.1:${nodePort})`;
      const startedT = timeline.offsetNow();
      timeline.record({ kind: 'load.started', target, detail: `${perSecond} req/s for ${duration.text}, built-in sender` });
      const traffic = startSteadyTraffic({ url, perSecond, durationMs: duration.ms, requestTimeoutMs: TRAFFIC_LIMITS.requestTimeoutMs, offsetNow: () => timeline.offsetNow(), fetchImpl: deps.fetchImpl });
      running = { traffic, target, startedT };
      return `sending ${perSecond} requests per second to ${url} for ${duration.text}`;
    },

    async expectErrorRateAfterRecoveryBelow(maxPercent) {
      const r = running;
      if (!r) throw new InputError('no traffic is running in this scenario (start it with "Given kubeproof sends … requests per second to service … for …")');
      const text = await finishRun(r);
      const faultT = faultAfterStart(r);
      const recoveredT = recoveredAt();
      if (faultT === undefined || recoveredT === undefined || recoveredT < faultT) {
        throw new InputError(`no recovery after a fault was observed while the traffic ran (fault at ${faultT === undefined ? 'none' : formatOffset(faultT)}); put a fault step and a "within" expectation before this step`);
      }
      const after = phaseStats(r.traffic.samples, recoveredT, Number.POSITIVE_INFINITY);
      const failures = r.traffic.samples.filter((s) => !s.ok && s.t >= recoveredT);
      const tooFew = after.requests < MIN_REQUESTS_AFTER_RECOVERY;
      if (tooFew || after.errorRate * 100 >= maxPercent) {
        throw new ConditionError({
          subject: r.target,
          matcher: `errorRateAfterRecovery(< ${maxPercent}%)`,
          expected: `fewer than ${maxPercent}% of the requests sent after recovery (${formatOffset(recoveredT)}) fail`,
          received: tooFew ? `only ${after.requests} requests were sent after recovery (at least ${MIN_REQUESTS_AFTER_RECOVERY} are needed): make the traffic last longer than the recovery` : describeStats(after),
          since: failures.at(-1)?.t ?? recoveredT,
          verdict: failures.length ? `First failure after recovery at ${formatOffset(failures[0]!.t)}, last at ${formatOffset(failures.at(-1)!.t)}` : 'Not enough traffic after recovery to judge',
          ...(failures.length ? { hint: 'look at pods that are Ready but do not answer (readiness probe too lax?) and at the Service\'s endpoints' } : {}),
          attempts: { count: after.requests, lastT: r.traffic.samples.at(-1)?.t ?? recoveredT },
          timeline: { title: 'Traffic by phase', lines: text.split('\n') },
        });
      }
      return text;
    },

    async stop() {
      if (!running) return undefined;
      running.traffic.stop();
      return finishRun(running);
    },
  };
}
