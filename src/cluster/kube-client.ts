/**
 * The real ClusterClient, over @kubernetes/client-node 2 (the only module importing it besides
 * kubeconfig.ts). Requests go through one raw JSON function so objects stay plain JSON: the typed
 * client turns timestamps into Dates and drops fields its model does not know (ecosystem.md §2.3).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Agent, fetch } from 'undici';
import { errorFromNetwork, errorFromResponse, KubeApiError } from './api-errors.ts';
import { createInformerStore } from './informer.ts';
import type { ListWatchSource, WatchEventType } from './informer.ts';
import { KINDS, resourcePath } from './kinds.ts';
import type { ClusterClient, KindName, KubeObject, ListOptions, ObjectStore, RawResponse } from './types.ts';

/** Field manager of every server-side apply; lets users see what kubeproof owns. */
export const FIELD_MANAGER = 'kubeproof';

/** Error for a kubeconfig that does not have the requested context. */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

/** Loads ~/.kube/config (or $KUBECONFIG) and selects `context` (default: the current one). */
export function loadKubeConfig(context?: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new KubeConfigError(`kube context "${context}" is not in your kubeconfig (known contexts: ${known})`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeConfigError('no Kubernetes cluster configured: no kubeconfig found (looked at $KUBECONFIG and ~/.kube/config)');
  }
  return kc;
}

/** The kubeconfig's current context, or undefined when there is no kubeconfig file at all (a fresh machine). */
export function currentContextName(): string | undefined {
  const files = (process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config')).split(delimiter).filter(Boolean);
  if (!files.some((f) => existsSync(f))) return undefined;
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromDefault();
  } catch {
    return undefined;
  }
  return kc.getCurrentContext() || undefined;
}

