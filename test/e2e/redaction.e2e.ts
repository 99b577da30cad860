/**
 * Redaction by construction: every family fails (or cannot inject its fault) while a Secret's value sits
 * in what it would print — logs, HTTP answers, label selectors, probe paths, API errors, a Secret list
 * fetched with a real token, quota and disruption-budget names. No file under reports/ may contain the
 * value, plain or base64.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { attachmentsOf, kube, ROOT, runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';

const SECRET = 'kp-planted-q7x2-s3cr3t';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => { const f = join(dir, e); return statSync(f).isDirectory() ? allFiles(f) : [f]; });
}

describe('redaction on the real cluster', () => {
  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
  });

  it('no report holds a Secret value, whichever family failed with it in view', async () => {
    const result = await runCli(['test/e2e/features/redaction']);
    const out = `${result.stdout}\n${result.stderr}`;
    // Every scenario failed in its own way: none passed, so each leak path was exercised.
    assert.match(result.stderr, /8 scenarios — 0 PASS, 6 FAIL, 0 INCONCLUSIVE, 2 ERROR/, out);
    assert.equal(result.code, 2, out);
    assert.match(result.stdout, /! ERROR  the probe fault names the readiness path it cannot switch[\s\S]*readiness-off could not be injected/);
    assert.match(result.stdout, /! ERROR  the API server quotes the invalid label[\s\S]*Invalid value/);
    // The value was there to leak: it is masked where it would have appeared.
    const masked = attachmentsOf().map((a) => a.body).join('\n') + out;
    for (const where of [/starting with token \*\*\*REDACTED\*\*\*/, /selects app=leaky,token=\*\*\*REDACTED\*\*\*|token=\*\*\*REDACTED\*\*\*/, /exceeded quota: \*\*\*REDACTED\*\*\*/, /PodDisruptionBudget \*\*\*REDACTED\*\*\*/, /\/\*\*\*REDACTED\*\*\*\?set=false/]) {
      assert.match(masked, where);
    }
    const leaks = allFiles(join(ROOT, 'reports')).filter((f) => {
      const body = readFileSync(f);
      return body.includes(SECRET) || body.includes(Buffer.from(SECRET).toString('base64'));
    });
    assert.deepEqual(leaks, []);
    assert.ok(!out.includes(SECRET), 'the console output is redacted too');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
