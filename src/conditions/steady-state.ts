/**
 * Steady state before a fault (chaos engineering's first rule): a fault proves something only if the
 * system was healthy before it. Given the load's numbers before the fault — requests, failures by
 * kind — and whether the target Service had a ready endpoint, `checkSteadyState` says whether the
 * system was not healthy, as a FAIL whose first line is the cause (e.g. the Service selects no pod)
 * and whose message carries the baseline numbers. Pure: the load judgement and the fault steps call it
 * with what they measured (docs/runner.md, "Steady state before the fault").
 */
import { ConditionError } from '../failure/failure.ts';
import type { TimelineEvent } from '../timeline/events.ts';
import { formatOffset } from '../util/duration.ts';

/** What the traffic looked like before the fault, and what the target Service had to serve it. */
export interface Baseline {
  /** What the load hit, e.g. "service/api (127.0.0.1:30080)". */
  target: string;
  /** Requests sent before the fault (in [fromT, toT)). */
  requests: number;
  failed: number;
  /** Failure kinds, commonest first ("connection refused", "HTTP 5xx", "timeout" …). */
  failures?: ReadonlyArray<{ kind: string; count: number }>;
  /** The window (timeline offsets, ms): load start → fault. */
  fromT?: number;
  toT?: number;
  /** Ready endpoints of the target Service when the fault came; undefined when not known. */
  readyEndpoints?: number;
  /** The Service's name, for the message. */
  service?: string;
  /** The cluster's words for why the Service does not serve (causes.ts serviceCause), if known. */
  cause?: string;
  /** The fault about to be (or just) injected, for the message, e.g. "node-pause". */
  fault?: string;
}

/** When a baseline counts as unhealthy. */
export interface SteadyStateRule {
  /** More than this share of failed requests before the fault is not a steady state (0…1). */
  maxErrorRate: number;
  /** Fewer requests than this cannot tell a failing system from bad luck: no verdict from the rate alone. */
  minRequests: number;
}

/** 5 % failed before the fault — well above a healthy baseline (0 %), well below a broken Service (100 %). */
export const DEFAULT_STEADY_STATE: SteadyStateRule = { maxErrorRate: 0.05, minRequests: 10 };

/** "120/120 failed (100.0 %: 118 connection refused, 2 timeout) from +3.0s to +15.0s" */
export function describeBaseline(b: Baseline): string {
  if (!b.requests) return 'no requests were sent before the fault';
  const rate = (100 * b.failed) / b.requests;
  const kinds = (b.failures ?? []).slice(0, 3).map((f) => `${f.count} ${f.kind}`).join(', ');
  const window = b.fromT !== undefined && b.toT !== undefined ? ` from ${formatOffset(b.fromT)} to ${formatOffset(b.toT)}` : '';
  return `${b.failed}/${b.requests} failed (${rate.toFixed(1)} %${kinds ? `: ${kinds}` : ''})${window}`;
}

/**
 * A FAIL ("the system was not healthy before the fault") when the target Service had no ready
 * endpoint, or when at least `minRequests` were sent before the fault and more than `maxErrorRate` of
 * them failed; undefined when the baseline is healthy or too small to judge.
 */
export function checkSteadyState(b: Baseline, rule: SteadyStateRule = DEFAULT_STEADY_STATE): ConditionError | undefined {
  const noEndpoint = b.readyEndpoints === 0;
  const rate = b.requests ? b.failed / b.requests : 0;
  const failing = b.requests >= rule.minRequests && rate > rule.maxErrorRate;
  if (!noEndpoint && !failing) return undefined;
  const service = b.service ? `service "${b.service}"` : 'the target Service';
  const endpoints = b.readyEndpoints === undefined ? '' : `; ${service} had ${b.readyEndpoints} ready endpoint${b.readyEndpoints === 1 ? '' : 's'}`;
  const cause = b.cause ?? (noEndpoint ? `${service} had no ready endpoint before the fault, so nothing could answer` : undefined);
  return new ConditionError({
    subject: b.target,
    matcher: 'toBeHealthyBeforeTheFault()',
    expected: `the system healthy before the fault: at most ${(rule.maxErrorRate * 100).toFixed(0)} % of the requests fail${b.readyEndpoints === undefined ? '' : ` and ${service} has a ready endpoint`}`,
    received: `the system was not healthy before the fault: ${describeBaseline(b)}${endpoints}`,
    ...(b.toT !== undefined ? { since: b.toT } : {}),
    verdict: `Checked:  the baseline before ${b.fault ? `the ${b.fault} fault` : 'the fault'} (a fault proves nothing about a system that was already failing)`,
    ...(cause ? { cause } : {}),
    hint: 'fix what fails before any fault first; the fault was not worth injecting',
  });
}

/**
 * The baseline of the load running at `toT`, from the timeline alone: the `load.second` entries of the
 * last `load.started` target before `toT` whose second ended by then (failure kinds are not in them).
 * Undefined when no load runs, or when a fault was already injected under it (the baseline is what
 * came before the first fault), so every fault step can call it.
 */
export function baselineFromTimeline(events: readonly TimelineEvent[], toT: number): Baseline | undefined {
  let started: Extract<TimelineEvent, { kind: 'load.started' }> | undefined;
  for (const e of events) if (e.kind === 'load.started' && e.t <= toT) started = e;
  if (!started) return undefined;
  const from = started;
  if (events.some((e) => e.kind === 'load.stopped' && e.target === from.target && e.t >= from.t && e.t <= toT)) return undefined;
  // Only the first fault under this load is judged against the baseline: later ones follow a fault on purpose.
  if (events.some((e) => e.kind === 'fault.injected' && e.t >= from.t && e.t <= toT)) return undefined;
  let requests = 0;
  let failed = 0;
  for (const e of events) {
    if (e.kind !== 'load.second' || e.target !== from.target || e.t < from.t) continue;
    if (from.t + (e.second + 1) * 1000 > toT) continue;
    requests += e.requests;
    failed += e.errors;
  }
  return { target: from.target, requests, failed, fromT: from.t, toT };
}
