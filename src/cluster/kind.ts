/** kind specifics: is this context a kind cluster, and which docker containers are its nodes. */
import type { ClusterClient } from './types.ts';

/** The kind cluster name of a context ("kind-kubeproof" → "kubeproof"), or undefined. */
export function kindClusterName(contextName: string): string | undefined {
  return contextName.startsWith('kind-') ? contextName.slice('kind-'.length) : undefined;
}

/**
 * Whether the cluster behind `client` looks like kind: the context is named kind-*, the API server is
 * on a loopback address, and a node carries kind's container naming. Returns the reason when not.
 */
export async function whyNotKind(client: ClusterClient): Promise<string | undefined> {
  const cluster = kindClusterName(client.contextName);
  if (!cluster) return `kube context "${client.contextName}" is not a kind cluster (kind contexts are named kind-<cluster>)`;
  const host = new URL(client.serverUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    return `kube context "${client.contextName}" points at ${client.serverUrl}, not at a local kind API server`;
  }
  const nodes = await client.list('Node');
  const names = nodes.map((n) => n.metadata?.name ?? '');
  if (!names.includes(`${cluster}-control-plane`)) {
    return `kube context "${client.contextName}" has no node "${cluster}-control-plane" (nodes: ${names.join(', ') || 'none'}), so it is not the kind cluster "${cluster}"`;
  }
  return undefined;
}
