/**
 * namespace-cutoff: "namespace N is cut off" — a NetworkPolicy that selects every pod of the namespace
 * and allows no ingress and no egress. Namespace-scoped, so it can run in parallel with other
 * scenarios. The undo (delete that policy) is journalled before the policy is created, so After,
 * SIGINT and --janitor can all remove it — or "the namespace is reconnected" runs it early. Only new
 * connections are affected: the testbed's enforcer, like most CNIs, does not cut established ones.
 */
import { defineUndo, str } from '../journal/undo.ts';
import { FaultError, defineFault } from './fault.ts';

/** Name of the injected policy; fixed, so a second cut-off of the same namespace is refused clearly. */
export const CUTOFF_POLICY = 'kubeproof-cut-off';

/** Deletes a NetworkPolicy kubeproof injected (a gone one counts as done). */
export const deleteNetworkPolicy = defineUndo<{ namespace: string; name: string }>('networkpolicy.delete', async ({ client }, p) => {
  const r = await client.delete('NetworkPolicy', str(p, 'name'), str(p, 'namespace'));
  return `NetworkPolicy ${p.namespace}/${p.name} ${r === 'deleted' ? 'deleted' : 'was already gone'}`;
});

/** `alias`: a namespace the scenario created ("partner"); none = the scenario's own. */
export const namespaceCutoff = defineFault<{ alias?: string }, { namespace: string }>({
  name: 'namespace-cutoff',
  describe: (a) => `namespace-cutoff: deny-all ingress+egress NetworkPolicy in ${a.alias ? `namespace "${a.alias}"` : 'the scenario namespace'} (deleted afterwards)`,
  undos: [deleteNetworkPolicy],
  async inject(ctx, a) {
    const namespace = ctx.namespaces.resolve(a.alias);
    if (await ctx.client.get('NetworkPolicy', CUTOFF_POLICY, namespace)) {
      throw new FaultError(`namespace-cutoff: namespace ${namespace} is already cut off (NetworkPolicy "${CUTOFF_POLICY}" exists)`);
    }
    deleteNetworkPolicy.record(ctx.journal, { namespace, name: CUTOFF_POLICY }, `delete NetworkPolicy ${namespace}/${CUTOFF_POLICY} (namespace cut-off)`);
    await ctx.client.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: CUTOFF_POLICY, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeproof' } },
      // Empty podSelector = every pod; both types listed with no rules = nothing in, nothing out.
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    ctx.timeline.record({ kind: 'fault.injected', fault: 'namespace-cutoff', target: `namespace/${namespace}`, detail: 'deny-all ingress+egress NetworkPolicy' });
    return { fault: 'namespace-cutoff', target: `namespace/${namespace}`, detail: `NetworkPolicy ${CUTOFF_POLICY} denies all ingress and egress`, state: { namespace } };
  },
});
