/**
 * NodePorts are cluster-wide: a fixture that publishes fixed ones (demo-shop: 30080, 30030) can exist
 * in one namespace at a time. The previous scenario's namespace is deleted asynchronously, so the next
 * scenario's apply can find the port still allocated for a few seconds. This waits — bounded — while
 * the holder is a namespace being deleted, and fails at once, naming the holder, when it is alive.
 */
import type { ClusterClient, KubeObject } from './types.ts';

/** Who holds a nodePort: the Service, its namespace, and whether that namespace is being deleted. */
export interface NodePortHolder {
  namespace: string;
  service: string;
  terminating: boolean;
}

/** The Service (cluster-wide) holding nodePort `port`, if any. */
export async function nodePortHolder(client: ClusterClient, port: number): Promise<NodePortHolder | undefined> {
  const services = await client.list('Service');
  const svc = services.find((s) => (s.spec?.ports ?? []).some((p: { nodePort?: number }) => p.nodePort === port));
  if (!svc) return undefined;
  const namespace = svc.metadata?.namespace ?? '';
  const ns = await client.get('Namespace', namespace);
  return { namespace, service: svc.metadata?.name ?? '', terminating: Boolean(ns?.metadata?.deletionTimestamp ?? svc.metadata?.deletionTimestamp) };
}

const ALLOCATED = /nodePort: Invalid value: (\d+): provided port is already allocated/;

/** The nodePort an API error says is taken by another Service, if that is what it says. */
export function allocatedNodePort(err: unknown): number | undefined {
  const port = ALLOCATED.exec((err as Error)?.message ?? '')?.[1];
  return port ? Number(port) : undefined;
}

/**
 * Applies `obj`; when a nodePort is still held by a namespace being deleted, re-applies every second
 * until it is released or `timeoutMs` passes. Other errors, and ports held by live namespaces, are thrown.
 */
export async function applyWaitingForNodePorts(client: ClusterClient, obj: KubeObject, timeoutMs: number): Promise<KubeObject> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await client.apply(obj);
    } catch (err) {
      const port = ALLOCATED.exec((err as Error).message ?? '')?.[1];
      if (!port) throw err;
      const holder = await nodePortHolder(client, Number(port)).catch(() => undefined);
      if (holder && !holder.terminating) {
        (err as Error).message += ` — nodePort ${port} belongs to Service "${holder.service}" in namespace ${holder.namespace}, which is not being deleted (another run or scenario deploys the same fixture: run such scenarios one at a time)`;
        throw err;
      }
      if (Date.now() >= deadline) {
        (err as Error).message += ` — still allocated after waiting ${Math.round(timeoutMs / 1000)}s for namespace ${holder?.namespace ?? '(unknown)'} to finish deleting`;
        throw err;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
