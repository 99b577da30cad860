/**
 * Folds the grading run's cucumber messages into graded scenarios per student. Verdicts come from the
 * same run model as `npm run chaos` (report/run-model.ts), so a grade never disagrees with the run's own
 * summary; this fold adds what grading needs: the student (tag), the points, the error's kind (who is to
 * blame), the steps and the attachments.
 */
import type { Envelope } from '@cucumber/messages';
import { createRunModel } from '../report/run-model.ts';
import { VERDICT_MEDIA_TYPE } from '../report/verdicts.ts';
import type { Verdict } from '../report/verdicts.ts';
import { standingOf, summarizeFailure } from './grades.ts';
import type { AttachmentRecord, GradedScenario, Standing, StepRecord } from './grades.ts';
import { pointsOf, STUDENT_TAG, studentOf } from './suite.ts';

/** Media types of our own bookkeeping attachments, not shown as evidence. */
const BOOKKEEPING = new Set([VERDICT_MEDIA_TYPE, 'application/vnd.allure.message+json']);

/** The fold. */
export interface ClassFold {
  ingest(envelope: Envelope): void;
  /** Scenarios planned per student (known once cucumber announced its test cases). */
  planned(): Map<string, number>;
  /** Called for every final scenario result. */
  onScenario(listener: (studentId: string, scenario: GradedScenario) => void): void;
  /** Called when a scenario starts. */
  onStarted(listener: (studentId: string, name: string) => void): void;
}

const toMs = (d: { seconds: number; nanos: number }): number => d.seconds * 1000 + d.nanos / 1e6;

/** Creates the fold; `suiteFileOf` turns a copied feature's uri back into the suite-relative path. */
export function createClassFold(suiteFileOf: (uri: string) => string): ClassFold {
  const model = createRunModel();
  const pickles = new Map<string, { name: string; tags: string[]; steps: Map<string, string> }>();
  const testCases = new Map<string, { pickleId: string; steps: Map<string, { pickleStepId?: string; hook: boolean }> }>();
  const started = new Map<string, { testCaseId: string; kind?: string; steps: Map<string, StepRecord>; attachments: AttachmentRecord[]; stepOrder: string[] }>();
  const planned = new Map<string, number>();
  const scenarioListeners: Array<(id: string, s: GradedScenario) => void> = [];
  const startListeners: Array<(id: string, name: string) => void> = [];

  return {
    ingest(e) {
      const before = model.results().length;
      model.ingest(e);
      if (e.pickle) pickles.set(e.pickle.id, { name: e.pickle.name, tags: e.pickle.tags.map((t) => t.name), steps: new Map(e.pickle.steps.map((s) => [s.id, s.text])) });
      if (e.testCase) {
        testCases.set(e.testCase.id, { pickleId: e.testCase.pickleId, steps: new Map(e.testCase.testSteps.map((s) => [s.id, { pickleStepId: s.pickleStepId, hook: Boolean(s.hookId) }])) });
        const student = studentOf(pickles.get(e.testCase.pickleId)?.tags ?? []);
        if (student) planned.set(student, (planned.get(student) ?? 0) + 1);
      }
      if (e.testCaseStarted) {
        started.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, steps: new Map(), attachments: [], stepOrder: [] });
        const tc = testCases.get(e.testCaseStarted.testCaseId);
        const pickle = pickles.get(tc?.pickleId ?? '');
        const student = studentOf(pickle?.tags ?? []);
        if (student && e.testCaseStarted.attempt === 0) for (const l of startListeners) l(student, pickle?.name ?? '');
      }
      if (e.testStepFinished) {
        const s = started.get(e.testStepFinished.testCaseStartedId);
        const tc = testCases.get(s?.testCaseId ?? '');
        const step = tc?.steps.get(e.testStepFinished.testStepId);
        const pickle = pickles.get(tc?.pickleId ?? '');
        if (s && step && !step.hook) {
          const r = e.testStepFinished.testStepResult;
          s.steps.set(e.testStepFinished.testStepId, { text: pickle?.steps.get(step.pickleStepId ?? '') ?? '?', status: r.status, durationMs: toMs(r.duration), ...(r.message ? { message: r.message } : {}) });
          s.stepOrder.push(e.testStepFinished.testStepId);
        }
      }
      if (e.attachment?.testCaseStartedId) {
        const s = started.get(e.attachment.testCaseStartedId);
        if (s && e.attachment.mediaType === VERDICT_MEDIA_TYPE) s.kind ??= e.attachment.body;
        if (s && !BOOKKEEPING.has(e.attachment.mediaType) && e.attachment.fileName) {
          s.attachments.push({ name: e.attachment.fileName, mediaType: e.attachment.mediaType, body: e.attachment.body, encoding: e.attachment.contentEncoding === 'BASE64' ? 'BASE64' : 'IDENTITY' });
        }
      }
      if (e.testCaseFinished && model.results().length > before) {
        const result = model.results()[model.results().length - 1];
        const s = started.get(e.testCaseFinished.testCaseStartedId);
        const tc = testCases.get(s?.testCaseId ?? '');
        const tags = pickles.get(tc?.pickleId ?? '')?.tags ?? [];
        const student = studentOf(tags);
        if (!result || !s || !student) return;
        const points = pointsOf(tags.filter((t) => !t.startsWith(STUDENT_TAG)), result.name);
        // A scenario cucumber never ran (SKIPPED: --fail-fast, a dry run) earns nothing and is no student's
        // fault: a tooling error, as it was before the run model told it from ERROR.
        const verdict: Verdict = result.verdict === 'SKIPPED' ? 'ERROR' : result.verdict;
        const standing: Standing = result.verdict === 'SKIPPED' ? 'tooling-error' : standingOf(verdict, s.kind);
        const summary = verdict === 'PASS' ? {} : verdict === 'INCONCLUSIVE' ? { reason: result.message?.split('\n')[0] } : summarizeFailure(result.message);
        const scenario: GradedScenario = {
          file: suiteFileOf(result.uri), line: result.line, name: result.name, points, verdict, standing,
          earned: standing === 'earned' ? points : 0,
          ...(summary.reason ? { reason: summary.reason } : {}),
          ...('hint' in summary && summary.hint ? { hint: summary.hint } : {}),
          // Cucumber prefixes the error's class ("SubmissionError: …"); a student needs the text.
          ...(result.verdict !== 'PASS' && result.message ? { message: result.message.replace(/^\s*[A-Z]\w*Error: /, '') } : {}),
          durationMs: result.durationMs,
          steps: s.stepOrder.map((id) => s.steps.get(id)).filter((x): x is StepRecord => Boolean(x)),
          attachments: s.attachments,
        };
        for (const l of scenarioListeners) l(student, scenario);
      }
    },
    planned: () => planned,
    onScenario: (l) => { scenarioListeners.push(l); },
    onStarted: (l) => { startListeners.push(l); },
  };
}
