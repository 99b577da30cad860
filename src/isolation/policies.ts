/**
 * Which NetworkPolicies select a pod, in words — so a failed isolation check says which policy should
 * have allowed or dropped the path instead of leaving the student to guess.
 */
import { formatSelector, labelSelectorMatches } from '../cluster/predicates.ts';
import type { LabelSelector } from '../cluster/predicates.ts';
import type { KubeObject } from '../cluster/types.ts';

function describePeer(peer: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: { cidr: string } }): string {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}`;
  const pods = peer.podSelector ? formatSelector(peer.podSelector) : undefined;
  if (!peer.namespaceSelector) return `pods ${pods ?? 'all pods'} (same namespace)`;
  return `pods ${pods ?? 'all pods'} in namespaces ${formatSelector(peer.namespaceSelector, 'any namespace')}`;
}

function describeRules(rules: Array<{ from?: unknown[]; to?: unknown[]; ports?: Array<{ protocol?: string; port?: number | string }> }> | undefined, dir: 'from' | 'to'): string {
  if (!rules || rules.length === 0) return 'nothing (deny all)';
  return rules.map((r) => {
    const peers = (r[dir] as Parameters<typeof describePeer>[0][] | undefined) ?? [];
    const who = peers.length ? peers.map(describePeer).join(' or ') : 'anywhere';
    const ports = r.ports?.length ? ` on ${r.ports.map((p) => `${p.protocol ?? 'TCP'}/${p.port ?? 'any'}`).join(', ')}` : ' on any port';
    return `${who}${ports}`;
  }).join('; ');
}

/** One policy in a line: name, what it selects, what it lets in (and out, when it restricts egress). */
export function describePolicy(policy: KubeObject): string {
  const spec = policy.spec ?? {};
  const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  const parts = [`"${policy.metadata?.name}" (selects ${formatSelector(spec.podSelector)})`];
  if (types.includes('Ingress')) parts.push(`ingress from ${describeRules(spec.ingress, 'from')}`);
  if (types.includes('Egress')) parts.push(`egress to ${describeRules(spec.egress, 'to')}`);
  return parts.join(', ');
}

/** Policies of `policies` that select a pod with `labels` for `direction`. */
export function policiesSelecting(policies: readonly KubeObject[], labels: Record<string, string>, direction: 'Ingress' | 'Egress'): KubeObject[] {
  return policies.filter((p) => {
    const types: string[] = p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    // podSelector is required by the API; {} selects every pod of the namespace.
    return types.includes(direction) && labelSelectorMatches(p.spec?.podSelector ?? {}, labels);
  });
}

/** Policies whose podSelector matches none of `pods` (a typo in a label, most often): they isolate nothing. */
export function policiesSelectingNoPod(policies: readonly KubeObject[], pods: readonly KubeObject[]): KubeObject[] {
  return policies.filter((p) => !pods.some((pod) => labelSelectorMatches(p.spec?.podSelector ?? {}, pod.metadata?.labels ?? {})));
}

/**
 * `NetworkPolicy "db-allow-api" selects app=dbb, which matches no pod in namespace kp-x (pods' labels:
 * app=db; app=client), so it isolates nothing` — the clue a student needs when a path they meant to
 * block is open.
 */
export function describePolicySelectingNoPod(policy: KubeObject, namespace: string, podLabels: string): string {
  return `NetworkPolicy "${policy.metadata?.name}" selects ${formatSelector(policy.spec?.podSelector)}, which matches no pod in namespace ${namespace} (${podLabels ? `pods' labels: ${podLabels}` : 'it has no pod'}), so it isolates nothing`;
}
