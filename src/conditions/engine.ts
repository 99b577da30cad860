/**
 * Temporal assertions over watch streams, on the one waiting core (wait.ts): a condition is evaluated
 * once at the start and again on every change of its stores; a timer only marks the deadline.
 *
 *   eventually  — ok at least once before the deadline ("within T"); fails at once on a final state
 *   throughout  — ok at the start and after every change until the phase ends ("for T", "throughout")
 *   never       — never ok during the phase ("never during")
 *   now         — ok right now (a check that does not wait)
 *   holdsWhile  — ok for as long as an action runs (the phase ends when the action settles)
 */
import { ConditionError } from '../failure/failure.ts';
import type { Failure } from '../failure/failure.ts';
import type { Clock } from '../util/clock.ts';
import { formatMs, formatOffset } from '../util/duration.ts';
import type { Timeline } from '../timeline/timeline.ts';
import type { Condition, Observation } from './condition.ts';
import type { Budget } from './deadline.ts';
import { waitUntil } from './wait.ts';
import type { WaitOutcome } from './wait.ts';

/**
 * How long a final state must persist before `eventually` gives up on it. Watch caches lag behind
 * writes (the scale a step has just made may not be in the store yet: the old spec would look final)
 * and a kubelet status may flap; a state still final after this long, through every change meanwhile,
 * is final. Small against a budget of minutes, and well within the 15 s a student should wait.
 */
export const FINAL_CONFIRM_MS = 3_000;

/** What the engine needs from its surroundings. */
export interface EngineContext {
  clock: Clock;
  timeline: Timeline;
  /** Aborts the wait (scenario interrupted). */
  signal?: AbortSignal;
  /** Overrides FINAL_CONFIRM_MS (unit tests). */
  finalConfirmMs?: number;
}

/** Outcome of a successful wait. */
export interface WaitResult {
  /** Offset (ms since scenario start) when the verdict was reached. */
  t: number;
  /** Time from the store change that made the condition true to our verdict (eventually only). */
  detectionMs: number;
  attempts: number;
}

type Mode = 'eventually' | 'throughout' | 'never' | 'now';

/**
 * Lines of the timeline around a wait: since the last fault before it, else the few seconds before it;
 * warnings about the objects the condition is `about` first.
 */
export function timelineAround(timeline: Timeline, startT: number, about?: readonly string[]): { title: string; lines: string[] } {
  const fault = timeline.last('fault.injected', (e) => e.t <= timeline.offsetNow());
  const since = fault ? Math.min(fault.t, startT) : Math.max(0, startT - 5_000);
  return { title: fault ? 'Timeline (since fault)' : 'Timeline (since the wait began)', lines: timeline.excerpt(since, undefined, undefined, about) };
}

function aboutOf(condition: Condition): readonly string[] | undefined {
  try {
    return condition.about?.();
  } catch {
    return undefined; // the excerpt is evidence: it never replaces the failure
  }
}

/** Bookkeeping shared by every mode: attempts, the last observation and when it last changed. */
function observer(condition: Condition, ctx: EngineContext) {
  const startT = ctx.timeline.offsetNow();
  const state = { attempts: 0, last: undefined as Observation | undefined, lastChangeT: startT, lastObservationT: startT, startT };
  const observe = (): Observation => {
    let obs: Observation;
    try {
      obs = condition.observe();
    } catch (err) {
      obs = { ok: false, received: `the observation itself failed: ${(err as Error).message}` };
    }
    state.attempts++;
    state.lastObservationT = ctx.timeline.offsetNow();
    if (!state.last || state.last.received !== obs.received) state.lastChangeT = state.lastObservationT;
    state.last = obs;
    return obs;
  };
  const failure = (matcher: string, expected: string, verdict: string, causedBy?: unknown): ConditionError => {
    ctx.timeline.record({ kind: 'condition.failed', subject: condition.subject, expectation: expected });
    const f: Failure = {
      subject: condition.subject,
      matcher,
      expected,
      received: state.last?.received ?? 'nothing observed yet',
      since: state.lastChangeT,
      verdict,
      attempts: { count: state.attempts, lastT: state.lastObservationT },
      ...(state.last?.cause ? { cause: state.last.cause } : {}),
      ...(condition.hint ? { hint: condition.hint } : {}),
      timeline: timelineAround(ctx.timeline, startT, aboutOf(condition)),
      ...(causedBy !== undefined ? { causedBy } : {}),
    };
    return new ConditionError(f);
  };
  return { state, observe, failure };
}

