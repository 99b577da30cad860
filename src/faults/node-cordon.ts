/**
 * node-cordon: marks a node unschedulable (kubectl cordon). Cluster-wide, so scenarios using it are
 * @exclusive. The undo (uncordon) is journalled before the patch.
 */
import { selectsPod } from '../cluster/describe.ts';
import { FaultError } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';

/**
 * The node running the most pods of deployment `name`; ties are broken by the seeded Rng.
 * Nodes in `exclude` are never chosen (e.g. the node of a database the scenario must not lose).
 */
export async function nodeRunningMost(ctx: FaultContext, name: string, exclude: ReadonlySet<string> = new Set()): Promise<string> {
  await ctx.view.ready();
  const deployment = ctx.view.deployments.get(name);
  if (!deployment) throw new FaultError(`no deployment "${name}" in namespace ${ctx.view.namespace}`);
  const counts = new Map<string, number>();
  for (const pod of ctx.view.pods.list()) {
    if (!selectsPod(deployment.spec?.selector?.matchLabels, pod) || !pod.spec?.nodeName || pod.metadata?.deletionTimestamp) continue;
    if (exclude.has(pod.spec.nodeName)) continue;
    counts.set(pod.spec.nodeName, (counts.get(pod.spec.nodeName) ?? 0) + 1);
  }
  const max = Math.max(0, ...counts.values());
  const top = [...counts].filter(([, c]) => c === max).map(([n]) => n).sort();
  const [chosen] = ctx.rng.pick(top, 1);
  if (!chosen) {
    const spared = exclude.size ? ` outside the spared node(s) ${[...exclude].sort().join(', ')}` : '';
    throw new FaultError(`deployment "${name}" has no scheduled pod${spared}, so no node runs it`);
  }
  return chosen;
}

/** Cordons `node`, journalling the uncordon first. */
export async function cordonNode(ctx: FaultContext, node: string): Promise<FaultOutcome> {
  const existing = await ctx.client.get('Node', node);
  if (!existing) throw new FaultError(`cannot cordon node "${node}": no such node`);
  if (existing.spec?.unschedulable) throw new FaultError(`node "${node}" is already cordoned; uncordon it (or run --janitor) before this scenario`);
  ctx.journal.record('node.uncordon', { name: node }, `uncordon node ${node}`);
  await ctx.client.patchMerge('Node', node, undefined, { spec: { unschedulable: true } });
  ctx.timeline.record({ kind: 'fault.injected', fault: 'node-cordon', target: `node/${node}` });
  return { fault: 'node-cordon', target: `node/${node}`, detail: 'unschedulable' };
}
