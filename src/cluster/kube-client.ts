/**
 * The real ClusterClient. Requests go through one raw JSON function over node:https, so objects stay
 * plain JSON (a typed client turns timestamps into Dates and drops fields its model does not know), and
 * nothing else loads (undici, 109 modules, cost every run ~50 ms and ~20 MB before its first request).
 * Credentials come from kubeconfig.ts (CA, client certificate, token); a user that needs a credential
 * plugin (exec, auth-provider) is served by @kubernetes/client-node, imported only then — importing it
 * costs about 1 s and 60 MB per process. Watches are streamed here: one JSON event per line.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AgentOptions } from 'node:https';
import { errorFromNetwork, errorFromResponse, KubeApiError } from './api-errors.ts';
import { createInformerStore } from './informer.ts';
import type { ListWatchSource, WatchEventType } from './informer.ts';
import { KINDS, resourcePath } from './kinds.ts';
import { resolveContext } from './kubeconfig.ts';
import type { ResolvedContext } from './kubeconfig.ts';
import type { ClusterClient, KindName, KubeObject, ListOptions, ObjectStore, RawResponse } from './types.ts';

export { currentContextName, KubeConfigError } from './kubeconfig.ts';

/** Field manager of every server-side apply; lets users see what kubeproof owns. */
export const FIELD_MANAGER = 'kubeproof';

/** A watch stream with no bytes for this long is dead (the server ends healthy ones after 25 s). */
const WATCH_QUIET_MS = 35_000;

/** How a request is authenticated: the connection pool (TLS material) and extra headers. */
interface Credentials {
  connect(): Promise<{ agent: HttpAgent; headers: Record<string, string> }>;
}

/**
 * Keep-alive pools (idle sockets do not keep the process alive); `http:` for a plain local proxy. One
 * pool per server and TLS identity for the whole process, so a connection opened early (prewarm) serves
 * the clients created later.
 */
const pools = new Map<string, HttpAgent>();
function pool(server: string, tls: AgentOptions): HttpAgent {
  const key = JSON.stringify([server, ...[tls.ca, tls.cert, tls.key].map((b) => (Buffer.isBuffer(b) ? b.toString('base64') : String(b))), tls.rejectUnauthorized]);
  let agent = pools.get(key);
  if (!agent) pools.set(key, (agent = server.startsWith('http:') ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true, ...tls })));
  return agent;
}

/** CA, client certificate and token straight from the kubeconfig: one pool for every request. */
function staticCredentials(ctx: ResolvedContext): Credentials {
  const agent = pool(ctx.server, { ca: ctx.ca, cert: ctx.cert, key: ctx.key, rejectUnauthorized: !ctx.insecureSkipTlsVerify });
  const headers: Record<string, string> = ctx.token ? { Authorization: `Bearer ${ctx.token}` } : {};
  return { connect: async () => ({ agent, headers }) };
}

/** Credentials from a plugin (exec, auth-provider): client-node's KubeConfig does the work, per request (tokens expire). */
function pluginCredentials(contextName: string, server: string): Credentials {
  const kc = import('@kubernetes/client-node').then((k8s) => {
    const config = new k8s.KubeConfig();
    config.loadFromDefault();
    config.setCurrentContext(contextName);
    return config;
  });
  return {
    async connect() {
      const options: AgentOptions & { headers?: Record<string, unknown> } = {};
      await (await kc).applyToHTTPSOptions(options);
      // A refreshed token changes the headers, not the pool.
      const { headers = {}, ...tls } = options;
      return { agent: pool(server, tls), headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])) };
    },
  };
}

/** An answer whose body has not been read yet: read it whole (`text`) or stream it (`body`). */
interface Reply {
  status: number;
  body: IncomingMessage;
  text(): Promise<string>;
}

/**
 * One HTTP exchange. Rejects with the signal's reason when `signal` aborts it (as fetch does, so a
 * timeout stays a TimeoutError), with the socket's error otherwise.
 */
function exchange(url: string, init: { method: string; agent: HttpAgent; headers: Record<string, string>; body?: string | undefined; signal?: AbortSignal | undefined }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = init.body === undefined ? init.headers : { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) };
    const req = (url.startsWith('http:') ? httpRequest : httpsRequest)(url, { method: init.method, agent: init.agent, headers, signal: init.signal }, (res) => {
      resolve({
        status: res.statusCode ?? 0,
        body: res,
        text: async () => {
          let text = '';
          res.setEncoding('utf8');
          try {
            for await (const chunk of res) text += chunk as string;
          } catch (err) {
            throw init.signal?.aborted ? init.signal.reason : err;
          }
          return text;
        },
      });
    });
    req.on('error', (err) => reject(init.signal?.aborted ? init.signal.reason : err));
    req.end(init.body);
  });
}

/**
 * Opens a connection to the API server of `context` now (TLS handshake, GET /version) and leaves it in
 * the pool, for the run's client to use once the input is checked: `npm run chaos` calls it with its
 * command line, so the handshake happens while cucumber loads the features. Read-only and silent: any
 * failure is left for the run's own preflight to report. Contexts that authenticate through a plugin
 * are left alone (warming them would start the plugin's process before the input is even checked).
 */
export async function prewarmKubeClient(context?: string): Promise<void> {
  try {
    if (resolveContext(context).plugin) return;
    await createKubeClient(context).version();
  } catch {
    // no kubeconfig, no such context, no answer: preflight says so in one line
  }
}

/**
 * Creates the real client for kube context `context` (default: the kubeconfig's current one).
 * @throws KubeConfigError when the kubeconfig lacks it (one line for the user)
 */
