/** The product's exit codes. */
export const EXIT = {
  /** Every scenario passed (INCONCLUSIVE ones are listed, see docs/runner.md). */
  passed: 0,
  /** At least one scenario FAILED: the system under test did not behave. */
  failed: 1,
  /** Tooling error, bad input, or no scenario matched. */
  error: 2,
} as const;

export { UsageError } from '../util/usage-error.ts';
