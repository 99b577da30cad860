/**
 * Reads kubeconfig files the way kubectl does ($KUBECONFIG, a path list whose first definition of a
 * name wins; else ~/.kube/config) and resolves one context to a server and the credentials kind and
 * most clusters use: CA, client certificate and key, bearer token. Why not @kubernetes/client-node's
 * KubeConfig: importing it loads the whole generated API (≈ 1 s and 60 MB in every process, measured
 * with bench/overhead.ts); credentials that need a plugin (exec, auth-provider) still go through it,
 * imported only then (kube-client.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/** Error for a kubeconfig that does not have what was asked for. */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

/** One resolved context. `plugin` is set when its user needs a credential plugin (exec or auth-provider). */
export interface ResolvedContext {
  contextName: string;
  server: string;
  ca: Buffer | undefined;
  insecureSkipTlsVerify: boolean;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  token: string | undefined;
  plugin: 'exec' | 'auth-provider' | undefined;
}

interface Named<T> { name: string; [key: string]: unknown; cluster?: T; user?: T; context?: T }
interface KubeConfigFile {
  'current-context'?: string;
  clusters?: Array<Named<Record<string, unknown>>>;
  users?: Array<Named<Record<string, unknown>>>;
  contexts?: Array<Named<{ cluster?: string; user?: string }>>;
}

/** The kubeconfig files in effect (existing ones only). */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
  return list.filter((f) => existsSync(f));
}

/** Merged view of the files: the first file to define a name (or current-context) wins. */
function merge(files: readonly string[]): { doc: KubeConfigFile; baseOf: Map<object, string> } {
  const doc: Required<Pick<KubeConfigFile, 'clusters' | 'users' | 'contexts'>> & KubeConfigFile = { clusters: [], users: [], contexts: [] };
  const baseOf = new Map<object, string>();
  for (const file of files) {
    let parsed: KubeConfigFile;
    try {
      parsed = (parse(readFileSync(file, 'utf8')) ?? {}) as KubeConfigFile;
    } catch (err) {
      throw new KubeConfigError(`kubeconfig ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    doc['current-context'] ??= parsed['current-context'] || undefined;
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of parsed[key] ?? []) {
        if (doc[key].some((e) => e.name === entry.name)) continue;
        doc[key].push(entry as never);
        // Relative certificate paths are relative to the file that names them.
        if (entry.cluster) baseOf.set(entry.cluster, dirname(file));
        if (entry.user) baseOf.set(entry.user, dirname(file));
      }
    }
  }
  return { doc, baseOf };
}

/** The current context's name, or undefined when no kubeconfig exists (a fresh machine). */
export function currentContextName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const files = kubeconfigFiles(env);
  if (!files.length) return undefined;
  try {
    return merge(files).doc['current-context'];
  } catch {
    return undefined;
  }
}

/** Resolves `context` (default: the current one) to its server and credentials. */
export function resolveContext(context?: string, env: NodeJS.ProcessEnv = process.env): ResolvedContext {
  const files = kubeconfigFiles(env);
  if (!files.length) throw new KubeConfigError('no Kubernetes cluster configured: no kubeconfig found (looked at $KUBECONFIG and ~/.kube/config)');
  const { doc, baseOf } = merge(files);
  const name = context ?? doc['current-context'];
  const entry = doc.contexts?.find((c) => c.name === name);
  if (!name || !entry) {
    const known = (doc.contexts ?? []).map((c) => c.name).join(', ') || 'none';
    throw new KubeConfigError(context ? `kube context "${context}" is not in your kubeconfig (known contexts: ${known})` : `your kubeconfig has no current context (known contexts: ${known})`);
  }
  const cluster = doc.clusters?.find((c) => c.name === entry.context?.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === entry.context?.user)?.user ?? {};
  if (!cluster || typeof cluster.server !== 'string') throw new KubeConfigError(`kube context "${name}" names cluster "${entry.context?.cluster}", which your kubeconfig does not define with a server`);
  const bytes = (data: unknown, file: unknown, owner: object): Buffer | undefined => {
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
    if (typeof file === 'string' && file) return readFileSync(isAbsolute(file) ? file : join(baseOf.get(owner) ?? '.', file));
    return undefined;
  };
  const tokenFile = user.tokenFile;
  const token = typeof user.token === 'string' ? user.token
    : typeof tokenFile === 'string' ? readFileSync(isAbsolute(tokenFile) ? tokenFile : join(baseOf.get(user) ?? '.', tokenFile), 'utf8').trim() : undefined;
  return {
    contextName: name,
    server: cluster.server.replace(/\/+$/, ''),
    ca: bytes(cluster['certificate-authority-data'], cluster['certificate-authority'], cluster),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    cert: bytes(user['client-certificate-data'], user['client-certificate'], user),
    key: bytes(user['client-key-data'], user['client-key'], user),
    token,
    plugin: user.exec ? 'exec' : user['auth-provider'] ? 'auth-provider' : undefined,
  };
}
