/** The one shape of every failed condition (code-style.md §2.5). Built here, never in steps. */
import { formatOffset } from '../util/duration.ts';

/** Inputs of a failure message. */
export interface FailureDetails {
  subject: string;
  matcher: string;
  expected: string;
  received: string;
  /** Offset (ms since scenario start) at which `received` last changed. */
  lastChangeT: number;
  /** Why it failed: timed out, or violated during a hold. */
  verdictLine: string;
  attempts: number;
  lastObservationT: number;
  timeline: readonly string[];
  timelineTitle: string;
  cause?: unknown;
}

/** Renders the failure message. */
export function formatFailure(d: FailureDetails): string {
  const lines = [
    `expect(${d.subject}).${d.matcher} failed`,
    '',
    `Expected: ${d.expected}`,
    `Received: ${d.received}`,
    `          unchanged since ${formatOffset(d.lastChangeT)}`,
    d.verdictLine,
    `Attempts: ${d.attempts}, last observation at ${formatOffset(d.lastObservationT)}`,
  ];
  if (d.timeline.length) lines.push('', `${d.timelineTitle}:`, ...d.timeline.map((l) => `  ${l}`));
  if (d.cause) lines.push(`Caused by: ${(d.cause as Error)?.message ?? String(d.cause)}`);
  return lines.join('\n');
}

/** A condition that was not met; `message` is the formatted text. */
export class ConditionError extends Error {
  override name = 'ConditionError';
  readonly details: FailureDetails;
  constructor(details: FailureDetails) {
    super(formatFailure(details), details.cause ? { cause: details.cause } : undefined);
    this.details = details;
    // The message is the whole story; stack frames of the engine would only distract a student.
    this.stack = `${this.name}: ${this.message}`;
  }
}
