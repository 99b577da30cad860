import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { acquireClusterLock, ClusterBusyError, LOCK_NAME, LOCK_NAMESPACE, lockStateOf, releaseStaleClusterLock } from './cluster-lock.ts';

/** A clock the test moves; sleeping advances it. */
function clock(start = Date.parse('2026-11-30T10:00:00Z')) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => { t += ms; }, advance: (ms: number) => { t += ms; } };
}

const lease = async (client: ReturnType<typeof createFakeCluster>) => lockStateOf(await client.get('Lease', LOCK_NAME, LOCK_NAMESPACE));

describe('acquireClusterLock', () => {
  it('takes a free cluster and names the holder in the Lease', async () => {
    const client = createFakeCluster();
    const c = clock();
    const held = await acquireClusterLock(client, { runId: 'aaa111', purpose: 'npm run chaos', pid: 100, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1' });
    const state = await lease(client);
    assert.deepEqual(state.holder, { runId: 'aaa111', pid: 100, host: 'h1', purpose: 'npm run chaos' });
    assert.ok(await client.get('Namespace', LOCK_NAMESPACE), 'the lock namespace is created');
    await held.release();
    assert.equal((await lease(client)).holder, undefined);
  });

  it('refuses to run while a live holder renews, naming it, once the wait budget is spent', async () => {
    const client = createFakeCluster();
    const c = clock();
    const first = await acquireClusterLock(client, { runId: 'aaa111', purpose: 'grading 10 submissions', pid: 100, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1', isAlive: () => true });
    const lines: string[] = [];
    // The first run keeps renewing while the second waits (its renew timer is not driven by the fake clock).
    const sleep = async (ms: number) => { c.advance(ms); await first.renew(); };
    await assert.rejects(
      acquireClusterLock(client, { runId: 'bbb222', purpose: 'npm run chaos', pid: 200, host: 'h1' }, { now: c.now, sleep, host: 'h1', isAlive: () => true, waitMs: 120_000, say: (l) => lines.push(l) }),
      (err: Error) => err instanceof ClusterBusyError && /run aaa111 \(grading 10 submissions, pid 100 on h1\) holds its run lock/.test(err.message),
    );
    assert.match(lines[0] ?? '', /waiting for run aaa111/);
    assert.equal((await lease(client)).holder?.runId, 'aaa111', 'the holder keeps the lock');
  });

  it('waits while a live run holds the lock and gets it once that run releases', async () => {
    const client = createFakeCluster();
    const c = clock();
    const first = await acquireClusterLock(client, { runId: 'aaa111', purpose: 'p', pid: 100, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1', isAlive: () => true });
    let polls = 0;
    const sleep = async (ms: number) => { c.advance(ms); if (++polls === 3) await first.release(); };
    await acquireClusterLock(client, { runId: 'bbb222', purpose: 'p', pid: 200, host: 'h1' }, { now: c.now, sleep, host: 'h1', isAlive: () => true });
    assert.equal((await lease(client)).holder?.runId, 'bbb222');
    assert.equal(polls, 3);
  });

  it('takes over at once from a holder on this host whose process is gone', async () => {
    const client = createFakeCluster();
    const c = clock();
    await acquireClusterLock(client, { runId: 'dead01', purpose: 'p', pid: 100, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1' });
    const lines: string[] = [];
    await acquireClusterLock(client, { runId: 'new002', purpose: 'p', pid: 200, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1', waitMs: 0, isAlive: (pid) => pid !== 100, say: (l) => lines.push(l) });
    assert.equal((await lease(client)).holder?.runId, 'new002');
    assert.match(lines.join('\n'), /took over from run dead01 .*its process 100 is gone/);
  });

  it('takes over from a holder on another host only once its lease expired', async () => {
    const client = createFakeCluster();
    const c = clock();
    await acquireClusterLock(client, { runId: 'far001', purpose: 'p', pid: 100, host: 'other' }, { now: c.now, sleep: c.sleep, host: 'other', leaseSeconds: 60 });
    await assert.rejects(acquireClusterLock(client, { runId: 'me0002', purpose: 'p', pid: 200, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1', waitMs: 0 }), ClusterBusyError);
    c.advance(61_000);
    await acquireClusterLock(client, { runId: 'me0002', purpose: 'p', pid: 200, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1', waitMs: 0 });
    assert.equal((await lease(client)).holder?.runId, 'me0002');
  });

  it('a run that lost its lock is told on its next renewal and does not free the new holder', async () => {
    const client = createFakeCluster();
    const c = clock();
    const lost: string[] = [];
    const old = await acquireClusterLock(client, { runId: 'old001', purpose: 'p', pid: 100, host: 'other' }, { now: c.now, sleep: c.sleep, host: 'other', onLost: (w) => lost.push(w) });
    c.advance(120_000); // it stopped renewing (suspended laptop, network cut)
    await acquireClusterLock(client, { runId: 'new002', purpose: 'p', pid: 200, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1', waitMs: 0 });
    await old.renew();
    assert.match(lost[0] ?? '', /taken over by run new002/);
    await old.release();
    assert.equal((await lease(client)).holder?.runId, 'new002');
  });
});

describe('releaseStaleClusterLock', () => {
  it('frees the lock of a dead run and leaves a live one alone', async () => {
    const client = createFakeCluster();
    const c = clock();
    await acquireClusterLock(client, { runId: 'live01', purpose: 'p', pid: 100, host: 'h1' }, { now: c.now, sleep: c.sleep, host: 'h1' });
    assert.equal(await releaseStaleClusterLock(client, { now: c.now, host: 'h1', isAlive: () => true }), undefined);
    assert.equal((await lease(client)).holder?.runId, 'live01');
    const said = await releaseStaleClusterLock(client, { now: c.now, host: 'h1', isAlive: () => false });
    assert.match(said ?? '', /cluster lock of run live01 .* released: its process 100 is gone/);
    assert.equal((await lease(client)).holder, undefined);
  });
});
