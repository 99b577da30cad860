/**
 * kubelet-stop: `systemctl stop kubelet` on the kind node running the most pods of a Deployment. The
 * node stops heart-beating and goes NotReady, but its containers keep running (a partial failure: the
 * pods still answer, Kubernetes no longer knows). Same safety checks as node-pause; `systemctl start
 * kubelet` is journalled first.
 */
import { startKubelet } from '../cluster/kind-kubelet.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { defineFault } from './fault.ts';
import { checkNodeVictim, nodeRunningMost, noticeBudgetMs, untilNodeLossNoticed } from './node-victim.ts';

/** Starts a stopped kubelet again and waits (bounded) until its node is Ready. */
export const startKubeletAgain = defineUndo<{ name: string }>('node.start-kubelet', ({ client, nodes }, p) => startKubelet(client, nodes.kubelet, str(p, 'name')));

export const kubeletStop = defineFault<{ deployment: string }, { node: string }>({
  name: 'kubelet-stop',
  describe: (a, seed) => `kubelet-stop: systemctl stop kubelet on the kind node running the most "${a.deployment}" pods (ties broken with seed ${seed}; never the control plane; started again afterwards)`,
  undos: [startKubeletAgain],
  async inject(ctx, a) {
    const node = await nodeRunningMost(ctx, a.deployment);
    const within = await noticeBudgetMs(ctx);
    await checkNodeVictim(ctx, node, 'kubelet-stop');
    startKubeletAgain.record(ctx.journal, { name: node }, `start the kubelet on node ${node}`);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'kubelet-stop', target: `node/${node}`, detail: 'systemctl stop kubelet' });
    await ctx.nodes.kubelet.stop(node);
    const ms = await untilNodeLossNoticed(ctx, node, a.deployment, 'kubelet-stop', 'systemctl stop kubelet', within);
    return { fault: 'kubelet-stop', target: `node/${node}`, detail: `kubelet stopped; NotReady after ${(ms / 1000).toFixed(1)}s`, state: { node } };
  },
});
