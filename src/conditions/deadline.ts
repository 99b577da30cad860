/** Budgets: the condition's own deadline is always shorter than cucumber's step timeout. */
import { InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';

/** Time kept between our deadline and the step timeout, so our message wins the race. */
export const STEP_MARGIN_MS = 5_000;

/** A budget that cannot fit in the step timeout. */
export class BudgetError extends InputError {
  override name = 'BudgetError';
}

/** Resolved budget of one wait. */
export interface Budget {
  ms: number;
  /** e.g. 'condition budget "within 60 seconds"; step cap 600000ms'. */
  label: string;
}

/**
 * The effective budget: the user's duration, which must fit under the step cap minus the margin.
 * @throws BudgetError when it does not, naming both numbers
 */
export function resolveBudget(requestedMs: number, requestedText: string, stepCapMs: number): Budget {
  const max = stepCapMs - STEP_MARGIN_MS;
  if (requestedMs > max) {
    throw new BudgetError(`"${requestedText}" is longer than this step allows (at most ${formatMs(max)}); split the wait or shorten it`);
  }
  if (requestedMs <= 0) throw new BudgetError(`"${requestedText}" must be longer than zero`);
  return { ms: requestedMs, label: `condition budget "${requestedText}"; step cap ${stepCapMs}ms` };
}
