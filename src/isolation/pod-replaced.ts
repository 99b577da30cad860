/**
 * Deleting one named pod (e.g. a StatefulSet's postgres-0) and waiting for its replacement to be
 * Ready, so an isolation matrix can be re-checked against the new pod (new IP, same labels).
 * No undo is journalled: the pod's controller recreates it, which is exactly what is under test.
 */
import type { ClusterClient, KubeObject, ObjectStore } from '../cluster/types.ts';
import type { Condition } from '../conditions/condition.ts';
import { FaultError } from '../faults/fault.ts';
import type { FaultOutcome } from '../faults/fault.ts';
import type { Timeline } from '../timeline/timeline.ts';

function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** Deletes pod `name` (grace period from its spec) and returns its uid, so the replacement can be told apart. */
export async function deletePod(client: ClusterClient, timeline: Timeline, namespace: string, name: string): Promise<{ uid: string; outcome: FaultOutcome }> {
  const pod = await client.get('Pod', name, namespace);
  if (!pod) throw new FaultError(`cannot delete pod "${name}": it does not exist in namespace ${namespace}`);
  if (!pod.metadata?.ownerReferences?.some((o) => o.controller)) {
    throw new FaultError(`pod "${name}" has no controller (StatefulSet, ReplicaSet…), so nothing would bring it back; delete a managed pod`);
  }
  await client.delete('Pod', name, namespace);
  timeline.record({ kind: 'fault.injected', fault: 'pod-delete', target: `pod/${name}`, detail: `was on ${pod.spec?.nodeName ?? 'no node'}, IP ${pod.status?.podIP ?? 'none'}` });
  return { uid: pod.metadata?.uid ?? '', outcome: { fault: 'pod-delete', target: `pod/${name}`, detail: `deleted pod ${name} (uid ${pod.metadata?.uid})` } };
}

/** Condition: pod `name` exists, is not the deleted instance `oldUid`, and is Ready. */
export function podReplacedAndReady(pods: ObjectStore, namespace: string, name: string, oldUid: string | undefined): Condition {
  return {
    subject: `v1/Pod ${namespace}/${name}`,
    matcher: oldUid ? 'toBeReplacedAndReady()' : 'toBeReady()',
    expectation: oldUid ? 'a new instance (new uid) that is Ready' : 'Ready',
    stores: [pods],
    observe() {
      const pod = pods.get(name);
      if (!pod) return { ok: false, received: 'no such pod (not recreated yet)' };
      const same = oldUid !== undefined && pod.metadata?.uid === oldUid;
      const state = `${pod.status?.phase ?? 'unknown'}/${isReady(pod) ? 'Ready' : 'NotReady'} on ${pod.spec?.nodeName ?? 'no node'}${pod.metadata?.deletionTimestamp ? ', terminating' : ''}`;
      if (same) return { ok: false, received: `still the deleted instance (${state})` };
      return { ok: isReady(pod) && !pod.metadata?.deletionTimestamp, received: `${oldUid ? 'new instance ' : ''}${state}, IP ${pod.status?.podIP ?? 'none'}` };
    },
  };
}