function describeMode(mode: Mode, condition: Condition, budget: Budget): string {
  if (mode === 'now') return condition.expectation;
  if (mode === 'eventually') return `${condition.expectation} within ${formatMs(budget.ms)}`;
  if (mode === 'throughout') return `${condition.expectation} throughout ${formatMs(budget.ms)}`;
  return `never ${condition.expectation} during ${formatMs(budget.ms)}`;
}

async function waitFor(mode: Mode, condition: Condition, budget: Budget, ctx: EngineContext): Promise<WaitResult> {
  await Promise.all(condition.stores.map((s) => s.ready));
  const { state, observe, failure } = observer(condition, ctx);
  const matcher = mode === 'eventually' ? condition.matcher : `${mode}.${condition.matcher}`;
  const expected = describeMode(mode, condition, budget);
  const done = (): WaitResult => ({ t: ctx.timeline.offsetNow(), detectionMs: 0, attempts: state.attempts });

  if (mode === 'now') {
    if (observe().ok) return done();
    throw failure(matcher, expected, 'Checked:  once, right now (this step does not wait)');
  }
  let changeAt = ctx.clock.now();
  // The probe answers with the observation that ends the wait: met (eventually), violated (throughout, never) or final.
  const probe = (): Observation | undefined => {
    changeAt = ctx.clock.now();
    const obs = observe();
    if (mode === 'eventually') return obs.ok || obs.final ? obs : undefined;
    return (mode === 'throughout') !== obs.ok ? obs : undefined;
  };
  // eventually: a final state ends the wait only once it has held for the confirmation window.
  const confirmMs = ctx.finalConfirmMs ?? FINAL_CONFIRM_MS;
  const stillFinal = (): Observation | undefined => {
    changeAt = ctx.clock.now();
    const obs = observe();
    return obs.ok || !obs.final ? obs : undefined;
  };
  let finalSinceT = state.startT;
  const untilMetOrFinal = async (): Promise<WaitOutcome<Observation>> => {
    const deadline = ctx.clock.now() + budget.ms;
    for (;;) {
      const outcome = await waitUntil(condition.stores, probe, { timeoutMs: deadline - ctx.clock.now(), signal: ctx.signal });
      if (!outcome.met || outcome.value.ok || mode !== 'eventually') return outcome;
      finalSinceT = state.lastObservationT;
      const confirm = await waitUntil(condition.stores, stillFinal, { timeoutMs: Math.min(confirmMs, deadline - ctx.clock.now()), signal: ctx.signal });
      if (!confirm.met) return { met: true, value: state.last ?? outcome.value }; // still final: the latest observation says why
      if (confirm.value.ok) return confirm;
      // It was not final after all (a stale cache, a flap): keep waiting.
    }
  };
  let outcome;
  try {
    outcome = await untilMetOrFinal();
  } catch (err) {
    throw failure(matcher, expected, 'Aborted:  the run was interrupted', err);
  }
  const at = formatMs(state.lastObservationT - state.startT);
  if (mode === 'eventually') {
    if (outcome.met && outcome.value.ok) {
      const detectionMs = ctx.clock.now() - changeAt;
      ctx.timeline.record({ kind: 'condition.met', subject: condition.subject, expectation: condition.expectation, latencyMs: detectionMs });
      return { ...done(), detectionMs };
    }
    if (outcome.met) {
      const why = outcome.value.final === outcome.value.cause ? 'the cause above cannot change by itself' : outcome.value.final;
      const elapsed = formatMs(ctx.timeline.offsetNow() - state.startT);
      throw failure(matcher, expected, `Final:    gave up after ${elapsed} of ${formatMs(budget.ms)}, the state final since ${formatOffset(finalSinceT)}: ${why} (${budget.label})`);
    }
    throw failure(matcher, expected, `Timeout:  ${budget.ms}ms (${budget.label})`);
  }
  if (outcome.met) {
    throw failure(matcher, expected, mode === 'throughout'
      ? `Violated: at ${at} into the ${formatMs(budget.ms)} phase (${budget.label})`
      : `Violated: the forbidden state appeared ${at} into the ${formatMs(budget.ms)} phase (${budget.label})`);
  }
  if (mode === 'throughout') ctx.timeline.record({ kind: 'condition.met', subject: condition.subject, expectation: expected });
  return done();
}

