/** A problem that stops the run before (or instead of) running scenarios; printed as one line (exit 2 from our CLI). */
export class UsageError extends Error {
  override name = 'UsageError';
  /** Extra lines printed after the message (e.g. a step snippet). */
  readonly details: string | undefined;
  constructor(message: string, details?: string) {
    super(message);
    this.details = details;
  }
}
