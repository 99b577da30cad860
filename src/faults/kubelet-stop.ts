/**
 * kubelet-stop: `systemctl stop kubelet` on a kind node. The node stops heart-beating and goes
 * NotReady, but its containers keep running (a partial failure: the pods still answer, Kubernetes no
 * longer knows). Same safety checks as node-pause; `systemctl start kubelet` is journalled first.
 */
import type { KubeletControl } from '../cluster/kind-kubelet.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';
import { checkVictim, untilNoticed } from './node-pause.ts';
import type { NodePauseOptions } from './node-pause.ts';

/** Stops the kubelet of `node` and waits until Kubernetes sees the node and its pods not Ready. */
export async function stopKubelet(ctx: FaultContext, node: string, o: NodePauseOptions & { kubelet: KubeletControl }): Promise<FaultOutcome> {
  await checkVictim(ctx, node, o);
  ctx.journal.record('node.start-kubelet', { name: node }, `start the kubelet on node ${node}`);
  ctx.timeline.record({ kind: 'fault.injected', fault: 'kubelet-stop', target: `node/${node}`, detail: 'systemctl stop kubelet' });
  await o.kubelet.stop(node);
  const noticedAfterMs = await untilNoticed(ctx, node, o);
  ctx.timeline.record({ kind: 'marker', label: `node ${node} seen NotReady and its "${o.deployment}" pods not Ready, ${(noticedAfterMs / 1000).toFixed(1)}s after the kubelet stopped` });
  return { fault: 'kubelet-stop', target: `node/${node}`, detail: `kubelet stopped; NotReady after ${(noticedAfterMs / 1000).toFixed(1)}s` };
}
