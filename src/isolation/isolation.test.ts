import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeCluster } from '../cluster/fake-client.ts';
import { createNamespaceView } from '../cluster/view.ts';
import { openScope } from '../journal/journal.ts';
import { executeUndo } from '../journal/undo-kinds.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { aliasNamespaceName, createIsolation } from './isolation.ts';

const NS = 'kp-abc123-only-api-reaches-postgres-4242';

function setup() {
  const cluster = createFakeCluster();
  const journal = openScope(mkdtempSync(join(tmpdir(), 'kp-iso-')), 's');
  const timeline = createTimeline(systemClock);
  const isolation = createIsolation({ client: cluster, namespace: NS, runId: 'abc123', scenarioName: 's', journal, timeline, view: createNamespaceView(cluster, NS), engine: { clock: systemClock, timeline } });
  return { cluster, journal, isolation };
}

describe('aliasNamespaceName', () => {
  it('appends the alias and stays a valid namespace name', () => {
    const name = aliasNamespaceName(`kp-abc123-${'x'.repeat(60)}`, 'partner');
    assert.ok(name.length <= 63, name);
    assert.match(name, /^kp-abc123-x+-partner$/);
  });
});

describe('createIsolation', () => {
  it('journals the deletion of another namespace before creating it, owned and labelled', async () => {
    const { cluster, journal, isolation } = setup();
    const name = await isolation.anotherNamespace('partner', 'team=trusted');
    assert.deepEqual(journal.pending().map((r) => [r.kind, r.params.name]), [['namespace.delete', name]]);
    const ns = await cluster.get('Namespace', name);
    assert.equal(ns?.metadata?.labels?.team, 'trusted');
    assert.equal(ns?.metadata?.labels?.['app.kubernetes.io/managed-by'], 'kubeproof');
  });

  it('cuts a namespace off with a deny-all policy whose deletion was journalled first, and the undo removes it', async () => {
    const { cluster, journal, isolation } = setup();
    const outcome = await isolation.cutOff();
    assert.equal(outcome.target, `namespace/${NS}`);
    const policy = await cluster.get('NetworkPolicy', 'kubeproof-cut-off', NS);
    assert.deepEqual(policy?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const [undo] = journal.pending();
    assert.equal(undo?.kind, 'networkpolicy.delete');
    const result = await executeUndo(cluster, undo!);
    assert.equal(result.ok, true, result.message);
    assert.equal(await cluster.get('NetworkPolicy', 'kubeproof-cut-off', NS), undefined);
    assert.match((await executeUndo(cluster, undo!)).message, /was already gone/);
  });

  it('refuses to cut off an unknown namespace alias, saying how to create it', async () => {
    await assert.rejects(setup().isolation.cutOff('partner'), /namespace "partner" is unknown here: create it first with 'Given another namespace "partner"'/);
  });

  it('reconnects early: deletes the cut-off policy now and marks its undo done, so After does not run it again', async () => {
    const { cluster, journal, isolation } = setup();
    await isolation.cutOff();
    const outcome = await isolation.reconnect();
    assert.match(outcome.detail, /reconnected: NetworkPolicy .*\/kubeproof-cut-off deleted/);
    assert.equal(await cluster.get('NetworkPolicy', 'kubeproof-cut-off', NS), undefined);
    assert.deepEqual(journal.pending(), []);
    // Cut off again after a reconnect: a fresh policy and a fresh undo.
    await isolation.cutOff();
    assert.equal(journal.pending().length, 1);
  });

  it('refuses to reconnect a namespace this scenario did not cut off, saying which step comes first', async () => {
    await assert.rejects(setup().isolation.reconnect(), /is not cut off by this scenario, so there is nothing to reconnect; write 'When the namespace is cut off' first/);
  });

  it('refuses a second cut-off of the same namespace', async () => {
    const { isolation } = setup();
    await isolation.cutOff();
    await assert.rejects(isolation.cutOff(), /already cut off/);
  });
});
