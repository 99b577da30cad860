/**
 * A watch-backed object cache that survives reconnects. client-node's informer stops for good on
 * most errors; assertions must not go blind mid-scenario, so this loop lists, watches from the last
 * resourceVersion, and on any stream end re-watches (re-listing after 410 Gone or a failed list)
 * with a capped backoff.
 */
import type { ChangeListener, ChangeType, KindName, KubeObject, ObjectStore } from './types.ts';

/** One watch event as the API server sends it. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** The two API operations an informer needs; the real client and unit-test fakes provide them. */
export interface ListWatchSource {
  list(): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Starts a watch; `onDone` must be called exactly once when the stream ends, with the error if any. */
  watch(
    resourceVersion: string,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onDone: (err?: unknown) => void,
  ): Promise<{ abort(): void }>;
}

/** Backoff between reconnects: quick first retry, capped so a long outage is still retried often. */
export const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000] as const;

function keyOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** client-node's 30 s inactivity timeout on a quiet watch: a normal end, not a failure. */
function isQuietTimeout(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'TimeoutError';
}

function isGone(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: number; status?: number } | undefined;
  return e?.statusCode === 410 || e?.code === 410 || e?.status === 410;
}

/** Options for {@link createInformerStore}. */
export interface InformerOptions {
  /** Injected for unit tests; defaults to setTimeout. */
  delay?: (ms: number) => Promise<void>;
  /** Called for every error that triggered a reconnect (diagnostics; never fatal). */
  onError?: (err: unknown) => void;
}

/** Creates and starts a store for one kind; `ready` resolves after the first successful LIST. */
export function createInformerStore(kind: KindName, source: ListWatchSource, options: InformerOptions = {}): ObjectStore {
  const delay = options.delay ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const objects = new Map<string, KubeObject>();
  const listeners = new Set<ChangeListener>();
  let resourceVersion = '';
  let stopped = false;
  let current: { abort(): void } | undefined;
  let failures = 0;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((r) => { resolveReady = r; });

  const emit = (type: ChangeType, obj: KubeObject): void => {
    for (const listener of [...listeners]) listener(type, obj);
  };

  const relist = async (): Promise<void> => {
    const { items, resourceVersion: rv } = await source.list();
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const had = objects.has(key);
      const before = objects.get(key);
      objects.set(key, item);
      if (!had) emit('add', item);
      else if (before?.metadata?.resourceVersion !== item.metadata?.resourceVersion) emit('update', item);
    }
    for (const [key, obj] of [...objects]) {
      if (!seen.has(key)) { objects.delete(key); emit('delete', obj); }
    }
    resourceVersion = rv;
  };

  const onEvent = (type: WatchEventType, obj: KubeObject): void => {
    failures = 0; // a delivered event proves the connection is healthy
    if (type === 'ERROR') {
      if ((obj as { code?: number }).code === 410) resourceVersion = '';
      return;
    }
    if (obj.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = keyOf(obj);
    if (type === 'DELETED') {
      objects.delete(key);
      emit('delete', obj);
    } else {
      const had = objects.has(key);
      objects.set(key, obj);
      emit(had ? 'update' : 'add', obj);
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        if (!resourceVersion) await relist();
        resolveReady();
        const ended = new Promise<unknown>((resolve) => {
          void source.watch(resourceVersion, onEvent, (err) => resolve(err)).then(
            (handle) => { current = handle; if (stopped) handle.abort(); },
            (err: unknown) => resolve(err ?? new Error('watch failed to start')),
          );
        });
        const err = await ended;
        current = undefined;
        if (stopped) return;
        // A quiet resource times out every 30 s; re-watch at once, or detection would lag by the backoff.
        if (err && !isQuietTimeout(err)) {
          if (isGone(err)) resourceVersion = '';
          options.onError?.(err);
          await delay(RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 5000);
          failures++;
        }
        // A clean end (server-side timeout) simply re-watches from the last resourceVersion.
      } catch (err) {
        // The LIST itself failed (API down): retry with backoff, keep the old cache visible.
        resourceVersion = '';
        options.onError?.(err);
        await delay(RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 5000);
        failures++;
      }
    }
  };
  void loop();

  return {
    kind,
    ready,
    list: () => [...objects.values()],
    get: (name) => objects.get(name),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      current?.abort();
      listeners.clear();
    },
  };
}
