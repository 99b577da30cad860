import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeHost } from './host-probe.ts';

const bin = mkdtempSync(join(tmpdir(), 'kubeproof-host-probe-'));
after(() => rmSync(bin, { recursive: true, force: true }));

/** Runs the probe with PATH holding only `bin` (and sh for the fake's shebang). */
async function probeWithPath(): Promise<{ docker: boolean; nodes: string[] }> {
  const saved = process.env.PATH;
  process.env.PATH = bin;
  try {
    const host = probeHost();
    return { docker: await host.docker, nodes: await host.ownNodes };
  } finally {
    process.env.PATH = saved;
  }
}

describe('probeHost', () => {
  it('says docker is missing, and lists no node, when docker cannot be started', async () => {
    assert.deepEqual(await probeWithPath(), { docker: false, nodes: [] });
  });

  it("lists our kind cluster's node containers from docker ps", async () => {
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\n[ "$1" = ps ] && printf "kubeproof-control-plane\\nkubeproof-worker\\n"\n');
    chmodSync(join(bin, 'docker'), 0o755);
    assert.deepEqual(await probeWithPath(), { docker: true, nodes: ['kubeproof-control-plane', 'kubeproof-worker'] });
  });

  it('counts docker as there but lists no node when its daemon does not answer', async () => {
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2; exit 1\n');
    chmodSync(join(bin, 'docker'), 0o755);
    assert.deepEqual(await probeWithPath(), { docker: true, nodes: [] });
  });
});
