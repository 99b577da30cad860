/**
 * holdsWhile: a condition that must hold for as long as an action runs ("keeps at least 3 ready
 * replicas while the node is drained"). Same rules as the engine's `throughout` — evaluated at the
 * start and on every change of its stores, never polled — but the phase ends when the action settles
 * instead of after a fixed time, so a step can guard an action of unknown length.
 */
import { formatMs } from '../util/duration.ts';
import type { Condition, Observation } from './condition.ts';
import type { EngineContext } from './engine.ts';
import { ConditionError } from './failure-message.ts';

/**
 * Runs `action` while checking `condition`. The first violation aborts the action's signal and
 * rejects with a ConditionError; otherwise resolves with the action's value once it settles.
 * `phase` names the action in the message ("while node w1 is drained").
 */
export async function holdsWhile<T>(condition: Condition, phase: string, action: (signal: AbortSignal) => Promise<T>, ctx: EngineContext): Promise<T> {
  await Promise.all(condition.stores.map((s) => s.ready));
  const startT = ctx.timeline.offsetNow();
  const expected = `${condition.expectation} ${phase}`;
  const controller = new AbortController();
  let attempts = 0;
  let last: Observation | undefined;
  let lastChangeT = startT;
  let lastObservationT = startT;
  let violation: ConditionError | undefined;

  const unsubscribers: Array<() => void> = [];
  let rejectViolation: (err: ConditionError) => void = () => {};
  const violated = new Promise<never>((_, reject) => { rejectViolation = reject; });
  violated.catch(() => {}); // observed through the race below; never an unhandled rejection

  const evaluate = (): void => {
    if (violation) return;
    let obs: Observation;
    try {
      obs = condition.observe();
    } catch (err) {
      obs = { ok: false, received: `the observation itself failed: ${(err as Error).message}` };
    }
    attempts++;
    lastObservationT = ctx.timeline.offsetNow();
    if (!last || last.received !== obs.received) lastChangeT = lastObservationT;
    last = obs;
    if (obs.ok) return;
    ctx.timeline.record({ kind: 'condition.failed', subject: condition.subject, expectation: expected });
    const fault = ctx.timeline.last('fault.injected', (e) => e.t <= lastObservationT);
    violation = new ConditionError({
      subject: condition.subject,
      matcher: `while.${condition.matcher}`,
      expected,
      received: obs.received,
      lastChangeT,
      verdictLine: `Violated: ${formatMs(lastObservationT - startT)} after the phase began (${phase})`,
      attempts,
      lastObservationT,
      timeline: ctx.timeline.excerpt(fault ? Math.min(fault.t, startT) : startT, 15),
      timelineTitle: fault ? 'Timeline (since fault)' : 'Timeline (since the phase began)',
    });
    controller.abort(violation);
    rejectViolation(violation);
  };

  for (const store of condition.stores) unsubscribers.push(store.onChange(() => evaluate()));
  const onOuterAbort = (): void => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    evaluate();
    if (violation) throw violation;
    const running = action(controller.signal);
    running.catch(() => {}); // its failure is reported below, or superseded by the violation
    const value = await Promise.race([running, violated]).catch(async (err: unknown) => {
      // Let the aborted action wind down (it stops at its next await) before the step fails, so
      // nothing it started outlives the step; bounded in case it ignores the signal.
      if (violation) await Promise.race([running.catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
      throw err;
    });
    // The action may have finished on the very change that broke the condition: the violation wins.
    if (violation) throw violation;
    ctx.timeline.record({ kind: 'condition.met', subject: condition.subject, expectation: expected });
    return value;
  } catch (err) {
    // An action aborted by our violation rejects with it (or with its own abort error): report ours.
    throw violation ?? err;
  } finally {
    unsubscribers.forEach((u) => u());
    ctx.signal?.removeEventListener('abort', onOuterAbort);
  }
}
