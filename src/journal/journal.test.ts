import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { LABELS } from '../cluster/namespaces.ts';
import { runJanitor } from './janitor.ts';
import { isRunDead, openScope, pendingIn, registerRun, runDirOf } from './journal.ts';
import { revertScope } from './revert.ts';
import { UNDOS } from '../registry.ts';
import { fakeNodes } from '../testing/fault-context.ts';
import type { ClusterClient } from '../cluster/types.ts';

/** Undo dependencies over a fake cluster (node undos here only touch the API). */
const deps = (client: ClusterClient) => ({ client, nodes: fakeNodes() });

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kp-journal-'));

describe('openScope', () => {
  it('persists the undo before the caller acts, as data a new process can read', () => {
    const dir = tmp();
    const scope = openScope(dir, 'kp-abc-scenario-1');
    const record = scope.record('node.uncordon', { name: 'w2' }, 'uncordon node w2');
    // A different reader (as the janitor would be) sees it immediately.
    assert.deepEqual(pendingIn(scope.file).map((r) => [r.kind, r.params]), [['node.uncordon', { name: 'w2' }]]);
    assert.equal(JSON.parse(readFileSync(scope.file, 'utf8').trim()).id, record.id);
  });

  it('no longer lists an undo once it completed successfully', () => {
    const scope = openScope(tmp(), 's');
    const a = scope.record('namespace.delete', { name: 'a' }, 'delete a');
    scope.record('namespace.delete', { name: 'b' }, 'delete b');
    scope.complete(a.id, true);
    assert.deepEqual(scope.pending().map((r) => r.params.name), ['b']);
  });

  it('keeps a failed undo pending so the janitor retries it', () => {
    const scope = openScope(tmp(), 's');
    const a = scope.record('namespace.delete', { name: 'a' }, 'delete a');
    scope.complete(a.id, false, 'timeout');
    assert.equal(scope.pending().length, 1);
  });

  it('tolerates a torn last line (the writer was SIGKILLed mid-write)', () => {
    const scope = openScope(tmp(), 's');
    scope.record('namespace.delete', { name: 'a' }, 'delete a');
    appendFileSync(scope.file, '{"op":"undo","id":"x","ki');
    assert.equal(scope.pending().length, 1);
  });
});

describe('revertScope', () => {
  it('undoes last-in-first-out and keeps going after a failure', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' }, spec: { unschedulable: true } });
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kp-1' } });
    const scope = openScope(tmp(), 's');
    scope.record('namespace.delete', { name: 'kp-1' }, 'delete namespace kp-1');
    scope.record('bogus.kind', {}, 'something unknown');
    scope.record('node.uncordon', { name: 'w1' }, 'uncordon node w1');
    const results = await revertScope(UNDOS, deps(cluster), scope);
    assert.deepEqual(results.map((r) => [r.record.kind, r.ok]), [['node.uncordon', true], ['bogus.kind', false], ['namespace.delete', true]]);
    assert.ok(!(await cluster.get('Node', 'w1'))?.spec?.unschedulable, 'node w1 must be schedulable again');
    assert.equal(await cluster.get('Namespace', 'kp-1'), undefined);
    assert.deepEqual(scope.pending().map((r) => r.kind), ['bogus.kind']);
  });

  it('treats an already-deleted namespace as undone (idempotent)', async () => {
    const scope = openScope(tmp(), 's');
    scope.record('namespace.delete', { name: 'gone' }, 'delete namespace gone');
    const [result] = await revertScope(UNDOS, deps(createFakeCluster()), scope);
    assert.equal(result?.ok, true);
    assert.match(result?.message ?? '', /already gone/);
  });

  it('skips kinds the caller keeps (--keep) and closes them', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kp-1' } });
    const scope = openScope(tmp(), 's');
    scope.record('namespace.delete', { name: 'kp-1' }, 'delete namespace kp-1');
    await revertScope(UNDOS, deps(cluster), scope, { skipKinds: ['namespace.delete'] });
    assert.ok(await cluster.get('Namespace', 'kp-1'));
    assert.equal(scope.pending().length, 0);
  });
});

