import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openScope } from '../journal/journal.ts';
import { createRedactor } from '../report/redact.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { createNamespaceRegistry } from './namespaces.ts';

describe('createNamespaceRegistry', () => {
  it('learns every Secret value of every namespace it owns, also ones created later by others', async () => {
    const cluster = createFakeCluster();
    const redactor = createRedactor();
    const journal = openScope(mkdtempSync(join(tmpdir(), 'kp-ns-')), 's');
    const registry = createNamespaceRegistry('kp-main', { client: cluster, journal, timeline: createTimeline(systemClock), redactor, runId: 'abc', scenarioName: 's' });
    await registry.createMain();
    const partner = await registry.createAlias('partner');
    await registry.secretsLearnt();
    assert.deepEqual(journal.pending().map((r) => r.params.name), ['kp-main', partner], 'both deletions journalled before creation');
    cluster.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: partner }, data: { password: Buffer.from('hunter2-partner').toString('base64') } });
    cluster.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'someone-else' }, data: { password: Buffer.from('not-ours-value').toString('base64') } });
    assert.equal(redactor.text('pw hunter2-partner'), 'pw ***REDACTED***', 'a Secret of an alias namespace is learnt');
    assert.equal(redactor.text('not-ours-value'), 'not-ours-value', 'namespaces it does not own are not watched');
    assert.equal(registry.resolve('partner'), partner);
    assert.throws(() => registry.resolve('nope'), /namespace "nope" is unknown here/);
    await registry.stop();
  });
});
