/**
 * Folds cucumber messages into scenario verdicts. Used by the progress formatter (live lines) and by
 * the CLI (summary and exit code), so both always agree.
 */
import type { Envelope, TestStepResult } from '@cucumber/messages';
import { INCONCLUSIVE_MEDIA_TYPE, SCENARIO_INFO_MEDIA_TYPE, VERDICT_MEDIA_TYPE, verdictOfFailure } from './verdicts.ts';
import type { Verdict } from './verdicts.ts';

/**
 * A scenario's outcome: one of the four verdicts, or SKIPPED when none of its steps or hooks ran at all
 * (`--dry-run`, or `--fail-fast` after an earlier failure) — not a verdict on the deployment.
 */
export type Outcome = Verdict | 'SKIPPED';

/** One finished scenario. */
export interface ScenarioResult {
  name: string;
  uri: string;
  line: number;
  verdict: Outcome;
  /** Failure message, or the INCONCLUSIVE reason. */
  message: string | undefined;
  /** Namespace/seed info line attached by the Before hook. */
  info: string | undefined;
  durationMs: number;
  attempt: number;
}

/** Status → severity, to find the worst step. */
const SEVERITY: Record<string, number> = { UNKNOWN: 0, PASSED: 1, SKIPPED: 2, PENDING: 3, UNDEFINED: 4, AMBIGUOUS: 5, FAILED: 6 };

function toMs(d: { seconds: number; nanos: number }): number {
  return d.seconds * 1000 + d.nanos / 1e6;
}

/** The fold: feed every envelope to `ingest`; `onFinished` fires per final (not retried) scenario. */
export interface RunModel {
  ingest(envelope: Envelope): void;
  /** Number of scenarios planned (known once test cases are announced). */
  total(): number;
  results(): readonly ScenarioResult[];
  counts(): Record<Outcome, number>;
  /** The error of a BeforeAll/AfterAll hook, if one failed. */
  hookErrors(): readonly string[];
  onFinished(listener: (result: ScenarioResult, index: number) => void): void;
}

/** Creates an empty model; `displayUri` says how to print a feature's path (default: cucumber's uri). */
export function createRunModel(options: { displayUri?: (uri: string) => string } = {}): RunModel {
  const show = options.displayUri ?? ((uri: string): string => uri);
  const pickles = new Map<string, { name: string; uri: string; line: number; astNodeIds: readonly string[] }>();
  const lineOf = new Map<string, number>();
  const testCases = new Map<string, string>(); // testCase id → pickle id
  const started = new Map<string, { testCaseId: string; attempt: number; start: number; worst: TestStepResult | undefined; ran: boolean; inconclusive?: string; info?: string; kind?: string }>();
  const results: ScenarioResult[] = [];
  const hookErrors: string[] = [];
  const listeners: Array<(r: ScenarioResult, i: number) => void> = [];

  const collectLines = (children: readonly any[] | undefined): void => {
    for (const child of children ?? []) {
      if (child.scenario) {
        lineOf.set(child.scenario.id, child.scenario.location.line);
        for (const ex of child.scenario.examples ?? []) for (const row of ex.tableBody ?? []) lineOf.set(row.id, row.location.line);
      }
      if (child.rule) collectLines(child.rule.children);
    }
  };

  return {
    ingest(e) {
      if (e.gherkinDocument) collectLines(e.gherkinDocument.feature?.children);
      if (e.pickle) {
        const ids = e.pickle.astNodeIds;
        const line = lineOf.get(ids[ids.length - 1] ?? '') ?? lineOf.get(ids[0] ?? '') ?? 0;
        pickles.set(e.pickle.id, { name: e.pickle.name, uri: show(e.pickle.uri), line, astNodeIds: ids });
      }
      if (e.testCase) testCases.set(e.testCase.id, e.testCase.pickleId);
      if (e.testCaseStarted) {
        started.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, attempt: e.testCaseStarted.attempt, start: toMs(e.testCaseStarted.timestamp), worst: undefined, ran: false });
      }
      if (e.attachment?.testCaseStartedId) {
        const s = started.get(e.attachment.testCaseStartedId);
        if (s && e.attachment.mediaType === INCONCLUSIVE_MEDIA_TYPE) s.inconclusive = e.attachment.body.replace(/^INCONCLUSIVE: /, '');
        if (s && e.attachment.mediaType === SCENARIO_INFO_MEDIA_TYPE) s.info = e.attachment.body;
        // The first failing step's kind decides (a later cleanup error does not turn a FAIL into an ERROR).
        if (s && e.attachment.mediaType === VERDICT_MEDIA_TYPE) s.kind ??= e.attachment.body;
      }
      if (e.testStepFinished) {
        const s = started.get(e.testStepFinished.testCaseStartedId);
        const r = e.testStepFinished.testStepResult;
        if (s && (SEVERITY[r.status] ?? 0) > (SEVERITY[s.worst?.status ?? 'UNKNOWN'] ?? 0)) s.worst = r;
        if (s && r.status !== 'SKIPPED') s.ran = true;
      }
      if (e.testRunHookFinished && e.testRunHookFinished.result.status === 'FAILED') {
        hookErrors.push(e.testRunHookFinished.result.message ?? 'a BeforeAll/AfterAll hook failed');
      }
      if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
        const s = started.get(e.testCaseFinished.testCaseStartedId);
        if (!s) return;
        const pickle = pickles.get(testCases.get(s.testCaseId) ?? '');
        const status = s.worst?.status ?? 'PASSED';
        let verdict: Outcome;
        let message = s.worst?.message;
        if (s.inconclusive) { verdict = 'INCONCLUSIVE'; message = s.inconclusive; }
        else if (!s.ran && status === 'SKIPPED') { verdict = 'SKIPPED'; message = undefined; }
        else if (status === 'PASSED') verdict = 'PASS';
        else if (status === 'FAILED') verdict = verdictOfFailure(s.kind); else if (status === 'SKIPPED') { verdict = 'ERROR'; message = message ?? 'skipped without a reason (an earlier hook failed?)'; }
        else { verdict = 'ERROR'; message = message ?? `a step is ${status.toLowerCase()}`; }
        const result: ScenarioResult = {
          name: pickle?.name ?? '?', uri: pickle?.uri ?? '?', line: pickle?.line ?? 0, verdict, message, info: s.info,
          durationMs: toMs(e.testCaseFinished.timestamp) - s.start, attempt: s.attempt,
        };
        results.push(result);
        listeners.forEach((l) => l(result, results.length));
      }
    },
    total: () => testCases.size,
    results: () => results,
    counts() {
      const c: Record<Outcome, number> = { PASS: 0, FAIL: 0, INCONCLUSIVE: 0, ERROR: 0, SKIPPED: 0 };
      for (const r of results) c[r.verdict]++;
      return c;
    },
    hookErrors: () => hookErrors,
    onFinished: (l) => { listeners.push(l); },
  };
}
