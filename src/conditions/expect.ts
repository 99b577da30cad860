/**
 * The waits a scenario's steps ask for, with their Gherkin durations turned into budgets that fit under
 * the step caps. An `eventually` met after a fault is the recovery: it goes on the timeline as a
 * `recovered` event (with the time to recover), which load judgement and charts read.
 */
import { CONDITION_STEP_CAP_MS } from '../config/defaults.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { timeToRecover } from '../timeline/timeline.ts';
import type { Condition } from './condition.ts';
import { resolveBudget } from './deadline.ts';
import { eventually, never, now, throughout } from './engine.ts';
import type { EngineContext, WaitResult } from './engine.ts';

/** A duration as the step gave it: milliseconds, and the words for messages. */
export interface StepDuration {
  ms: number;
  text: string;
}

/** The result of an `eventually`, with the time to recover when a fault preceded it. */
export type RecoveryResult = WaitResult & { timeToRecoverMs: number | undefined };

/** Temporal assertions bound to one scenario. */
export interface Expectations {
  /**
   * Holds at least once within `within`; records the recovery when a fault came before, unless the
   * condition is no recovery (`recovery: false`, e.g. "the rollout is stuck").
   */
  eventually(condition: Condition, within: StepDuration, options?: { recovery?: boolean }): Promise<RecoveryResult>;
  /** Holds at the start and after every change for `phase`. */
  throughout(condition: Condition, phase: StepDuration): Promise<WaitResult>;
  /** Never holds during `phase`. */
  never(condition: Condition, phase: StepDuration): Promise<WaitResult>;
  /** Holds now. */
  now(condition: Condition): Promise<WaitResult>;
}

/** Binds the engine to a scenario; budgets are checked against the condition step cap. */
export function createExpectations(engine: EngineContext & { timeline: Timeline }): Expectations {
  return {
    async eventually(condition, within, options = {}) {
      const result = await eventually(condition, resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS), engine);
      if (options.recovery === false) return { ...result, timeToRecoverMs: undefined };
      const ttr = timeToRecover(engine.timeline, result.t);
      if (ttr !== undefined) {
        const fault = engine.timeline.last('fault.injected', (e) => e.t <= result.t);
        engine.timeline.record({ kind: 'recovered', fault: fault?.fault ?? '?', subject: condition.subject, expectation: condition.expectation, afterMs: ttr });
      }
      return { ...result, timeToRecoverMs: ttr };
    },
    throughout: (condition, phase) => throughout(condition, resolveBudget(phase.ms, `for ${phase.text}`, CONDITION_STEP_CAP_MS), engine),
    never: (condition, phase) => never(condition, resolveBudget(phase.ms, `for ${phase.text}`, CONDITION_STEP_CAP_MS), engine),
    now: (condition) => now(condition, engine),
  };
}
