/**
 * pod-delete: deletes one named, controller-managed pod (e.g. a StatefulSet's postgres-0) with its own
 * grace period, so a check can follow its replacement (new uid, maybe a new IP). No undo: the pod's
 * controller recreates it, which is exactly what is under test.
 */
import { InputError } from '../failure/failure.ts';
import { defineFault } from './fault.ts';

export const podDelete = defineFault<{ pod: string }, { pod: string; uid: string }>({
  name: 'pod-delete',
  describe: (a) => `pod-delete: pod "${a.pod}" (its controller recreates it)`,
  async inject(ctx, a) {
    const namespace = ctx.view.namespace;
    const pod = await ctx.client.get('Pod', a.pod, namespace);
    if (!pod) throw new InputError(`cannot delete pod "${a.pod}": it does not exist in namespace ${namespace}`);
    if (!pod.metadata?.ownerReferences?.some((o) => o.controller)) {
      throw new InputError(`pod "${a.pod}" has no controller (StatefulSet, ReplicaSet…), so nothing would bring it back; delete a managed pod`);
    }
    ctx.timeline.record({ kind: 'fault.injected', fault: 'pod-delete', target: `pod/${a.pod}`, detail: `was on ${pod.spec?.nodeName ?? 'no node'}, IP ${pod.status?.podIP ?? 'none'}` });
    await ctx.client.delete('Pod', a.pod, namespace);
    const uid = pod.metadata?.uid ?? '';
    return { fault: 'pod-delete', target: `pod/${a.pod}`, detail: `deleted pod ${a.pod} (uid ${uid})`, state: { pod: a.pod, uid } };
  },
});
