import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { waitUntil } from './wait.ts';

const pod = (name: string, phase: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, status: { phase } });

describe('waitUntil', () => {
  it('answers at once when the state already holds, and on the change that makes it hold', async () => {
    const cluster = createFakeCluster();
    cluster.put(pod('a', 'Running'));
    const store = cluster.watch('Pod', 'ns');
    assert.deepEqual(await waitUntil([store], () => store.get('a')?.status?.phase === 'Running' ? 'now' : undefined, { timeoutMs: 1_000 }), { met: true, value: 'now' });
    const later = waitUntil([store], () => store.get('b')?.status?.phase, { timeoutMs: 1_000 });
    cluster.put(pod('b', 'Pending'));
    assert.deepEqual(await later, { met: true, value: 'Pending' });
  });

  it('resolves unmet at the deadline without evaluating by polling', async () => {
    const cluster = createFakeCluster();
    const store = cluster.watch('Pod', 'ns');
    let evaluations = 0;
    const outcome = await waitUntil([store], () => { evaluations++; return undefined; }, { timeoutMs: 30 });
    assert.deepEqual(outcome, { met: false });
    assert.equal(evaluations, 1, 'evaluated once at the start and never again without a change');
  });

  it('rejects with the probe\'s error (a final state) and with the abort reason', async () => {
    const cluster = createFakeCluster();
    const store = cluster.watch('Pod', 'ns');
    await assert.rejects(waitUntil([store], () => { throw new Error('image can never be pulled'); }, { timeoutMs: 1_000 }), /can never be pulled/);
    const controller = new AbortController();
    const waiting = waitUntil([store], () => undefined, { timeoutMs: Number.POSITIVE_INFINITY, signal: controller.signal });
    controller.abort(new Error('interrupted'));
    await assert.rejects(waiting, /interrupted/);
  });
});
