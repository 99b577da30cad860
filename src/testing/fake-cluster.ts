/**
 * In-memory ClusterClient for unit tests: objects live in a map, watches see every change at once.
 * It models behaviour (NotFound, label selectors, watch events), not HTTP calls.
 */
import type { ChangeListener, ClusterClient, KindName, KubeObject, ObjectStore, RawResponse } from '../cluster/types.ts';

function matches(obj: KubeObject, selector?: string): boolean {
  if (!selector) return true;
  const labels = obj.metadata?.labels ?? {};
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return k !== undefined && labels[k.trim()] === v?.trim();
  });
}

/** A fake cluster; `objects` is exposed so tests can arrange and inspect state. */
export interface FakeCluster extends ClusterClient {
  /** Puts an object as if a controller wrote it (fires watches). */
  put(obj: KubeObject): void;
  all(kind: KindName, namespace?: string): KubeObject[];
  /** Makes the API unreachable (every call rejects) until set back to false. */
  setDown(down: boolean): void;
  /** Appends a line to a container's log (what followPodLog streams). */
  writeLog(namespace: string, pod: string, line: string): void;
  /** Ends a container's log (its container exited): followPodLog resolves. */
  endLog(namespace: string, pod: string): void;
}

/** Creates an empty fake cluster. */
export function createFakeCluster(options: { context?: string; server?: string; rawResponses?: Record<string, RawResponse>; onPost?: (path: string, body: unknown) => KubeObject } = {}): FakeCluster {
  const store = new Map<string, KubeObject>();
  const listeners = new Set<(kind: KindName, type: 'add' | 'update' | 'delete', obj: KubeObject) => void>();
  let down = false;
  let rv = 1;
  const logs = new Map<string, { lines: string[]; ended: boolean; wake: Set<() => void> }>();
  const logOf = (ns: string, pod: string) => {
    const k = `${ns}/${pod}`;
    let l = logs.get(k);
    if (!l) { l = { lines: [], ended: false, wake: new Set() }; logs.set(k, l); }
    return l;
  };
  const key = (kind: string, ns: string | undefined, name: string): string => `${kind}/${ns ?? ''}/${name}`;
  const guard = (): void => { if (down) throw new Error('cannot reach the Kubernetes API server at https://127.0.0.1:6443: ECONNREFUSED'); };

  function write(obj: KubeObject): KubeObject {
    const kind = obj.kind as KindName;
    const k = key(kind, obj.metadata?.namespace, obj.metadata?.name ?? '');
    const existed = store.has(k);
    const copy: KubeObject = structuredClone(obj);
    copy.metadata = { ...copy.metadata, resourceVersion: String(rv++), uid: copy.metadata?.uid ?? `uid-${rv}` };
    store.set(k, copy);
    for (const l of listeners) l(kind, existed ? 'update' : 'add', copy);
    return copy;
  }

  const fake: FakeCluster = {
    contextName: options.context ?? 'kind-fake',
    serverUrl: options.server ?? 'https://127.0.0.1:6443',
    async version() { guard(); return 'v1.32.5'; },
    async apply(obj) {
      guard();
      const existing = store.get(key(obj.kind ?? '', obj.metadata?.namespace, obj.metadata?.name ?? ''));
      return write({ ...existing, ...structuredClone(obj), status: existing?.status ?? obj.status });
    },
    async create(obj) {
      guard();
      if (store.has(key(obj.kind ?? '', obj.metadata?.namespace, obj.metadata?.name ?? ''))) throw new Error('AlreadyExists');
      return write(obj);
    },
    async get(kind, name, namespace) { guard(); return structuredClone(store.get(key(kind, namespace, name))); },
    async list(kind, opts = {}) { guard(); return fake.all(kind, opts.namespace).filter((o) => matches(o, opts.labelSelector)); },
    async delete(kind, name, namespace) {
      guard();
      const k = key(kind, namespace, name);
      const obj = store.get(k);
      if (!obj) return 'not-found';
      store.delete(k);
      for (const l of listeners) l(kind, 'delete', obj);
      if (kind === 'Namespace') {
        for (const [other, o] of [...store]) if (o.metadata?.namespace === name) store.delete(other);
      }
      return 'deleted';
    },
    async patchMerge(kind, name, namespace, patch) {
      guard();
      const existing = store.get(key(kind, namespace, name));
      if (!existing) throw Object.assign(new Error(`${kind} ${name} not found`), { status: 404 });
      const merged = structuredClone(existing) as Record<string, any>;
      for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
        merged[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(merged[k] ?? {}), ...v } : v;
      }
      return write(merged as KubeObject);
    },
    async patchJson(kind, name, namespace, ops) {
      guard();
      const existing = store.get(key(kind, namespace, name));
      if (!existing) throw Object.assign(new Error(`${kind} ${name} not found`), { status: 404 });
      const doc = structuredClone(existing) as Record<string, any>;
      for (const op of ops) {
        const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
        const last = parts.pop() ?? '';
        const parent = parts.reduce((o, p) => (o[p] ??= {}), doc);
        if (op.op === 'test' && JSON.stringify(parent[last]) !== JSON.stringify(op.value)) {
          throw Object.assign(new Error(`PATCH ${kind} ${name} failed with HTTP 422 (Invalid): the test of ${op.path} failed`), { status: 422 });
        }
        if (op.op === 'remove') delete parent[last];
        else if (op.op !== 'test') parent[last] = structuredClone(op.value);
      }
      return write(doc as KubeObject);
    },
    async podLog() { guard(); return ''; },
    async followPodLog(namespace, pod, options) {
      guard();
      const log = logOf(namespace, pod);
      let sent = 0;
      for (;;) {
        while (sent < log.lines.length) options.onLine(log.lines[sent++] ?? '');
        if (log.ended || options.signal?.aborted) return;
        await new Promise<void>((resolve) => {
          log.wake.add(resolve);
          options.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    },
    async getRaw(path) { guard(); return options.rawResponses?.[path] ?? { status: 404, body: '{}' }; },
    async postRaw(path, body) {
      guard();
      if (!options.onPost) throw Object.assign(new Error(`POST ${path} failed with HTTP 404 (NotFound)`), { status: 404 });
      return options.onPost(path, body);
    },
    async getAsToken(path, token) { guard(); return options.rawResponses?.[`${token} ${path}`] ?? { status: 401, body: '{}' }; },
    watch(kind, namespace, labelSelector): ObjectStore {
      const objects = new Map<string, KubeObject>();
      const subs = new Set<ChangeListener>();
      for (const o of fake.all(kind, namespace)) if (matches(o, labelSelector)) objects.set(o.metadata?.name ?? '', o);
      const listener = (k: KindName, type: 'add' | 'update' | 'delete', obj: KubeObject): void => {
        if (k !== kind || (namespace && obj.metadata?.namespace !== namespace) || !matches(obj, labelSelector)) return;
        if (type === 'delete') objects.delete(obj.metadata?.name ?? '');
        else objects.set(obj.metadata?.name ?? '', obj);
        for (const s of [...subs]) s(type, obj);
      };
      listeners.add(listener);
      return {
        kind,
        ready: Promise.resolve(),
        list: () => [...objects.values()],
        get: (name) => objects.get(name),
        onChange(l) { subs.add(l); return () => subs.delete(l); },
        async stop() { listeners.delete(listener); subs.clear(); },
      };
    },
    put(obj) { write(obj); },
    all(kind, namespace) {
      return [...store.values()].filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace)).map((o) => structuredClone(o));
    },
    setDown(value) { down = value; },
    writeLog(namespace, pod, line) {
      const log = logOf(namespace, pod);
      log.lines.push(line);
      for (const w of [...log.wake]) { log.wake.delete(w); w(); }
    },
    endLog(namespace, pod) {
      const log = logOf(namespace, pod);
      log.ended = true;
      for (const w of [...log.wake]) { log.wake.delete(w); w(); }
    },
  };
  return fake;
}
