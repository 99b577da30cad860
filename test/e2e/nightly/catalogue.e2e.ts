/**
 * Nightly: the course catalogue's broken variants that `npm test` leaves out (test/e2e/catalogue.e2e.ts
 * runs the lean subset) — PostgreSQL on an emptyDir, a memory hog without a limit, a DaemonSet whose
 * nodeSelector matches no node, an app that exits at once on SIGTERM under load, an Ingress without its
 * /auth rule. Each must FAIL with its cause.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { kube } from '../helpers.ts';
import { BROKEN_VARIANTS, expectBrokenVariantsFail, LEAN_VARIANTS } from '../catalogue-broken.ts';

describe('course catalogue: broken variants (nightly)', () => {
  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
  });

  it('emptyDir, no memory limit, DaemonSet nodeSelector, exit at once on SIGTERM and an Ingress without /auth FAIL with their cause', async () => {
    await expectBrokenVariantsFail(Object.keys(BROKEN_VARIANTS).filter((f) => !LEAN_VARIANTS.includes(f)));
  });
});
