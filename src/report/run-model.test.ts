import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '@cucumber/messages';
import { createRunModel } from './run-model.ts';
import { INCONCLUSIVE_MEDIA_TYPE, VERDICT_MEDIA_TYPE } from './verdicts.ts';

const ts = (s: number) => ({ seconds: s, nanos: 0 });
const dur = { seconds: 0, nanos: 0 };

/** Builds the envelopes of one scenario whose worst step ends with `status` (and error type). */
function scenario(id: string, name: string, status: string, opts: { type?: string; kind?: string; message?: string; inconclusive?: string; willBeRetried?: boolean } = {}): Envelope[] {
  const envs: Envelope[] = [
    { pickle: { id: `p${id}`, name, uri: 'features/x.feature', astNodeIds: [`s${id}`], steps: [], tags: [], language: 'en' } as never },
    { testCase: { id: `tc${id}`, pickleId: `p${id}`, testSteps: [] } },
    { testCaseStarted: { id: `tcs${id}`, testCaseId: `tc${id}`, attempt: 0, timestamp: ts(1) } },
    { testStepFinished: { testCaseStartedId: `tcs${id}`, testStepId: 'x', timestamp: ts(2), testStepResult: { status: 'PASSED', duration: dur } as never } },
  ];
  // The boundary attaches the failing error's kind (report/boundary.ts).
  if (opts.kind) envs.push({ attachment: { testCaseStartedId: `tcs${id}`, mediaType: VERDICT_MEDIA_TYPE, body: opts.kind, contentEncoding: 'IDENTITY' } as never });
  if (opts.inconclusive) envs.push({ attachment: { testCaseStartedId: `tcs${id}`, mediaType: INCONCLUSIVE_MEDIA_TYPE, body: `INCONCLUSIVE: ${opts.inconclusive}`, contentEncoding: 'IDENTITY' } as never });
  envs.push({ testStepFinished: { testCaseStartedId: `tcs${id}`, testStepId: 'y', timestamp: ts(3), testStepResult: { status, duration: dur, message: opts.message, ...(opts.type ? { exception: { type: opts.type, message: opts.message } } : {}) } as never } });
  envs.push({ testCaseFinished: { testCaseStartedId: `tcs${id}`, timestamp: ts(4), willBeRetried: opts.willBeRetried ?? false } });
  return envs;
}

describe('createRunModel', () => {
  it('derives PASS, FAIL, ERROR and INCONCLUSIVE from cucumber statuses and the errors\' typed kinds, never their class names', () => {
    const model = createRunModel();
    const lines: string[] = [];
    model.onFinished((r, i) => lines.push(`${i}:${r.verdict}:${r.name}`));
    [
      ...scenario('1', 'heals', 'PASSED'),
      ...scenario('2', 'not ready', 'FAILED', { type: 'ConditionError', kind: 'fail', message: 'expect(...) failed' }),
      ...scenario('3', 'tool broke', 'FAILED', { type: 'TypeError', message: 'x is undefined' }),
      ...scenario('4', 'needs metrics', 'SKIPPED', { inconclusive: '@hpa needs the metrics API' }),
      ...scenario('5', 'bad rate', 'FAILED', { type: 'InputError', kind: 'input', message: 'rate must be > 0' }),
      ...scenario('6', 'named like a failure', 'FAILED', { type: 'ConditionError', message: 'thrown by someone else' }),
    ].forEach((e) => model.ingest(e));
    assert.deepEqual(lines, ['1:PASS:heals', '2:FAIL:not ready', '3:ERROR:tool broke', '4:INCONCLUSIVE:needs metrics', '5:ERROR:bad rate', '6:ERROR:named like a failure']);
    assert.deepEqual(model.counts(), { PASS: 1, FAIL: 1, ERROR: 3, INCONCLUSIVE: 1, SKIPPED: 0 });
    assert.equal(model.results()[3]?.message, '@hpa needs the metrics API');
    assert.equal(model.total(), 6);
  });

  it('counts a retried scenario once, with its last attempt', () => {
    const model = createRunModel();
    scenario('1', 'flaky', 'FAILED', { type: 'ConditionError', willBeRetried: true }).forEach((e) => model.ingest(e));
    assert.equal(model.results().length, 0);
  });

  it('calls a scenario none of whose steps or hooks ran SKIPPED, not a verdict (dry run, --fail-fast)', () => {
    const model = createRunModel();
    const skipped = (step: string) => ({ testStepFinished: { testCaseStartedId: 'tcs1', testStepId: step, timestamp: ts(2), testStepResult: { status: 'SKIPPED', duration: dur } as never } });
    [
      { pickle: { id: 'p1', name: 'listed', uri: 'features/x.feature', astNodeIds: ['s1'], steps: [], tags: [], language: 'en' } as never },
      { testCase: { id: 'tc1', pickleId: 'p1', testSteps: [] } },
      { testCaseStarted: { id: 'tcs1', testCaseId: 'tc1', attempt: 0, timestamp: ts(1) } },
      skipped('before-hook'), skipped('step'), skipped('after-hook'),
      { testCaseFinished: { testCaseStartedId: 'tcs1', timestamp: ts(1), willBeRetried: false } },
    ].forEach((e) => model.ingest(e as Envelope));
    assert.equal(model.results()[0]?.verdict, 'SKIPPED');
    assert.equal(model.results()[0]?.message, undefined);
    assert.deepEqual(model.counts(), { PASS: 0, FAIL: 0, ERROR: 0, INCONCLUSIVE: 0, SKIPPED: 1 });
  });

  it('treats a scenario skipped without an INCONCLUSIVE reason after a step ran as ERROR (never silently passed)', () => {
    const model = createRunModel();
    scenario('1', 'odd', 'SKIPPED').forEach((e) => model.ingest(e));
    assert.equal(model.results()[0]?.verdict, 'ERROR');
  });

  it('prints each scenario\'s feature path as displayUri says', () => {
    const model = createRunModel({ displayUri: (uri) => `/given/${uri}` });
    scenario('1', 'heals', 'PASSED').forEach((e) => model.ingest(e));
    assert.equal(model.results()[0]?.uri, '/given/features/x.feature');
  });
});