/** Resolves as soon as the condition holds; rejects with a ConditionError at the deadline or on a final state. */
export function eventually(condition: Condition, budget: Budget, ctx: EngineContext): Promise<WaitResult> {
  return waitFor('eventually', condition, budget, ctx);
}

/** Resolves when the phase ends with the condition held all along; rejects at the first violation. */
export function throughout(condition: Condition, budget: Budget, ctx: EngineContext): Promise<WaitResult> {
  return waitFor('throughout', condition, budget, ctx);
}

/** Resolves when the phase ends without the condition ever holding; rejects the moment it holds. */
export function never(condition: Condition, budget: Budget, ctx: EngineContext): Promise<WaitResult> {
  return waitFor('never', condition, budget, ctx);
}

/** Evaluates the condition once, now (after the watches listed); rejects with the same message shape. */
export function now(condition: Condition, ctx: EngineContext): Promise<WaitResult> {
  return waitFor('now', condition, { ms: 0, label: 'checked once' }, ctx);
}

/**
 * Runs `action` while checking `condition` ("keeps at least 3 ready replicas while the node is
 * drained"): evaluated at the start and on every change, like `throughout`, but the phase ends when the
 * action settles. The first violation aborts the action's signal and rejects with a ConditionError
 * (once the action has wound down, bounded); otherwise resolves with the action's value. `phase` names
 * the action in the message ("while node w1 is drained").
 */
export async function holdsWhile<T>(condition: Condition, phase: string, action: (signal: AbortSignal) => Promise<T>, ctx: EngineContext): Promise<T> {
  await Promise.all(condition.stores.map((s) => s.ready));
  const { state, observe, failure } = observer(condition, ctx);
  const expected = `${condition.expectation} ${phase}`;
  const violation = (): ConditionError => failure(`while.${condition.matcher}`, expected, `Violated: ${formatMs(state.lastObservationT - state.startT)} after the phase began (${phase})`);
  if (!observe().ok) throw violation();
  const actionDone = new AbortController();
  const stopAction = new AbortController();
  const outer = ctx.signal;
  const onOuterAbort = (): void => stopAction.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const guard = waitUntil(condition.stores, () => (observe().ok ? undefined : true), { timeoutMs: Number.POSITIVE_INFINITY, signal: actionDone.signal })
    .then((o) => (o.met ? violation() : undefined), () => undefined);
  const running = action(stopAction.signal);
  running.catch(() => {}); // its failure is reported below, or superseded by the violation
  try {
    const first = await Promise.race([running.then((value) => ({ value })), guard.then((v) => ({ violated: v }))]);
    if ('violated' in first && first.violated) {
      stopAction.abort(first.violated);
      // Let the aborted action wind down (it stops at its next await) so nothing it started outlives the step.
      await Promise.race([running.catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
      throw first.violated;
    }
    if (!('value' in first)) throw new Error('holdsWhile: guard ended without a verdict');
    // The action may have finished on the very change that broke the condition: the violation wins.
    if (!observe().ok) throw violation();
    ctx.timeline.record({ kind: 'condition.met', subject: condition.subject, expectation: expected });
    return first.value;
  } finally {
    actionDone.abort();
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
