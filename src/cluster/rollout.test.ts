/**
 * Rollout rules checked against objects recorded from the testbed (src/cluster/testdata/): a Deployment
 * at 1.0.0 (change-cause "first release"), set to 2.0.0 ("upgrade to 2.0.0"), then `kubectl rollout undo`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentReplicaSet, revisionHistory, rollbackPlan, rolloutPending, templateWithoutHash } from './rollout.ts';
import type { JsonPatchOp, KubeObject } from './types.ts';

const recorded = (name: string): any => JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', `${name}.json`), 'utf8'));
const items = (name: string): KubeObject[] => recorded(name).items;

/** Applies replace ops the way the API server does (enough for this patch: replace of whole subtrees). */
function apply(obj: KubeObject, ops: readonly JsonPatchOp[]): KubeObject {
  const doc = structuredClone(obj) as Record<string, any>;
  for (const op of ops) {
    if (op.op !== 'replace') continue;
    const parts = op.path.split('/').slice(1);
    const last = parts.pop() ?? '';
    parts.reduce((o, p) => o[p], doc)[last] = structuredClone(op.value);
  }
  return doc as KubeObject;
}

describe('rollbackPlan (kubectl rollout undo)', () => {
  it('restores the previous revision\'s template and its change-cause exactly as kubectl did', () => {
    const before = recorded('rollback-before-deployment');
    const plan = rollbackPlan(before, items('rollback-before-replicasets'));
    assert.equal(plan.kind, 'patch');
    if (plan.kind !== 'patch') return;
    assert.deepEqual([plan.fromRevision, plan.toRevision, plan.images], [2, 1, 'kubeproof/demo-app:1.0.0']);
    assert.deepEqual(plan.ops[0], { op: 'test', path: '/metadata/resourceVersion', value: before.metadata.resourceVersion }, 'a concurrent change makes the patch fail instead of being overwritten');
    const ours = apply(before, plan.ops);
    const kubectl = recorded('rollback-after-deployment');
    assert.deepEqual(ours.spec?.template, kubectl.spec.template);
    const withoutRevision = (a: Record<string, string>) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'deployment.kubernetes.io/revision'));
    // The controller bumps the revision annotation after the patch; everything else is what kubectl wrote.
    assert.deepEqual(withoutRevision(ours.metadata?.annotations ?? {}), withoutRevision(kubectl.metadata.annotations));
    assert.equal(ours.metadata?.annotations?.['kubernetes.io/change-cause'], 'first release');
    assert.equal(ours.spec?.template?.metadata?.labels?.['pod-template-hash'], undefined, 'the hash label is not copied back');
  });

  it('skips a revision whose template is already current, and names a missing revision with the history', () => {
    const after = recorded('rollback-after-complete');
    const rs = items('rollback-after-replicasets');
    assert.deepEqual(rollbackPlan(after, rs, 3), { kind: 'skip', toRevision: 3, reason: 'the current template already matches revision 3' });
    assert.throws(() => rollbackPlan(after, rs, 1), (e: Error & { kind?: string }) => e.kind === 'input' && /has no revision 1 \(history: 2, 3;/.test(e.message));
    const back = rollbackPlan(after, rs);
    assert.equal(back.kind === 'patch' && back.toRevision, 2, 'without a revision: the previous one');
  });
});

describe('revisionHistory (kubectl rollout history)', () => {
  it('lists revisions with images and change-causes; a rollback turns revision 1 into 3', () => {
    assert.deepEqual(revisionHistory(recorded('rollback-after-complete'), items('rollback-after-replicasets')), [
      { revision: 2, images: 'kubeproof/demo-app:2.0.0', changeCause: 'upgrade to 2.0.0', current: false },
      { revision: 3, images: 'kubeproof/demo-app:1.0.0', changeCause: 'first release', current: true },
    ]);
  });

  it('finds the current ReplicaSet by template, ignoring the hash label', () => {
    const deployment = recorded('rollback-after-complete');
    const current = currentReplicaSet(deployment, items('rollback-after-replicasets'));
    assert.deepEqual(templateWithoutHash(current?.spec?.template), templateWithoutHash(deployment.spec.template));
  });
});

describe('rolloutPending (kubectl rollout status)', () => {
  it('is done only when every replica is updated, available and ready and no old one is left', () => {
    assert.equal(rolloutPending(recorded('rollback-after-complete')), undefined);
    assert.match(rolloutPending(recorded('rollback-after-deployment')) ?? 'done', /waiting for the controller|new replicas updated|old replica|available|ready/);
    const d = recorded('rollback-after-complete');
    assert.equal(rolloutPending({ ...d, status: { ...d.status, replicas: 3, updatedReplicas: 2 } }), '1 old replica pending termination');
    assert.equal(rolloutPending({ ...d, metadata: { ...d.metadata, generation: 99 } }), 'waiting for the controller to observe the new spec');
  });
});
