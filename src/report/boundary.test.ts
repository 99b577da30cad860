import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionError, InconclusiveError } from '../failure/failure.ts';
import { boundary, redactError } from './boundary.ts';
import { ALLURE_MESSAGE_MEDIA_TYPE, allureLabels, INCONCLUSIVE_MEDIA_TYPE, VERDICT_MEDIA_TYPE } from './verdicts.ts';

const SECRET = 's3cr3t-value';
const redact = (t: string): string => t.replaceAll(SECRET, '***');

/** A World as the boundary sees it, recording what it attached. */
function world() {
  const attached: Array<[string, string]> = [];
  return { attached, attach: (data: string, mediaType: string) => { attached.push([mediaType, data]); }, redact };
}

describe('redactError', () => {
  it('masks the message, the stack and every cause, and drops the cause chain cucumber would print', () => {
    const err = new Error(`outer ${SECRET}`, { cause: new Error(`inner ${SECRET}`) });
    const safe = redactError(err, redact);
    assert.equal(safe, err, 'the same error (its class and kind stay)');
    assert.equal(safe.message, 'outer ***\nCaused by: inner ***');
    assert.doesNotMatch(safe.stack ?? '', new RegExp(SECRET));
    assert.equal(safe.cause, undefined);
    assert.equal(redactError(`thrown ${SECRET}`, redact).message, 'thrown ***');
  });
});

describe('boundary', () => {
  it('lets a passing step through untouched', async () => {
    const w = world();
    assert.equal(await boundary(async () => 'ok').call(w), 'ok');
    assert.deepEqual(w.attached, []);
  });

  it('attaches the failing error\'s kind and rethrows it redacted', async () => {
    const w = world();
    const step = boundary(async () => { throw new ConditionError({ subject: 's', expected: 'e', received: `got ${SECRET}` }); });
    await assert.rejects(step.call(w), (err: Error) => /Received: got \*\*\*/.test(err.message) && !err.message.includes(SECRET));
    assert.deepEqual(w.attached, [[VERDICT_MEDIA_TYPE, 'fail'], [ALLURE_MESSAGE_MEDIA_TYPE, allureLabels({ 'kubeproof.verdict': 'FAIL' })]]);
  });

  it('marks tooling errors as error, and turns an inconclusive one into a skipped step with its reason', async () => {
    const w = world();
    await assert.rejects(boundary(async () => { throw new TypeError('boom'); }).call(w), /boom/);
    assert.deepEqual(w.attached, [[VERDICT_MEDIA_TYPE, 'error'], [ALLURE_MESSAGE_MEDIA_TYPE, allureLabels({ 'kubeproof.verdict': 'ERROR' })]]);
    const v = world();
    assert.equal(await boundary(async () => { throw new InconclusiveError(`generator saturated ${SECRET}`); }).call(v), 'skipped');
    assert.deepEqual(v.attached, [[INCONCLUSIVE_MEDIA_TYPE, 'INCONCLUSIVE: generator saturated ***'], [ALLURE_MESSAGE_MEDIA_TYPE, allureLabels({ 'kubeproof.verdict': 'INCONCLUSIVE', 'kubeproof.reason': 'generator saturated ***' })]]);
  });
});
