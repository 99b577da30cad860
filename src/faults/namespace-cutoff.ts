/**
 * namespace-cutoff: "namespace N is cut off" — a NetworkPolicy that selects every pod of the namespace
 * and allows no ingress and no egress. Namespace-scoped, so it can run in parallel with other
 * scenarios. The undo (delete that policy) is journalled before the policy is created, so After,
 * SIGINT and --janitor can all remove it. Only new connections are affected: the testbed's enforcer,
 * like most CNIs, does not cut connections that are already established.
 */
import type { FaultContext, FaultOutcome } from './fault.ts';
import { FaultError } from './fault.ts';

/** Name of the injected policy; fixed, so a second cut-off of the same namespace is refused clearly. */
export const CUTOFF_POLICY = 'kubeproof-cut-off';

/** Injects the deny-all policy into `namespace`, journalling its deletion first. */
export async function cutOffNamespace(ctx: Pick<FaultContext, 'client' | 'journal' | 'timeline'>, namespace: string): Promise<FaultOutcome> {
  if (await ctx.client.get('NetworkPolicy', CUTOFF_POLICY, namespace)) {
    throw new FaultError(`namespace ${namespace} is already cut off (NetworkPolicy "${CUTOFF_POLICY}" exists)`);
  }
  ctx.journal.record('networkpolicy.delete', { namespace, name: CUTOFF_POLICY }, `delete NetworkPolicy ${namespace}/${CUTOFF_POLICY} (namespace cut-off)`);
  await ctx.client.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: CUTOFF_POLICY, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeproof' } },
    // Empty podSelector = every pod; both types listed with no rules = nothing in, nothing out.
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  ctx.timeline.record({ kind: 'fault.injected', fault: 'namespace-cutoff', target: `namespace/${namespace}`, detail: 'deny-all ingress+egress NetworkPolicy' });
  return { fault: 'namespace-cutoff', target: `namespace/${namespace}`, detail: `NetworkPolicy ${CUTOFF_POLICY} denies all ingress and egress` };
}
