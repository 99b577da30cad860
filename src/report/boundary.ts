/**
 * The one way out. Every step and hook runs inside `boundary()` (steps/boundary.ts registers it as
 * cucumber's definition-function wrapper), and the World's attach and log redact what they send
 * (steps/world.ts): so whatever family produced a message, an attachment or an error, it leaves
 * through the scenario's redactor. The boundary also turns the error's typed kind into the verdict
 * (an attachment cucumber carries to every report), instead of trusting class names.
 */
import { kindOf } from '../failure/failure.ts';
import type { ErrorKind } from '../failure/failure.ts';
import { ALLURE_MESSAGE_MEDIA_TYPE, allureLabels, INCONCLUSIVE_MEDIA_TYPE, REASON_LABEL, VERDICT_LABEL, VERDICT_MEDIA_TYPE, verdictOfFailure } from './verdicts.ts';

/** What the boundary needs from the World. */
export interface BoundaryWorld {
  attach(data: string, mediaType: string): void;
  /** Masks every Secret value the scenario has met (identity before it exists). */
  redact(text: string): string;
}

/**
 * The thrown value made safe to leave: message and stack redacted, causes (which cucumber prints)
 * flattened into the message and redacted too. The error keeps its identity (class, kind, fields).
 */
export function redactError(err: unknown, redact: (text: string) => string): Error {
  if (!(err instanceof Error)) return new Error(redact(String(err)));
  const causes: string[] = [];
  const seen = new Set<unknown>([err]);
  for (let cause = err.cause; cause !== undefined && cause !== null && !seen.has(cause) && causes.length < 10; cause = (cause as { cause?: unknown }).cause) {
    seen.add(cause);
    causes.push(`Caused by: ${cause instanceof Error ? cause.message : String(cause)}`);
    if (!(cause instanceof Error)) break;
  }
  // Our own messages already render their cause; do not say it twice.
  const extra = causes.filter((c) => !err.message.includes(c.slice('Caused by: '.length)));
  const message = redact([err.message, ...extra].join('\n'));
  const frames = err.stack?.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') ?? '';
  try {
    err.message = message;
    err.stack = `${err.name}: ${message}${frames ? `\n${redact(frames)}` : ''}`;
    delete (err as { cause?: unknown }).cause;
    return err;
  } catch {
    return Object.assign(new Error(message), { name: err.name }); // a frozen error: replace it
  }
}

/** Wraps one step or hook function: its failure leaves redacted, with its verdict attached. */
export function boundary<F extends (...args: never[]) => unknown>(fn: F): F {
  const wrapped = async function (this: BoundaryWorld, ...args: never[]): Promise<unknown> {
    try {
      return await fn.apply(this, args);
    } catch (err) {
      const kind: ErrorKind = kindOf(err);
      const redact = typeof this?.redact === 'function' ? (t: string) => this.redact(t) : (t: string) => t;
      const safe = redactError(err, redact);
      // BeforeAll/AfterAll run without a World (cucumber gives them only { parameters }): nothing to attach to.
      if (typeof this?.attach !== 'function') throw safe;
      if (kind === 'inconclusive') {
        this.attach(`INCONCLUSIVE: ${safe.message}`, INCONCLUSIVE_MEDIA_TYPE);
        this.attach(allureLabels({ [VERDICT_LABEL]: 'INCONCLUSIVE', [REASON_LABEL]: safe.message.split('\n')[0] ?? '' }), ALLURE_MESSAGE_MEDIA_TYPE);
        return 'skipped';
      }
      this.attach(kind, VERDICT_MEDIA_TYPE);
      // The same verdict for Allure's categories (its own failed/broken guess does not follow our kinds).
      this.attach(allureLabels({ [VERDICT_LABEL]: verdictOfFailure(kind) }), ALLURE_MESSAGE_MEDIA_TYPE);
      throw safe;
    }
  };
  return wrapped as unknown as F;
}
