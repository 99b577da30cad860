/** "no ready X pod runs on the dead node": a ready, not terminating pod of the deployment on `node`. */
import { describePod } from '../cluster/describe.ts';
import { isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/**
 * Holds when no pod of the deployment on `node` is Ready and not terminating. Pods left on a dead
 * node stay listed (Terminating or NotReady) until its kubelet returns; those do not count.
 */
export function noReadyPodOnNode(stores: { deployments: ObjectStore; pods: ObjectStore }, namespace: string, name: string, node: string): Condition {
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: `toHaveNoReadyPodOn(${node})`,
    expectation: `no ready pod on node ${node}`,
    stores: [stores.deployments, stores.pods],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) return { ok: false, received: `no deployment "${name}" in namespace ${namespace}` };
      const onNode = podsSelectedBy(deployment, stores.pods.list()).filter((p) => p.spec?.nodeName === node);
      const ready = onNode.filter((p) => isPodReady(p) && isPodLive(p));
      return { ok: ready.length === 0, received: `${ready.length} ready pod${ready.length === 1 ? '' : 's'} on ${node} (${onNode.map(describePod).join(', ') || 'no pods there'})` };
    },
  };
}
