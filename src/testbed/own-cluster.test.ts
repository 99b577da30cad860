import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixturesUsed, OWN_CONTEXT, targetsOwnCluster } from './own-cluster.ts';

describe('targetsOwnCluster', () => {
  it('targets our cluster on a fresh machine (no kubeconfig yet)', () => {
    assert.equal(targetsOwnCluster(undefined, undefined), true);
  });
  it('targets our cluster when it is the current context or named explicitly', () => {
    assert.equal(targetsOwnCluster(undefined, OWN_CONTEXT), true);
    assert.equal(targetsOwnCluster(OWN_CONTEXT, 'kind-other'), true);
  });
  it('leaves any other cluster alone, current or explicit', () => {
    assert.equal(targetsOwnCluster(undefined, 'kind-other'), false);
    assert.equal(targetsOwnCluster('prod', OWN_CONTEXT), false);
  });
});

describe('fixturesUsed', () => {
  it('lists each deployed fixture once, sorted', () => {
    assert.deepEqual(fixturesUsed([
      'the fixture "demo-shop" is deployed',
      'deployment "api" has 3 ready replicas within 60 seconds',
      'the fixture "demo-shop" is deployed',
      'the fixture "another" is deployed',
    ]), ['another', 'demo-shop']);
  });
  it('ignores steps that only mention a fixture', () => {
    assert.deepEqual(fixturesUsed(['I look at the fixture "demo-shop"']), []);
  });
});

describe('fixturesUsed on plain manifests', () => {
  it('needs demo-shop images when an applied folder runs kubeproof/demo-app, not for the pause image', () => {
    const root = new URL('../..', import.meta.url).pathname;
    assert.deepEqual(fixturesUsed(['the manifests in "test/e2e/features/load/manifests/web" are applied'], root), ['demo-shop']);
    assert.deepEqual(fixturesUsed(['the manifests in "features/foundation/manifests/pause-app" are applied'], root), []);
    assert.deepEqual(fixturesUsed(['the manifests in "no/such/dir" are applied'], root), []);
    assert.deepEqual(fixturesUsed(['the manifests in "test/e2e/features/podinfo-broken/manifests/same-probe" are applied'], root), ['podinfo']);
    assert.deepEqual(fixturesUsed(['the manifests in "test/e2e/features/podinfo-broken-nightly/manifests/no-pdb" are applied'], root), ['podinfo'], 'through symlinks too');
  });
});