/** Creates the real client for one kube context. */
export function createKubeClient(kc: k8s.KubeConfig): ClusterClient {
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const watcher = new k8s.Watch(kc);

  async function request(method: string, path: string, options: { body?: unknown; contentType?: string; timeoutMs?: number } = {}): Promise<RawResponse> {
    const url = `${server}${path}`;
    const ctx = new k8s.RequestContext(url, method as k8s.HttpMethod);
    await kc.applySecurityAuthentication(ctx);
    const headers: Record<string, string> = { ...ctx.getHeaders(), Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        dispatcher: ctx.getDispatcher() as never,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      return { status: response.status, body: await response.text() };
    } catch (err) {
      throw errorFromNetwork(server, err);
    }
  }

  async function json(method: string, path: string, options: { body?: unknown; contentType?: string; timeoutMs?: number } = {}): Promise<KubeObject> {
    const res = await request(method, path, options);
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(method, path, res.status, res.body);
    return JSON.parse(res.body) as KubeObject;
  }

  function kindOf(obj: KubeObject): KindName {
    const kind = obj.kind as KindName | undefined;
    if (!kind || !(kind in KINDS)) throw new KubeApiError(`cannot create kind "${obj.kind}": use apply() for kinds outside kinds.ts`, 0);
    return kind;
  }

  function query(params: Record<string, string | number | boolean | undefined>): string {
    const entries = Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]);
    return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
  }

  /** Path of an arbitrary object (kinds outside our table are resolved through API discovery). */
  const discovered = new Map<string, { plural: string; namespaced: boolean }>();
  async function pathForObject(obj: KubeObject): Promise<string> {
    const apiVersion = obj.apiVersion ?? '';
    const kind = obj.kind ?? '';
    const name = obj.metadata?.name ?? '';
    const ns = obj.metadata?.namespace;
    const key = `${apiVersion}/${kind}`;
    let info = discovered.get(key);
    if (!info) {
      const known = Object.entries(KINDS).find(([k, v]) => k === kind && v.apiVersion === apiVersion)?.[1];
      if (known) info = { plural: known.plural, namespaced: known.namespaced };
      else {
        const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const list = (await json('GET', base)) as unknown as { resources?: Array<{ name: string; kind: string; namespaced: boolean }> };
        const found = list.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
        if (!found) throw new KubeApiError(`the cluster does not know kind "${kind}" in apiVersion "${apiVersion}"`, 404, 'NotFound');
        info = { plural: found.name, namespaced: found.namespaced };
      }
      discovered.set(key, info);
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const nsPart = info.namespaced && ns ? `/namespaces/${encodeURIComponent(ns)}` : '';
    return `${base}${nsPart}/${info.plural}/${encodeURIComponent(name)}`;
  }

  function listWatchSource(kind: KindName, namespace?: string, labelSelector?: string): ListWatchSource {
    const path = resourcePath(kind, namespace);
    return {
      async list() {
        const res = (await json('GET', `${path}${query({ labelSelector })}`)) as unknown as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
        return { items: res.items ?? [], resourceVersion: res.metadata?.resourceVersion ?? '' };
      },
      async watch(resourceVersion, onEvent, onDone) {
        const controller = await watcher.watch(
          path,
          // The server ends the watch cleanly before client-node's 30 s inactivity timeout would.
          { resourceVersion, labelSelector, allowWatchBookmarks: true, timeoutSeconds: 25 },
          (type: string, obj: KubeObject) => onEvent(type as WatchEventType, obj),
          (err: unknown) => onDone(err),
        );
        return { abort: () => controller.abort() };
      },
    };
  }

  return {
    contextName: kc.getCurrentContext(),
    serverUrl: server,
    async version(timeoutMs = 5000) {
      const v = (await json('GET', '/version', { timeoutMs })) as unknown as { gitVersion?: string };
      return v.gitVersion ?? 'unknown';
    },
    async apply(obj) {
      const path = await pathForObject(obj);
      return json('PATCH', `${path}${query({ fieldManager: FIELD_MANAGER, force: true })}`, {
        body: obj,
        contentType: 'application/apply-patch+yaml', // JSON is valid YAML, so SSA accepts it
      });
    },
    async create(obj) {
      const kind = kindOf(obj);
      return json('POST', resourcePath(kind, obj.metadata?.namespace), { body: obj });
    },
    async get(kind, name, namespace) {
      const res = await request('GET', resourcePath(kind, namespace, name));
      if (res.status === 404) return undefined;
      if (res.status < 200 || res.status >= 300) throw errorFromResponse('GET', resourcePath(kind, namespace, name), res.status, res.body);
      return JSON.parse(res.body) as KubeObject;
    },
    async list(kind, options: ListOptions = {}) {
      const path = `${resourcePath(kind, options.namespace)}${query({ labelSelector: options.labelSelector, fieldSelector: options.fieldSelector })}`;
      const res = (await json('GET', path)) as unknown as { items?: KubeObject[] };
      return res.items ?? [];
    },
    async delete(kind, name, namespace, options = {}) {
      const path = `${resourcePath(kind, namespace, name)}${query({ gracePeriodSeconds: options.gracePeriodSeconds })}`;
      const res = await request('DELETE', path);
      if (res.status === 404) return 'not-found';
      if (res.status < 200 || res.status >= 300) throw errorFromResponse('DELETE', path, res.status, res.body);
      return 'deleted';
    },
    async patchMerge(kind, name, namespace, patch) {
      return json('PATCH', resourcePath(kind, namespace, name), { body: patch, contentType: 'application/merge-patch+json' });
    },
    async podLog(namespace, pod, options) {
      const path = `${resourcePath('Pod', namespace, pod)}/log${query({ container: options.container, tailLines: options.tailLines })}`;
      const res = await request('GET', path);
      if (res.status < 200 || res.status >= 300) throw errorFromResponse('GET', path, res.status, res.body);
      return res.body;
    },
    getRaw: (path) => request('GET', path),
    postRaw: (path, body) => json('POST', path, { body }),
    async getAsToken(path, token) {
      const cluster = kc.getCurrentCluster();
      const ca = cluster?.caData ? Buffer.from(cluster.caData, 'base64') : cluster?.caFile ? readFileSync(cluster.caFile) : undefined;
      // A fresh agent without the kubeconfig's client certificate: with it, the API server would
      // authenticate us as the admin and ignore the token.
      const agent = new Agent({ connect: { ca, rejectUnauthorized: !cluster?.skipTLSVerify } });
      try {
        const response = await fetch(`${server}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, dispatcher: agent, signal: AbortSignal.timeout(30_000) });
        return { status: response.status, body: await response.text() };
      } catch (err) {
        throw errorFromNetwork(server, err);
      } finally {
        await agent.close();
      }
    },
    watch(kind, namespace, labelSelector, options = {}): ObjectStore {
      return createInformerStore(kind, listWatchSource(kind, namespace, labelSelector), { onError: options.onError });
    },
  };
}
