import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { expectAccessReview, expectRealRequest, parseAction } from './access-review.ts';

describe('parseAction', () => {
  it('reads core resources, named objects and API groups', () => {
    assert.deepEqual(parseAction('list', 'pods'), { verb: 'list', resource: 'pods', group: '', name: undefined, text: 'list pods' });
    assert.deepEqual(parseAction('get', 'configmaps/demo-shop-config').name, 'demo-shop-config');
    assert.deepEqual(parseAction('create', 'deployments.apps').group, 'apps');
  });

  it('rejects an unknown verb and a singular/capitalised resource with what to write', () => {
    assert.throws(() => parseAction('read', 'pods'), /"read" is not a Kubernetes verb/);
    assert.throws(() => parseAction('get', 'Pod'), /write the plural, lowercase/);
  });
});

describe('expectAccessReview', () => {
  const sa = { '/api/v1/namespaces/ns/serviceaccounts/api': { status: 200, body: '{}' } };
  it('sends the service account as user with its groups, and FAILs naming the unexpected answer', async () => {
    let sent: any;
    const cluster = createFakeCluster({ rawResponses: sa, onPost: (_path, body) => { sent = body; return { status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "api/ns"' } }; } });
    await assert.rejects(expectAccessReview(cluster, 'ns', 'api', parseAction('get', 'secrets'), false), (e: Error) =>
      (e as Error & { kind?: string }).kind === 'fail' && /^Cause: +RBAC: allowed by RoleBinding "api\/ns" \(the API server's SubjectAccessReview\)\n/.test(e.message) && /Received: ALLOWED by the API server's SubjectAccessReview\n/.test(e.message));
    assert.equal(sent.spec.user, 'system:serviceaccount:ns:api');
    assert.deepEqual(sent.spec.resourceAttributes, { namespace: 'ns', verb: 'get', resource: 'secrets', group: '' });
  });

  it('passes when the answer matches', async () => {
    const cluster = createFakeCluster({ rawResponses: sa, onPost: () => ({ status: { allowed: false } }) });
    assert.match(await expectAccessReview(cluster, 'ns', 'api', parseAction('get', 'secrets'), false), /may not get secrets/);
  });

  it('says so when the service account does not exist', async () => {
    const cluster = createFakeCluster({ onPost: () => ({ status: { allowed: false } }) });
    await assert.rejects(expectAccessReview(cluster, 'ns', 'api', parseAction('get', 'secrets'), false), /service account "api" does not exist in namespace ns/);
  });
});

describe('expectRealRequest', () => {
  it('uses the issued token and maps 403 to forbidden', async () => {
    const cluster = createFakeCluster({
      onPost: (path) => { assert.equal(path, '/api/v1/namespaces/ns/serviceaccounts/api/token'); return { status: { token: 'tok' } }; },
      rawResponses: { 'tok /api/v1/namespaces/ns/secrets': { status: 403, body: '{"reason":"Forbidden"}' } },
    });
    const learnt: string[] = [];
    assert.match(await expectRealRequest(cluster, 'ns', 'api', parseAction('list', 'secrets'), false, (v) => learnt.push(v)), /HTTP 403/);
    assert.deepEqual(learnt, ['tok'], 'the bearer token is learnt by the redactor before it could be shown');
    await assert.rejects(expectRealRequest(cluster, 'ns', 'api', parseAction('list', 'secrets'), true, () => {}), /Expected: HTTP 200\nReceived: HTTP 403/);
  });
});
