import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDnsTable, parseResolved, resolvePlaceholders } from './dns-table.ts';

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
