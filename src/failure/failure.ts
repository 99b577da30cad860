/**
 * The one failure model (Playwright's structured matcher result): every family — conditions, faults,
 * isolation, RBAC, quotas, probes, drain, load — reports what it expected, what it last observed and
 * since when, the cluster's own words for the cause, and our hint, as data. It is rendered in one
 * place, and the verdict comes from the error's typed kind, never from its class name.
 */
import { formatOffset } from '../util/duration.ts';

/**
 * What went wrong, as a verdict:
 * - `fail`: the system under test did not behave (FAIL);
 * - `inconclusive`: the environment cannot run the check (INCONCLUSIVE, never a pass);
 * - `error`: the tooling broke, or a fault could not be injected (ERROR);
 * - `input`: the scenario asked for something impossible — a bad rate, a missing Service (ERROR, exit 2);
 * - `submission`: a graded student's submission cannot be deployed — bad YAML, a Namespace, a missing image
 *   (ERROR, and the student loses the scenario's points: npm run grade).
 */
export type ErrorKind = 'fail' | 'inconclusive' | 'error' | 'input' | 'submission';

/** A structured failure. Only `subject`, `expected` and `received` are required. */
export interface Failure {
  /** Object reference, e.g. "apps/v1/Deployment kp-3f2a/api". */
  subject: string;
  /** Matcher in the header, e.g. "toHaveReadyReplicas(3)"; without it the header says "check failed". */
  matcher?: string;
  expected: string;
  received: string;
  /** Timeline offset (ms) since which `received` has not changed. */
  since?: number;
  /** How the verdict was reached: "Timeout:  60000ms (…)", "Violated: …", "Checked:  once …". */
  verdict?: string;
  attempts?: { count: number; lastT: number };
  /** The likeliest cause in the cluster's own words (scheduler, kubelet, HPA, API server), one line. */
  cause?: string;
  /** What to look at, in ours. */
  hint?: string;
  timeline?: { title: string; lines: readonly string[] };
  /** An underlying error (its message is appended as "Caused by"). */
  causedBy?: unknown;
}

/** Verdict words for the error kinds (report/verdicts.ts maps them for cucumber). */
export const VERDICT_OF_KIND = { fail: 'FAIL', inconclusive: 'INCONCLUSIVE', error: 'ERROR', input: 'ERROR', submission: 'ERROR' } as const;

const LABEL_WIDTH = 10;
const label = (name: string): string => `${name}:`.padEnd(LABEL_WIDTH);
const indent = (text: string): string => text.split('\n').join(`\n${' '.repeat(LABEL_WIDTH)}`);

/** Renders a failure for the console, Cucumber and Allure alike. The cause, when known, comes first. */
export function renderFailure(f: Failure): string {
  const lines: string[] = [];
  if (f.cause) lines.push(`${label('Cause')}${indent(f.cause)}`);
  lines.push(`expect(${f.subject}).${f.matcher ?? 'check()'} failed`, '');
  lines.push(`${label('Expected')}${indent(f.expected)}`, `${label('Received')}${indent(f.received)}`);
  if (f.since !== undefined) lines.push(`${' '.repeat(LABEL_WIDTH)}unchanged since ${formatOffset(f.since)}`);
  if (f.verdict) lines.push(f.verdict);
  if (f.attempts) lines.push(`${label('Attempts')}${f.attempts.count}, last observation at ${formatOffset(f.attempts.lastT)}`);
  if (f.hint) lines.push(`${label('Hint')}${indent(f.hint)}`);
  if (f.timeline?.lines.length) lines.push('', `${f.timeline.title}:`, ...f.timeline.lines.map((l) => `  ${l}`));
  if (f.causedBy !== undefined) lines.push(`Caused by: ${(f.causedBy as Error)?.message ?? String(f.causedBy)}`);
  return lines.join('\n');
}

/** Every error kubeproof raises on purpose: a kind (the verdict) and, for checks, the structured failure. */
export class KubeproofError extends Error {
  override name = 'KubeproofError';
  readonly kind: ErrorKind;
  readonly failure: Failure | undefined;
  constructor(kind: ErrorKind, what: string | Failure, options?: ErrorOptions) {
    super(typeof what === 'string' ? what : renderFailure(what), options ?? (typeof what !== 'string' && what.causedBy !== undefined ? { cause: what.causedBy } : undefined));
    this.kind = kind;
    this.failure = typeof what === 'string' ? undefined : what;
    // The message is the whole story; stack frames would only distract a student.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A check the system under test did not pass (FAIL). */
export class ConditionError extends KubeproofError {
  override name = 'ConditionError';
  constructor(failure: Failure) {
    super('fail', failure);
    this.stack = `${this.name}: ${this.message}`;
  }
  /** The same failure with a hint (and optionally a cause) added. */
  withHint(hint: string, cause?: string): ConditionError {
    const f = this.failure as Failure;
    return new ConditionError({ ...f, hint: f.hint ? `${f.hint}\n${hint}` : hint, ...(cause && !f.cause ? { cause } : {}) });
  }
}

/** A fault that could not be injected, or tooling that broke (ERROR); `fail` when the system refused it. */
export class FaultError extends KubeproofError {
  override name = 'FaultError';
  constructor(message: string, kind: ErrorKind = 'error') {
    super(kind, message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** The scenario asked for something impossible or absent (ERROR, exit 2); the message names the fix. */
export class InputError extends KubeproofError {
  override name = 'InputError';
  constructor(message: string) {
    super('input', message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** A graded submission cannot be deployed (ERROR blamed on the student: its points are lost); names file and line. */
export class SubmissionError extends KubeproofError {
  override name = 'SubmissionError';
  constructor(message: string) {
    super('submission', message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** The environment cannot run this check (INCONCLUSIVE); the message is the reason. */
export class InconclusiveError extends KubeproofError {
  override name = 'InconclusiveError';
  constructor(reason: string) {
    super('inconclusive', reason);
    this.stack = `${this.name}: ${reason}`;
  }
}

/** The kind of any thrown value: ours carry it; anything else is a tooling error. */
export function kindOf(err: unknown): ErrorKind {
  return err instanceof KubeproofError ? err.kind : 'error';
}
