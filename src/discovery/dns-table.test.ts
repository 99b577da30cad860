import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDnsTable, parseResolved, resolvePlaceholders, RESOLVE_SCRIPT } from './dns-table.ts';

describe('parseDnsTable', () => {
  it('reads rows with an empty from, aliases, services, pods and nothing', () => {
    const rows = parseDnsTable([
      { from: '', name: 'api', 'resolves to': 'service api' },
      { from: 'other', name: 'api.{namespace}', 'resolves to': 'service api' },
      { from: 'other', name: 'api', 'resolves to': 'nothing' },
      { from: '', name: 'postgres-0.postgres-headless', 'resolves to': 'pod postgres-0' },
      { from: '', name: 'web.{namespace:other}', 'resolves to': 'service web in other' },
    ]);
    assert.deepEqual(rows.map((r) => [r.from, r.expect]), [
      [undefined, { kind: 'service', name: 'api', alias: undefined }],
      ['other', { kind: 'service', name: 'api', alias: undefined }],
      ['other', { kind: 'nothing' }],
      [undefined, { kind: 'pod', name: 'postgres-0', alias: undefined }],
      [undefined, { kind: 'service', name: 'web', alias: 'other' }],
    ]);
  });

  it('names the row of a bad answer or name', () => {
    assert.throws(() => parseDnsTable([{ from: '', name: 'api', 'resolves to': 'the api' }]), /row 1: "the api" is not an answer/);
    assert.throws(() => parseDnsTable([{ from: '', name: 'API!', 'resolves to': 'nothing' }]), /row 1: "API!" is not a DNS name/);
    assert.throws(() => parseDnsTable([{ from: '', host: 'api' }]), /needs the columns/);
  });
});

describe('resolvePlaceholders', () => {
  it('puts real namespace names in', () => {
    const ns = (alias: string | undefined): string => (alias ? `kp-1-${alias}` : 'kp-1');
    assert.equal(resolvePlaceholders('api.{namespace}.svc.cluster.local', ns), 'api.kp-1.svc.cluster.local');
    assert.equal(resolvePlaceholders('web.{namespace:other}', ns), 'web.kp-1-other');
  });
});

describe('parseResolved', () => {
  it('reads answers, no answer and timeouts', () => {
    const r = parseResolved('A api 10.96.0.12 \nA api.x -\nA slow timeout\nnoise');
    assert.deepEqual([...r], [['api', ['10.96.0.12']], ['api.x', []], ['slow', 'timeout']]);
  });
});

describe('RESOLVE_SCRIPT', () => {
  it('prints an answer, NXDOMAIN as "-" and a hung lookup as timeout, which parseResolved reads back', () => {
    // A getent of our own on PATH: answers "api" with two lines, fails "gone" (exit 2, no output) and hangs on "slow".
    const dir = mkdtempSync(join(tmpdir(), 'kp-dns-'));
    try {
      writeFileSync(join(dir, 'getent'), [
        '#!/bin/sh',
        'case "$2" in',
        '  api) echo "10.96.0.12      STREAM api.ns.svc.cluster.local"; echo "10.96.0.12      DGRAM"; exit 0 ;;',
        '  slow) sleep 10 ;;',
        '  *) exit 2 ;;',
        'esac',
      ].join('\n'));
      chmodSync(join(dir, 'getent'), 0o755);
      const log = execFileSync('bash', ['-c', RESOLVE_SCRIPT, 'probe', 'api', 'gone', 'slow'], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
      assert.deepEqual([...parseResolved(log)], [['api', ['10.96.0.12']], ['gone', []], ['slow', 'timeout']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
