import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executeUndo } from '../journal/undo.ts';
import { UNDOS } from '../registry.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeNodes } from '../testing/fault-context.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import { aliasNamespaceName } from '../workloads/namespaces.ts';
import { createIsolationOps } from './isolation.ts';

const NS = 'kp-abc123-only-api-reaches-postgres-4242';

function setup() {
  const cluster = createFakeCluster();
  const deps = fakeScenarioDeps(cluster, NS);
  return { cluster, deps, journal: deps.journal, isolation: createIsolationOps(deps), cutOff: (alias?: string) => deps.faults.inject('namespace-cutoff', alias ? { alias } : {}) };
}

describe('aliasNamespaceName', () => {
  it('appends the alias and stays a valid namespace name', () => {
    const name = aliasNamespaceName(`kp-abc123-${'x'.repeat(60)}`, 'partner');
    assert.ok(name.length <= 63, name);
    assert.match(name, /^kp-abc123-x+-partner$/);
  });
});

describe('isolation operations', () => {
  it('journals the deletion of another namespace before creating it, owned and labelled', async () => {
    const { cluster, journal, isolation } = setup();
    const name = await isolation.anotherNamespace('partner', 'team=trusted');
    assert.deepEqual(journal.pending().map((r) => [r.kind, r.params.name]), [['namespace.delete', name]]);
    const ns = await cluster.get('Namespace', name);
    assert.equal(ns?.metadata?.labels?.team, 'trusted');
    assert.equal(ns?.metadata?.labels?.['app.kubernetes.io/managed-by'], 'kubeproof');
  });

  it('cuts a namespace off with a deny-all policy whose deletion was journalled first, and the undo removes it', async () => {
    const { cluster, journal, cutOff } = setup();
    const outcome = await cutOff();
    assert.equal(outcome.target, `namespace/${NS}`);
    const policy = await cluster.get('NetworkPolicy', 'kubeproof-cut-off', NS);
    assert.deepEqual(policy?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const [undo] = journal.pending();
    assert.equal(undo?.kind, 'networkpolicy.delete');
    const deps = { client: cluster, nodes: fakeNodes() };
    const result = await executeUndo(UNDOS, deps, undo!);
    assert.equal(result.ok, true, result.message);
    assert.equal(await cluster.get('NetworkPolicy', 'kubeproof-cut-off', NS), undefined);
    assert.match((await executeUndo(UNDOS, deps, undo!)).message, /was already gone/);
  });

  it('refuses to cut off an unknown namespace alias, saying how to create it (bad input)', async () => {
    await assert.rejects(setup().cutOff('partner'), (e: Error & { kind?: string }) => e.kind === 'input' && /namespace "partner" is unknown here: create it first with 'Given another namespace "partner"'/.test(e.message));
  });

  it('reconnects early: deletes the cut-off policy now and marks its undo done, so After does not run it again', async () => {
    const { cluster, journal, isolation, cutOff } = setup();
    await cutOff();
    assert.match(await isolation.reconnect(), /reconnected: NetworkPolicy .*\/kubeproof-cut-off deleted/);
    assert.equal(await cluster.get('NetworkPolicy', 'kubeproof-cut-off', NS), undefined);
    assert.deepEqual(journal.pending(), []);
    // Cut off again after a reconnect: a fresh policy and a fresh undo.
    await cutOff();
    assert.equal(journal.pending().length, 1);
  });

  it('refuses to reconnect a namespace this scenario did not cut off, saying which step comes first', async () => {
    await assert.rejects(setup().isolation.reconnect(), /is not cut off by this scenario, so there is nothing to reconnect; write 'When the namespace is cut off' first/);
  });

  it('refuses a second cut-off of the same namespace', async () => {
    const { cutOff } = setup();
    await cutOff();
    await assert.rejects(cutOff(), /already cut off/);
  });
});
