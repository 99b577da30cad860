/**
 * The course catalogue's broken variants in `npm test`, kept lean for the CI budget: the ConfigMap
 * mounted with subPath (it also reads a Secret from inside the container, which must reach no report),
 * the root and writable-root containers (security seen from inside) and the short name across
 * namespaces. The other variants run nightly (test/e2e/nightly/catalogue.e2e.ts).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { kube } from './helpers.ts';
import { assertEveryVariantListed, expectBrokenVariantsFail, LEAN_VARIANTS } from './catalogue-broken.ts';

describe('course catalogue: broken variants (npm test subset)', () => {
  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
  });

  it('every variant has its expected cause listed', () => assertEveryVariantListed());

  it('subPath ConfigMap, root container, writable root and a short name across namespaces FAIL with their cause; no Secret value reaches a report', async () => {
    await expectBrokenVariantsFail(LEAN_VARIANTS);
  });
});