describe('runJanitor', () => {
  const ownedNs = (name: string, runId: string, pid: number) => ({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { [LABELS.managedBy]: 'kubeproof', [LABELS.runId]: runId }, annotations: { 'kubeproof.dev/pid': String(pid), 'kubeproof.dev/host': hostname() } },
  });

  it('replays the undos of a dead run and deletes its namespaces', async () => {
    const journalDir = tmp();
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'w2' }, spec: { unschedulable: true } });
    cluster.put(ownedNs('kp-dead-1', 'dead01', 999_999_999));
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const runDir = registerRun(journalDir, { runId: 'dead01', context: 'kind-x', startedAt: '', seed: 1 });
    // Pretend the run was another process that died: rewrite its pid.
    const meta = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...meta, pid: 999_999_999 }));
    const scope = openScope(runDir, 'kp-dead-1');
    scope.record('namespace.delete', { name: 'kp-dead-1' }, 'delete namespace kp-dead-1');
    scope.record('node.uncordon', { name: 'w2' }, 'uncordon node w2');

    const report = await runJanitor(UNDOS, deps(cluster), journalDir);
    assert.deepEqual(report.failures, []);
    assert.ok(!(await cluster.get('Node', 'w2'))?.spec?.unschedulable, 'node w2 must be schedulable again');
    assert.equal(await cluster.get('Namespace', 'kp-dead-1'), undefined);
    assert.ok(await cluster.get('Namespace', 'default'), 'a namespace kubeproof does not own must survive');
    assert.equal(existsSync(runDirOf(journalDir, 'dead01')), false, 'a cleaned run leaves no journal');
  });

  it('leaves a live run alone', async () => {
    const journalDir = tmp();
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'w2' }, spec: { unschedulable: true } });
    cluster.put(ownedNs('kp-live-1', 'live01', process.pid));
    const runDir = registerRun(journalDir, { runId: 'live01', context: 'kind-x', startedAt: '', seed: 1 }); // our own pid: alive
    openScope(runDir, 'kp-live-1').record('node.uncordon', { name: 'w2' }, 'uncordon node w2');
    const report = await runJanitor(UNDOS, deps(cluster), journalDir);
    assert.equal(report.skippedLiveRuns.length, 1);
    assert.equal((await cluster.get('Node', 'w2'))?.spec?.unschedulable, true);
    assert.ok(await cluster.get('Namespace', 'kp-live-1'));
  });

  it('deletes owned namespaces of runs with no journal left (e.g. kept with --keep)', async () => {
    const cluster = createFakeCluster();
    cluster.put(ownedNs('kp-old-1', 'old001', 999_999_999));
    const report = await runJanitor(UNDOS, deps(cluster), tmp());
    assert.equal(await cluster.get('Namespace', 'kp-old-1'), undefined);
    assert.match(report.actions.join('\n'), /namespace kp-old-1 \(run old001\) deleted/);
  });
});

describe('runJanitor safety', () => {
  it('leaves owned-looking namespaces without pid/host annotations alone (labelled by hand)', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kp-manual', labels: { [LABELS.managedBy]: 'kubeproof', [LABELS.runId]: 'manual' } } });
    const report = await runJanitor(UNDOS, deps(cluster), tmp());
    assert.ok(await cluster.get('Namespace', 'kp-manual'));
    assert.match(report.skippedLiveRuns.join('\n'), /kp-manual .*not created by a run/);
  });

  it('leaves namespaces of runs on another host alone', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kp-remote', labels: { [LABELS.managedBy]: 'kubeproof', [LABELS.runId]: 'r' }, annotations: { 'kubeproof.dev/pid': '999999999', 'kubeproof.dev/host': 'another-machine' } } });
    await runJanitor(UNDOS, deps(cluster), tmp());
    assert.ok(await cluster.get('Namespace', 'kp-remote'));
  });
});

describe('isRunDead', () => {
  it('judges only runs of this host', () => {
    assert.equal(isRunDead({ runId: 'r', pid: 999_999_999, host: hostname(), context: '', startedAt: '', seed: 0 }), true);
    assert.equal(isRunDead({ runId: 'r', pid: process.pid, host: hostname(), context: '', startedAt: '', seed: 0 }), false);
    assert.equal(isRunDead({ runId: 'r', pid: 999_999_999, host: 'another-machine', context: '', startedAt: '', seed: 0 }), false);
  });
});
