/** The product's exit codes. */
export const EXIT = {
  /** Every scenario passed (INCONCLUSIVE ones are listed, see docs/runner.md). */
  passed: 0,
  /** At least one scenario FAILED: the system under test did not behave. */
  failed: 1,
  /** Tooling error, bad input, or no scenario matched. */
  error: 2,
} as const;

/** A problem that stops the run before (or instead of) running scenarios; printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** Extra lines printed after the message (e.g. a step snippet). */
  readonly details: string | undefined;
  constructor(message: string, details?: string) {
    super(message);
    this.details = details;
  }
}
