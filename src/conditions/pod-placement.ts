/** "no pod of deployment X runs on node N": placement of live (not terminating) pods. */
import { describePod } from '../cluster/describe.ts';
import { isPodLive, podsSelectedBy } from '../cluster/predicates.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/** Holds when no live pod of the deployment is scheduled on `node`. */
export function noPodOnNode(stores: { deployments: ObjectStore; pods: ObjectStore }, namespace: string, name: string, node: string): Condition {
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: `toHaveNoPodOn(${node})`,
    expectation: `no pod on node ${node}`,
    stores: [stores.deployments, stores.pods],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) return { ok: false, received: `no deployment "${name}" in namespace ${namespace}` };
      const pods = podsSelectedBy(deployment, stores.pods.list()).filter(isPodLive);
      const offending = pods.filter((p) => p.spec?.nodeName === node);
      return { ok: offending.length === 0, received: `${offending.length}/${pods.length} pods on ${node} (${pods.map(describePod).join(', ') || 'no pods'})` };
    },
  };
}
