/** "the pods of deployment X are not scheduled, the scheduler saying …": Pending, with the scheduler's reason. */
import { objectRef } from '../cluster/kinds.ts';
import { isPodLive, podsSelectedBy } from '../cluster/predicates.ts';
import type { KindName, KubeObject, ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/** The scheduler's message on a pod it could not place, or undefined. */
export function schedulerMessage(pod: KubeObject): string | undefined {
  const c = ((pod.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string }>).find((x) => x.type === 'PodScheduled' && x.status === 'False');
  return c ? (c.message ?? c.reason ?? 'not scheduled') : undefined;
}

/** Every live pod of the workload is unscheduled; with `saying`, the scheduler's message contains it. */
export function podsUnschedulable(stores: { workload: ObjectStore; pods: ObjectStore }, kind: KindName, namespace: string, name: string, saying?: string): Condition {
  return {
    subject: objectRef(kind, name, namespace),
    matcher: `toStayPending(${saying ? JSON.stringify(saying) : ''})`,
    expectation: `every pod Pending, not scheduled${saying ? `, the scheduler saying "${saying}"` : ''}`,
    stores: [stores.workload, stores.pods],
    observe() {
      const workload = stores.workload.get(name);
      if (!workload) return { ok: false, received: `no ${kind} "${name}" in namespace ${namespace}` };
      const pods = podsSelectedBy(workload, stores.pods.list()).filter(isPodLive);
      const text = pods.map((p) => {
        const msg = schedulerMessage(p);
        return p.spec?.nodeName ? `${p.metadata?.name} scheduled on ${p.spec.nodeName}` : `${p.metadata?.name} Pending${msg ? `: ${msg}` : ' (not tried yet)'}`;
      });
      const ok = pods.length > 0 && pods.every((p) => !p.spec?.nodeName && (saying === undefined || (schedulerMessage(p) ?? '').includes(saying)));
      const scheduled = pods.find((p) => p.spec?.nodeName);
      const requests = ((workload.spec?.template?.spec?.containers ?? []) as Array<{ name: string; resources?: { requests?: Record<string, string> } }>)
        .map((c) => `${c.name} requests ${Object.entries(c.resources?.requests ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing'}`).join('; ');
      return { ok, received: `${text.join('; ') || 'no pods'} (${requests})`, ...(scheduled ? { cause: `pod ${scheduled.metadata?.name} was placed on node ${scheduled.spec?.nodeName}: a node had room for its requests (${requests}) (scheduler)` } : {}) };
    },
    hint: 'the scheduler places a pod only on a node whose allocatable CPU and memory minus the requests already there cover its requests (kubectl describe node: Allocatable, Allocated resources)',
  };
}