export function createKubeClient(context?: string): ClusterClient {
  const resolved = resolveContext(context);
  const server = resolved.server;
  const credentials = resolved.plugin ? pluginCredentials(resolved.contextName, server) : staticCredentials(resolved);

  /** A request with the context's credentials; network failures become one clear KubeApiError. */
  async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | undefined; signal?: AbortSignal }): Promise<Reply> {
    const url = `${server}${path}`;
    try {
      const { agent, headers } = await credentials.connect();
      return await exchange(url, { method, agent, headers: { ...headers, ...init.headers }, body: init.body, signal: init.signal });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw errorFromNetwork(server, err);
    }
  }

  async function request(method: string, path: string, options: { body?: unknown; contentType?: string; timeoutMs?: number } = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const response = await send(method, path, { headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    try {
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
        const controller = new AbortController();
        // The server ends a healthy watch after 25 s; a quiet timer catches a dead connection.
        const watchPath = `${path}${query({ watch: 1, resourceVersion, labelSelector, allowWatchBookmarks: true, timeoutSeconds: 25 })}`;
        const response = await send('GET', watchPath, { headers: { Accept: 'application/json' }, signal: controller.signal });
        if (response.status !== 200) throw errorFromResponse('GET', watchPath, response.status, await response.text());
        void streamEvents(response.body, controller, onEvent).then(() => onDone(), (err: unknown) => onDone(controller.signal.aborted && !(err as { quiet?: boolean })?.quiet ? undefined : err));
        return { abort: () => controller.abort() };
      },
    };
  }

  return {
    contextName: resolved.contextName,
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
      const path = `${resourcePath(kind, namespace, name)}${query({ gracePeriodSeconds: options.gracePeriodSeconds, propagationPolicy: options.propagationPolicy })}`;
      const res = await request('DELETE', path);
      if (res.status === 404) return 'not-found';
      if (res.status < 200 || res.status >= 300) throw errorFromResponse('DELETE', path, res.status, res.body);
      return 'deleted';
    },
    async patchMerge(kind, name, namespace, patch) {
      return json('PATCH', resourcePath(kind, namespace, name), { body: patch, contentType: 'application/merge-patch+json' });
    },
    async patchJson(kind, name, namespace, ops) {
      return json('PATCH', resourcePath(kind, namespace, name), { body: ops, contentType: 'application/json-patch+json' });
    },
    async podLog(namespace, pod, options) {
      const path = `${resourcePath('Pod', namespace, pod)}/log${query({ container: options.container, tailLines: options.tailLines })}`;
      const res = await request('GET', path);
      if (res.status < 200 || res.status >= 300) throw errorFromResponse('GET', path, res.status, res.body);
      return res.body;
    },
    async followPodLog(namespace, pod, options) {
      const path = `${resourcePath('Pod', namespace, pod)}/log${query({ container: options.container, follow: true })}`;
      let response: Reply;
      try {
        response = await send('GET', path, { headers: { Accept: '*/*' }, ...(options.signal ? { signal: options.signal } : {}) });
      } catch (err) {
        if (options.signal?.aborted) return;
        throw err;
      }
      if (response.status < 200 || response.status >= 300) throw errorFromResponse('GET', path, response.status, await response.text());
      const decoder = new TextDecoder();
      let buffered = '';
      try {
        for await (const chunk of response.body) {
          buffered += decoder.decode(chunk, { stream: true });
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            options.onLine(buffered.slice(0, newline));
            buffered = buffered.slice(newline + 1);
          }
        }
        if (buffered) options.onLine(buffered);
      } catch (err) {
        if (options.signal?.aborted) return;
        throw errorFromNetwork(server, err);
      }
    },
    getRaw: (path) => request('GET', path),
    postRaw: (path, body) => json('POST', path, { body }),
    async getAsToken(path, token) {
      // A fresh agent without the kubeconfig's client certificate: with it, the API server would
      // authenticate us as the admin and ignore the token.
      const agent = server.startsWith('http:') ? new HttpAgent() : new HttpsAgent({ ca: resolved.ca, rejectUnauthorized: !resolved.insecureSkipTlsVerify });
      try {
        const response = await exchange(`${server}${path}`, { method: 'GET', agent, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
        return { status: response.status, body: await response.text() };
      } catch (err) {
        throw errorFromNetwork(server, err);
      } finally {
        agent.destroy();
      }
    },
    watch(kind, namespace, labelSelector, options = {}): ObjectStore {
      return createInformerStore(kind, listWatchSource(kind, namespace, labelSelector), { onError: options.onError });
    },
  };
}

/**
 * Reads a watch response: one JSON event per line, delivered in order. Resolves when the server ends
 * the stream; rejects on a broken stream, or — marked `quiet` and named TimeoutError, which the informer
 * re-watches at once — when nothing arrived for WATCH_QUIET_MS.
 */
async function streamEvents(body: AsyncIterable<Uint8Array>, controller: AbortController, onEvent: (type: WatchEventType, obj: KubeObject) => void): Promise<void> {
  let quiet: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const arm = (): void => {
    clearTimeout(quiet);
    quiet = setTimeout(() => { timedOut = true; controller.abort(); }, WATCH_QUIET_MS);
  };
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    arm();
    for await (const chunk of body) {
      arm();
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const event = JSON.parse(line) as { type: WatchEventType; object: KubeObject };
        onEvent(event.type, event.object);
      }
    }
  } catch (err) {
    if (timedOut) throw Object.assign(new Error(`watch stream quiet for ${WATCH_QUIET_MS / 1000}s`), { name: 'TimeoutError', quiet: true });
    throw err;
  } finally {
    clearTimeout(quiet);
  }
}
