/**
 * node-taint: "the node running the most X pods is tainted NoExecute" — the taint `kubeproof.dev/chaos`
 * with effect NoExecute on that worker. Kubernetes' taint manager then evicts every pod there that does
 * not tolerate it — in every namespace, as a real NoExecute taint does (CoreDNS or metrics-server may
 * move too; DaemonSet pods tolerate it) — and the scheduler keeps new ones away. Same safety checks as
 * the other node faults (never the control plane, only this kind cluster's Ready workers). The taint's
 * removal is journalled before it is added; it runs in After, on SIGINT and from --janitor.
 */
import type { ClusterClient, JsonPatchOp } from '../cluster/types.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { defineFault } from './fault.ts';
import { checkNodeVictim, nodeRunningMost } from './node-victim.ts';

/** The key of the taint kubeproof adds (and the only one it ever removes). */
export const CHAOS_TAINT_KEY = 'kubeproof.dev/chaos';

interface Taint { key: string; value?: string; effect: string; timeAdded?: string }

/**
 * A JSON patch from `current` taints to `next`, guarded by a `test` of the current list: if the node
 * controller changed the taints meanwhile the API server refuses it, and the caller reads and retries.
 */
export function taintPatch(current: readonly Taint[] | undefined, next: readonly Taint[]): JsonPatchOp[] {
  if (current === undefined) return [{ op: 'add', path: '/spec/taints', value: next }];
  return [{ op: 'test', path: '/spec/taints', value: current }, { op: 'replace', path: '/spec/taints', value: next }];
}

/** Applies `change` to the node's taints, re-reading and retrying when they changed under us; undefined when the node is gone. */
async function editTaints(client: ClusterClient, node: string, change: (taints: readonly Taint[]) => Taint[] | undefined): Promise<'changed' | 'unchanged' | undefined> {
  for (let attempt = 1; ; attempt++) {
    const object = await client.get('Node', node);
    if (!object) return undefined;
    const current = object.spec?.taints as Taint[] | undefined;
    const next = change(current ?? []);
    if (!next) return 'unchanged';
    try {
      await client.patchJson('Node', node, undefined, taintPatch(current, next));
      return 'changed';
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

/** Removes kubeproof's taint again (a gone node or a missing taint counts as done). */
export const untaint = defineUndo<{ name: string }>('node.untaint', async ({ client }, p) => {
  const r = await editTaints(client, str(p, 'name'), (taints) => (taints.some((t) => t.key === CHAOS_TAINT_KEY) ? taints.filter((t) => t.key !== CHAOS_TAINT_KEY) : undefined));
  if (!r) return `node ${p.name} no longer exists`;
  return r === 'changed' ? `taint ${CHAOS_TAINT_KEY} removed from node ${p.name}` : `node ${p.name} had no ${CHAOS_TAINT_KEY} taint`;
});

export const nodeTaint = defineFault<{ deployment: string }, { node: string }>({
  name: 'node-taint',
  describe: (a, seed) => `node-taint: taint ${CHAOS_TAINT_KEY}:NoExecute on the kind node running the most "${a.deployment}" pods (ties broken with seed ${seed}; never the control plane; evicts every pod there that does not tolerate it; removed afterwards)`,
  undos: [untaint],
  async inject(ctx, a) {
    const node = await nodeRunningMost(ctx, a.deployment);
    await checkNodeVictim(ctx, node, 'node-taint');
    untaint.record(ctx.journal, { name: node }, `remove the ${CHAOS_TAINT_KEY} taint from node ${node}`);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'node-taint', target: `node/${node}`, detail: `${CHAOS_TAINT_KEY}:NoExecute` });
    await editTaints(ctx.client, node, (taints) => [...taints.filter((t) => t.key !== CHAOS_TAINT_KEY), { key: CHAOS_TAINT_KEY, value: 'node-taint', effect: 'NoExecute' }]);
    return { fault: 'node-taint', target: `node/${node}`, detail: `tainted ${CHAOS_TAINT_KEY}:NoExecute`, state: { node } };
  },
});
