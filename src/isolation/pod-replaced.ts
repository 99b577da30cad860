/**
 * After "I delete pod X" (faults/pod-delete.ts): its replacement must be Ready, so an isolation matrix
 * can be re-checked against the new pod (new IP, same labels).
 */
import { isPodReady } from '../cluster/predicates.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from '../conditions/condition.ts';

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
      const state = `${pod.status?.phase ?? 'unknown'}/${isPodReady(pod) ? 'Ready' : 'NotReady'} on ${pod.spec?.nodeName ?? 'no node'}${pod.metadata?.deletionTimestamp ? ', terminating' : ''}`;
      if (same) return { ok: false, received: `still the deleted instance (${state})` };
      return { ok: isPodReady(pod) && !pod.metadata?.deletionTimestamp, received: `${oldUid ? 'new instance ' : ''}${state}, IP ${pod.status?.podIP ?? 'none'}` };
    },
  };
}
