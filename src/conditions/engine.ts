/**
 * Temporal assertions over watch streams. Nothing here polls or sleeps: a condition is evaluated
 * once at the start and again on every change of its stores; a timer only marks the deadline.
 *
 *   eventually  — ok at least once before the deadline ("within T")
 *   throughout  — ok at the start and after every change until the phase ends ("for T", "throughout")
 *   never       — never ok during the phase ("never during")
 */
import type { Clock } from '../util/clock.ts';
import { formatMs } from '../util/duration.ts';
import type { Timeline } from '../timeline/timeline.ts';
import type { Condition, Observation } from './condition.ts';
import type { Budget } from './deadline.ts';
import { ConditionError } from './failure-message.ts';

/** What the engine needs from its surroundings. */
export interface EngineContext {
  clock: Clock;
  timeline: Timeline;
  /** Aborts the wait (scenario interrupted). */
  signal?: AbortSignal;
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

function timelineSince(ctx: EngineContext, startT: number): { title: string; lines: string[] } {
  const fault = ctx.timeline.last('fault.injected', (e) => e.t <= ctx.timeline.offsetNow());
  const since = fault ? Math.min(fault.t, startT) : Math.max(0, startT - 5_000);
  return { title: fault ? 'Timeline (since fault)' : 'Timeline (since the wait began)', lines: ctx.timeline.excerpt(since, 15) };
}

async function waitFor(mode: Mode, condition: Condition, budget: Budget, ctx: EngineContext): Promise<WaitResult> {
  await Promise.all(condition.stores.map((s) => s.ready));
  const startT = ctx.timeline.offsetNow();
  let attempts = 0;
  let last: Observation | undefined;
  let lastChangeT = startT;
  let lastObservationT = startT;

  return new Promise<WaitResult>((resolve, reject) => {
    const unsubscribers: Array<() => void> = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribers.forEach((u) => u());
      ctx.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (verdictLine: string, cause?: unknown): void => {
      const { title, lines } = timelineSince(ctx, startT);
      ctx.timeline.record({ kind: 'condition.failed', subject: condition.subject, expectation: describeMode(mode, condition, budget) });
      finish(() => reject(new ConditionError({
        subject: condition.subject,
        matcher: mode === 'eventually' ? condition.matcher : `${mode}.${condition.matcher}`,
        expected: describeMode(mode, condition, budget),
        received: last?.received ?? 'nothing observed yet',
        lastChangeT,
        verdictLine,
        attempts,
        lastObservationT,
        timeline: lines,
        timelineTitle: title,
        cause,
      })));
    };
    const evaluate = (changeAt: number): void => {
      if (done) return;
      let obs: Observation;
      try {
        obs = condition.observe();
      } catch (err) {
        fail(`Error:    the observation itself failed`, err);
        return;
      }
      attempts++;
      lastObservationT = ctx.timeline.offsetNow();
      if (!last || last.received !== obs.received) lastChangeT = lastObservationT;
      last = obs;
      if (mode === 'now') {
        if (obs.ok) finish(() => resolve({ t: lastObservationT, detectionMs: 0, attempts }));
        else fail('Checked:  once, right now (this step does not wait)');
      } else if (mode === 'eventually' && obs.ok) {
        const t = ctx.timeline.offsetNow();
        const detectionMs = ctx.clock.now() - changeAt;
        ctx.timeline.record({ kind: 'condition.met', subject: condition.subject, expectation: condition.expectation, latencyMs: detectionMs });
        finish(() => resolve({ t, detectionMs, attempts }));
      } else if (mode === 'throughout' && !obs.ok) {
        fail(`Violated: at ${formatMs(lastObservationT - startT)} into the ${formatMs(budget.ms)} phase (${budget.label})`);
      } else if (mode === 'never' && obs.ok) {
        fail(`Violated: the forbidden state appeared ${formatMs(lastObservationT - startT)} into the ${formatMs(budget.ms)} phase (${budget.label})`);
      }
    };
    const onAbort = (): void => fail('Aborted:  the run was interrupted', ctx.signal?.reason);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    if (mode === 'now') { evaluate(ctx.clock.now()); return; }
    for (const store of condition.stores) {
      unsubscribers.push(store.onChange(() => evaluate(ctx.clock.now())));
    }
    timer = setTimeout(() => {
      if (mode === 'eventually') fail(`Timeout:  ${budget.ms}ms (${budget.label})`);
      else {
        const t = ctx.timeline.offsetNow();
        if (mode === 'throughout') ctx.timeline.record({ kind: 'condition.met', subject: condition.subject, expectation: describeMode(mode, condition, budget) });
        finish(() => resolve({ t, detectionMs: 0, attempts }));
      }
    }, budget.ms);
    evaluate(ctx.clock.now());
  });
}

function describeMode(mode: Mode, condition: Condition, budget: Budget): string {
  if (mode === 'now') return condition.expectation;
  if (mode === 'eventually') return `${condition.expectation} within ${formatMs(budget.ms)}`;
  if (mode === 'throughout') return `${condition.expectation} throughout ${formatMs(budget.ms)}`;
  return `never ${condition.expectation} during ${formatMs(budget.ms)}`;
}

/** Resolves as soon as the condition holds; rejects with a ConditionError at the deadline. */
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
