import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultVegetaLookup, pinnedVegetaVersion, resolveVegeta, vegetaCachePath } from './vegeta-binary.ts';
import type { VegetaLookup } from './vegeta-binary.ts';

/** A machine described by what exists on it. */
function machine(has: { onPath?: string; cached?: boolean; go?: boolean; buildFails?: string; buildWorks?: boolean }): VegetaLookup & { built: boolean } {
  const state = { cached: has.cached ?? false, built: false };
  return {
    version: 'v12.13.0',
    cacheDir: '/cache',
    onPath: () => has.onPath,
    isCached: (path) => state.cached && path === '/cache/bin/vegeta-v12.13.0/vegeta',
    hasGo: () => has.go ?? false,
    async build() {
      if (has.buildFails) throw new Error(`go: downloading…\n${has.buildFails}`);
      if (has.buildWorks) { state.cached = true; state.built = true; }
    },
    say: () => {},
    get built() { return state.built; },
  };
}

describe('resolveVegeta', () => {
  it('prefers vegeta on PATH', async () => {
    assert.deepEqual(await resolveVegeta(machine({ onPath: '/usr/local/bin/vegeta', cached: true })), { ok: true, path: '/usr/local/bin/vegeta', source: 'path', version: 'v12.13.0' });
  });

  it('uses the testbed cache next', async () => {
    assert.deepEqual(await resolveVegeta(machine({ cached: true, go: true })), { ok: true, path: '/cache/bin/vegeta-v12.13.0/vegeta', source: 'cache', version: 'v12.13.0' });
  });

  it('builds it into the cache when only Go is there', async () => {
    const m = machine({ go: true, buildWorks: true });
    assert.deepEqual(await resolveVegeta(m), { ok: true, path: '/cache/bin/vegeta-v12.13.0/vegeta', source: 'built', version: 'v12.13.0' });
    assert.equal(m.built, true);
  });

  it('says how to install it, in one line, when there is neither vegeta nor Go', async () => {
    const r = await resolveVegeta(machine({}));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'vegeta (the load generator) is not installed: install Go (https://go.dev/doc/install) and run "bash testbed/build-binaries.sh vegeta", or put a vegeta v12 binary on PATH');
  });

  it('reports a failed build with its last line', async () => {
    const r = await resolveVegeta(machine({ go: true, buildFails: 'proxy.golang.org: no such host' }));
    assert.equal(!r.ok && r.reason, 'building vegeta v12.13.0 failed (proxy.golang.org: no such host): run "bash testbed/build-binaries.sh vegeta" to see why, or put a vegeta v12 binary on PATH');
  });
});

describe('pinnedVegetaVersion / vegetaCachePath', () => {
  it('reads the pin from this checkout’s testbed/versions.env', () => {
    const text = readFileSync(resolve(import.meta.dirname, '..', '..', 'testbed', 'versions.env'), 'utf8');
    assert.equal(pinnedVegetaVersion(text), 'v12.13.0');
    assert.equal(pinnedVegetaVersion('KIND_VERSION=v0.27.0\n'), undefined);
    assert.equal(vegetaCachePath('/var/cache/kubeproof', 'v12.13.0'), '/var/cache/kubeproof/bin/vegeta-v12.13.0/vegeta');
  });
});

describe('defaultVegetaLookup', () => {
  it('finds an executable vegeta on PATH and a completed cache build, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-vegeta-'));
    try {
      const bin = join(dir, 'path-bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'vegeta'), '#!/bin/sh\n');
      const cacheBin = join(dir, 'cache', 'bin', 'vegeta-v12.13.0');
      mkdirSync(cacheBin, { recursive: true });
      writeFileSync(join(cacheBin, 'vegeta'), '#!/bin/sh\n');
      chmodSync(join(cacheBin, 'vegeta'), 0o755);
      const lookup = defaultVegetaLookup({ env: { PATH: bin, KUBEPROOF_CACHE: join(dir, 'cache') }, say: () => {} });
      assert.equal(lookup.version, 'v12.13.0');
      assert.equal(lookup.onPath(), undefined, 'not executable');
      chmodSync(join(bin, 'vegeta'), 0o755);
      assert.equal(lookup.onPath(), join(bin, 'vegeta'));
      const cached = vegetaCachePath(join(dir, 'cache'), 'v12.13.0');
      assert.equal(lookup.isCached(cached), false, 'no .done stamp: an interrupted build');
      writeFileSync(join(cacheBin, '.done'), '');
      assert.equal(lookup.isCached(cached), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
