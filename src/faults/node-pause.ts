/**
 * node-pause: "the node dies". `docker pause` freezes the kind node container (kubelet and every pod
 * on it) without changing its IP, as a hung machine would. The unpause is journalled before the pause;
 * the step returns once Kubernetes has noticed (node NotReady and its pods of the workload no longer
 * Ready). Safety: never the control plane, never a second node, only containers of this kind cluster.
 */
import { unpauseNode } from '../cluster/kind-nodes.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { defineFault } from './fault.ts';
import { checkNodeVictim, nodeRunningMost, nodesRunning, noticeBudgetMs, untilNodeLossNoticed } from './node-victim.ts';

/** Unpauses a node container and waits (bounded) until the node is Ready again. */
export const unpause = defineUndo<{ name: string }>('node.unpause', ({ client, nodes }, p) => unpauseNode(client, nodes.containers, str(p, 'name')));

/** `spare`: a Deployment or StatefulSet whose nodes are never chosen (the scenario's database). */
export const nodePause = defineFault<{ deployment: string; spare?: string }, { node: string }>({
  name: 'node-pause',
  describe: (a, seed) => `node-pause: docker pause of the kind node running the most "${a.deployment}" pods${a.spare ? ` among those running no "${a.spare}" pod` : ''} (ties broken with seed ${seed}; never the control plane; unpaused afterwards)`,
  undos: [unpause],
  async inject(ctx, a) {
    const spared = a.spare ? await nodesRunning(ctx, a.spare) : new Set<string>();
    if (a.spare) ctx.timeline.record({ kind: 'marker', label: `sparing node(s) running "${a.spare}": ${[...spared].sort().join(', ') || 'none'}` });
    const node = await nodeRunningMost(ctx, a.deployment, spared);
    const within = await noticeBudgetMs(ctx);
    await checkNodeVictim(ctx, node, 'node-pause');
    unpause.record(ctx.journal, { name: node }, `unpause node container ${node}`);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'node-pause', target: `node/${node}`, detail: 'docker pause' });
    await ctx.nodes.containers.pause(node);
    const ms = await untilNodeLossNoticed(ctx, node, a.deployment, 'node-pause', 'docker pause', within);
    return { fault: 'node-pause', target: `node/${node}`, detail: `paused; NotReady after ${(ms / 1000).toFixed(1)}s`, state: { node } };
  },
});
