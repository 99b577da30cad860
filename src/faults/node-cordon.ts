/**
 * node-cordon: marks the node running the most pods of a Deployment unschedulable (kubectl cordon).
 * Cluster-wide, so scenarios using it are @exclusive. The uncordon is journalled before the patch.
 */
import { defineUndo, str } from '../journal/undo.ts';
import { FaultError, defineFault } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';
import { nodeRunningMost } from './node-victim.ts';

/** Makes a node schedulable again (a gone node counts as done). */
export const uncordon = defineUndo<{ name: string }>('node.uncordon', async ({ client }, p) => {
  const name = str(p, 'name');
  if (!(await client.get('Node', name))) return `node ${name} no longer exists`;
  await client.patchMerge('Node', name, undefined, { spec: { unschedulable: null } });
  return `node ${name} uncordoned`;
});

/** Cordons `node`, journalling the uncordon first; `fault` names the step that asked (cordon or drain). */
export async function cordonNode(ctx: FaultContext, node: string, fault = 'node-cordon'): Promise<FaultOutcome<{ node: string }>> {
  const existing = await ctx.client.get('Node', node);
  if (!existing) throw new FaultError(`${fault}: no node "${node}"`);
  if (existing.spec?.unschedulable) throw new FaultError(`${fault}: node "${node}" is already cordoned; uncordon it (or run --janitor) before this scenario`);
  uncordon.record(ctx.journal, { name: node }, `uncordon node ${node}`);
  await ctx.client.patchMerge('Node', node, undefined, { spec: { unschedulable: true } });
  ctx.timeline.record({ kind: 'fault.injected', fault, target: `node/${node}`, detail: 'cordoned (unschedulable)' });
  return { fault, target: `node/${node}`, detail: 'unschedulable', state: { node } };
}

export const nodeCordon = defineFault<{ deployment: string }, { node: string }>({
  name: 'node-cordon',
  describe: (a, seed) => `node-cordon: the node running the most "${a.deployment}" pods (ties broken with seed ${seed}; uncordoned afterwards)`,
  undos: [uncordon],
  inject: async (ctx, a) => cordonNode(ctx, await nodeRunningMost(ctx, a.deployment)),
});
