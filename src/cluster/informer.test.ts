import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInformerStore } from './informer.ts';
import type { ListWatchSource, WatchEventType } from './informer.ts';
import type { KubeObject } from './types.ts';

const pod = (name: string, rv: string): KubeObject => ({ kind: 'Pod', metadata: { name, resourceVersion: rv } });

/** A scripted API: `state` is what LIST returns; tests push events or end the current watch. */
function scriptedSource() {
  const state = new Map<string, KubeObject>();
  let rv = 10;
  let lists = 0;
  const watches: Array<{ from: string; onEvent: (t: WatchEventType, o: KubeObject) => void; onDone: (err?: unknown) => void; aborted: boolean }> = [];
  const source: ListWatchSource = {
    async list() { lists++; return { items: [...state.values()], resourceVersion: String(rv) }; },
    async watch(from, onEvent, onDone) {
      const w = { from, onEvent, onDone, aborted: false };
      watches.push(w);
      return { abort: () => { w.aborted = true; } };
    },
  };
  return {
    source,
    state,
    nextRv: () => String(++rv),
    lists: () => lists,
    watches,
    current: () => watches[watches.length - 1],
  };
}

const noDelay = async (): Promise<void> => {};
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await tick();
  assert.ok(check(), 'condition never became true');
}

describe('createInformerStore', () => {
  it('lists first, then applies watch events to the cache and notifies listeners', async () => {
    const api = scriptedSource();
    api.state.set('a', pod('a', '1'));
    const store = createInformerStore('Pod', api.source, { delay: noDelay });
    const seen: string[] = [];
    store.onChange((type, obj) => seen.push(`${type}:${obj.metadata?.name}`));
    await store.ready;
    await until(() => api.watches.length === 1);
    api.current()?.onEvent('ADDED', pod('b', api.nextRv()));
    api.current()?.onEvent('DELETED', pod('a', api.nextRv()));
    assert.deepEqual(store.list().map((p) => p.metadata?.name), ['b']);
    assert.deepEqual(seen, ['add:a', 'add:b', 'delete:a']);
    await store.stop();
  });

  it('re-watches from the last resourceVersion after a dropped connection', async () => {
    const api = scriptedSource();
    const errors: unknown[] = [];
    const store = createInformerStore('Pod', api.source, { delay: noDelay, onError: (e) => errors.push(e) });
    await until(() => api.watches.length === 1);
    const rv = api.nextRv();
    api.current()?.onEvent('ADDED', pod('b', rv));
    api.current()?.onDone(new Error('ECONNRESET'));
    await until(() => api.watches.length === 2);
    assert.equal(api.current()?.from, rv, 'the new watch must resume where the old one stopped');
    assert.equal(api.lists(), 1, 'no relist is needed when the resourceVersion is still valid');
    assert.equal(errors.length, 1);
    api.current()?.onEvent('MODIFIED', pod('b', api.nextRv()));
    assert.equal(store.get('b')?.metadata?.resourceVersion, api.current() && String(Number(rv) + 1));
    await store.stop();
  });

  it('re-watches a quiet resource at once after the client inactivity timeout (no backoff, no error)', async () => {
    const api = scriptedSource();
    const errors: unknown[] = [];
    const delays: number[] = [];
    const store = createInformerStore('Pod', api.source, { delay: async (ms) => { delays.push(ms); }, onError: (e) => errors.push(e) });
    await until(() => api.watches.length === 1);
    for (let i = 2; i <= 4; i++) {
      api.current()?.onDone(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      await until(() => api.watches.length === i);
    }
    assert.deepEqual(delays, []);
    assert.deepEqual(errors, []);
    await store.stop();
  });

  it('relists after 410 Gone and reports objects deleted while it was away', async () => {
    const api = scriptedSource();
    api.state.set('a', pod('a', '1'));
    api.state.set('b', pod('b', '2'));
    const store = createInformerStore('Pod', api.source, { delay: noDelay });
    const deleted: string[] = [];
    store.onChange((type, obj) => { if (type === 'delete') deleted.push(obj.metadata?.name ?? ''); });
    await until(() => api.watches.length === 1);
    api.state.delete('a');
    api.current()?.onDone(Object.assign(new Error('Gone'), { statusCode: 410 }));
    await until(() => api.watches.length === 2);
    assert.equal(api.lists(), 2);
    assert.deepEqual(deleted, ['a']);
    assert.deepEqual(store.list().map((p) => p.metadata?.name), ['b']);
    await store.stop();
  });

  it('keeps retrying while the LIST fails, then recovers', async () => {
    const api = scriptedSource();
    let failLists = 3;
    const realList = api.source.list;
    api.source.list = async () => { if (failLists-- > 0) throw new Error('ECONNREFUSED'); return realList(); };
    const store = createInformerStore('Pod', api.source, { delay: noDelay });
    await store.ready;
    await until(() => api.watches.length === 1);
    assert.equal(failLists, -1, 'three failed lists, then one success');
    await store.stop();
  });

  it('aborts the watch and stops reconnecting on stop()', async () => {
    const api = scriptedSource();
    const store = createInformerStore('Pod', api.source, { delay: noDelay });
    await until(() => api.watches.length === 1);
    await store.stop();
    assert.equal(api.current()?.aborted, true);
    api.current()?.onDone(new Error('aborted'));
    for (let i = 0; i < 20; i++) await tick();
    assert.equal(api.watches.length, 1);
  });
});
