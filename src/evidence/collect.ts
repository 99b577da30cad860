/**
 * Evidence collected only when a scenario failed: recent Events, the status of workloads, and the
 * log tail of pods, in every namespace the scenario owns. A failing collector adds a note; it never
 * replaces the scenario's own failure. Everything it returns leaves through the redaction boundary.
 */
import { describePod } from '../cluster/describe.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';

/** One attachment to add to the scenario. */
export interface EvidenceItem {
  name: string;
  mediaType: 'application/json' | 'text/plain';
  body: string;
}

const LOG_TAIL_LINES = 50;
const MAX_PODS_WITH_LOGS = 10;

function statusOf(obj: KubeObject): unknown {
  return { kind: obj.kind, namespace: obj.metadata?.namespace, name: obj.metadata?.name, spec: { replicas: obj.spec?.replicas, selector: obj.spec?.selector, nodeName: obj.spec?.nodeName }, status: obj.status };
}

/** Collects evidence for `namespaces` (the scenario's own first). */
export async function collectEvidence(client: ClusterClient, namespaces: readonly string[]): Promise<EvidenceItem[]> {
  const items: EvidenceItem[] = [];
  const notes: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try { await fn(); } catch (err) { notes.push(`could not collect ${what}: ${(err as Error).message}`); }
  };
  const each = async <T>(fn: (ns: string) => Promise<T[]>): Promise<T[]> => (await Promise.all(namespaces.map(fn))).flat();
  await attempt('events', async () => {
    const events = (await each((namespace) => client.list('Event', { namespace })))
      .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
      .slice(-50)
      .map((e) => ({ at: e.lastTimestamp ?? e.eventTime, namespace: e.metadata?.namespace, type: e.type, reason: e.reason, object: `${(e.involvedObject as { kind?: string })?.kind}/${(e.involvedObject as { name?: string })?.name}`, count: e.count, message: e.message }));
    items.push({ name: 'evidence-events.json', mediaType: 'application/json', body: JSON.stringify(events, null, 2) });
  });
  let pods: KubeObject[] = [];
  await attempt('object status', async () => {
    const [deployments, replicaSets, podList] = await Promise.all([
      each((namespace) => client.list('Deployment', { namespace })), each((namespace) => client.list('ReplicaSet', { namespace })), each((namespace) => client.list('Pod', { namespace })),
    ]);
    pods = podList;
    const status = { deployments: deployments.map(statusOf), replicaSets: replicaSets.map(statusOf), pods: podList.map((p) => ({ summary: describePod(p), ...statusOf(p) as object })) };
    items.push({ name: 'evidence-status.json', mediaType: 'application/json', body: JSON.stringify(status, null, 2) });
  });
  await attempt('pod logs', async () => {
    const chunks: string[] = [];
    for (const pod of pods.slice(0, MAX_PODS_WITH_LOGS)) {
      const name = pod.metadata?.name ?? '';
      const namespace = pod.metadata?.namespace ?? '';
      for (const c of (pod.spec?.containers ?? []) as Array<{ name: string }>) {
        let body: string;
        try { body = await client.podLog(namespace, name, { container: c.name, tailLines: LOG_TAIL_LINES }); } catch (err) { body = `(no log: ${(err as Error).message})`; }
        chunks.push(`===== ${namespace}/${name}/${c.name} (last ${LOG_TAIL_LINES} lines) =====\n${body.trim() || '(empty)'}`);
      }
    }
    items.push({ name: 'evidence-pod-logs.txt', mediaType: 'text/plain', body: chunks.join('\n\n') || 'no pods' });
  });
  if (notes.length) items.push({ name: 'evidence-notes.txt', mediaType: 'text/plain', body: notes.join('\n') });
  return items;
}
