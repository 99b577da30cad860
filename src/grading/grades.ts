/**
 * Points, pure: a scenario's verdict and the kind of error that ended it decide what the student earns
 * and whether it counts at all.
 *
 *   PASS                            earned = points, counted
 *   FAIL                            0, counted (the deployment misbehaved)
 *   ERROR from the submission       0, counted (their YAML, a Namespace, a missing image …)
 *   ERROR of the tooling            not counted, flagged for the teacher (rerun: --resume)
 *   INCONCLUSIVE                    not counted, shown apart with the environment's reason
 */
import type { Verdict } from '../report/verdicts.ts';

/** How a scenario's result counts. */
export type Standing = 'earned' | 'lost' | 'submission-error' | 'tooling-error' | 'inconclusive';

/** One step as the report shows it. */
export interface StepRecord {
  text: string;
  status: string;
  durationMs: number;
  message?: string;
}

/** One attachment (already through the redaction boundary). */
export interface AttachmentRecord {
  name: string;
  mediaType: string;
  body: string;
  /** base64 bodies (images) vs plain text */
  encoding: 'BASE64' | 'IDENTITY';
}

/** One graded scenario of one student. */
export interface GradedScenario {
  /** Feature file relative to the suite folder, and the scenario's line there. */
  file: string;
  line: number;
  name: string;
  points: number;
  verdict: Verdict;
  standing: Standing;
  earned: number;
  /** One sentence: why it did not pass (or the INCONCLUSIVE reason). */
  reason?: string;
  hint?: string;
  /** The whole failure message. */
  message?: string;
  durationMs: number;
  steps: StepRecord[];
  attachments: AttachmentRecord[];
}

/** A student's grade (reports/grades/<id>/grade.json). */
export interface StudentGrade {
  id: string;
  name: string;
  folder: string;
  suiteFingerprint: string;
  gradedAt: string;
  score: number;
  /** Points that counted (INCONCLUSIVE and tooling errors left out). */
  total: number;
  /** Every scenario's points. */
  max: number;
  /** Suite name → submission name, from the mapping file. */
  names: Record<string, string>;
  scenarios: GradedScenario[];
}

/** Standing of a verdict; `kind` is the typed kind of the error that failed the scenario. */
export function standingOf(verdict: Verdict, kind: string | undefined): Standing {
  switch (verdict) {
    case 'PASS': return 'earned';
    case 'FAIL': return 'lost';
    case 'INCONCLUSIVE': return 'inconclusive';
    case 'ERROR': return kind === 'submission' ? 'submission-error' : 'tooling-error';
  }
}

/** Whether a standing counts towards the total. */
export function counts(standing: Standing): boolean {
  return standing === 'earned' || standing === 'lost' || standing === 'submission-error';
}

/** Score, total and max over a student's scenarios. */
export function totals(scenarios: readonly Pick<GradedScenario, 'points' | 'standing'>[]): { score: number; total: number; max: number } {
  let score = 0;
  let total = 0;
  let max = 0;
  for (const s of scenarios) {
    max += s.points;
    if (counts(s.standing)) total += s.points;
    if (s.standing === 'earned') score += s.points;
  }
  return { score, total, max };
}

/** "7 / 9" with halves kept ("3.5 / 4"). */
export function formatPoints(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}

/**
 * The one sentence a student reads first, and the hint, from a rendered failure (failure.ts):
 * the cluster's cause when known, else "expected …, received …", else the first line.
 */
export function summarizeFailure(message: string | undefined): { reason?: string; hint?: string } {
  if (!message?.trim()) return {};
  // Cucumber's message starts with the error's class ("SubmissionError: …"): the student needs the text.
  const lines = message.replace(/^\s*[A-Z]\w*Error: /, '').split('\n');
  const field = (name: string): string | undefined => {
    const i = lines.findIndex((l) => l.startsWith(`${name}:`));
    if (i < 0) return undefined;
    const parts = [lines[i]?.slice(name.length + 1).trim() ?? ''];
    // Continuation lines are indented under the label (renderFailure).
    for (let j = i + 1; j < lines.length && /^ {10}\S/.test(lines[j] ?? '') && !/^ {10}unchanged since/.test(lines[j] ?? ''); j++) parts.push(lines[j]?.trim() ?? '');
    return parts.join(' ');
  };
  const cause = field('Cause');
  const expected = field('Expected');
  const received = field('Received');
  const hint = field('Hint');
  const first = lines.find((l) => l.trim())?.trim();
  const reason = cause ?? (expected && received ? `expected ${expected}; received ${received}` : first);
  return { ...(reason ? { reason: oneSentence(reason) } : {}), ...(hint ? { hint } : {}) };
}

function oneSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 297)}…` : t;
}
