import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor, MASK } from './redact.ts';

const secret = {
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"s3cr3t-pw"}}' } },
  data: { token: Buffer.from('tok-123456').toString('base64') },
  stringData: { password: 's3cr3t-pw' },
};

describe('createRedactor', () => {
  it('blanks the values of Secret objects but keeps their keys', () => {
    const out = createRedactor().object(secret);
    assert.deepEqual(out.data, { token: MASK });
    assert.deepEqual(out.stringData, { password: MASK });
    assert.equal(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], MASK);
  });

  it('masks learned values (plain and base64) inside any text, e.g. a pod log', () => {
    const r = createRedactor();
    r.learnSecret(secret);
    const log = `connecting with password=s3cr3t-pw token=tok-123456 b64=${Buffer.from('s3cr3t-pw').toString('base64')}`;
    const out = r.text(log);
    assert.doesNotMatch(out, /s3cr3t-pw|tok-123456/);
    assert.doesNotMatch(out, new RegExp(Buffer.from('s3cr3t-pw').toString('base64')));
    assert.equal(out.split(MASK).length - 1, 3);
  });

  it('masks learned values in nested objects (events, status)', () => {
    const r = createRedactor();
    r.learnSecret(secret);
    const out = r.object({ events: [{ message: 'env PASSWORD=s3cr3t-pw rejected' }] });
    assert.equal(out.events[0]?.message, `env PASSWORD=${MASK} rejected`);
  });

  it('leaves text untouched when no secret is known', () => {
    assert.equal(createRedactor().text('nothing secret here'), 'nothing secret here');
  });

  it('does not mask very short values everywhere', () => {
    const r = createRedactor();
    r.learnSecret({ kind: 'Secret', stringData: { flag: '1' } });
    assert.equal(r.text('replicas: 1'), 'replicas: 1');
  });
});
