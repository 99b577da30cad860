/**
 * node-pause: "the node dies". `docker pause` freezes the kind node container (kubelet and every
 * pod on it) without changing its IP, as a hung machine would. The unpause is journalled before the
 * pause; the step returns once Kubernetes has noticed (node NotReady and its pods of the workload no
 * longer Ready), so a following "within T" cannot pass on the state from before the death.
 * Safety: never the control plane, never a second paused node, only containers of this kind cluster.
 */
import { isPodReady, selectsPod } from '../cluster/describe.ts';
import type { NodeContainers } from '../cluster/kind-nodes.ts';
import type { KubeObject } from '../cluster/types.ts';
import { FaultError } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';

/** What the fault needs besides the scenario context. */
export interface NodePauseOptions {
  docker: NodeContainers;
  /** kind cluster name (from the context "kind-<name>"). */
  cluster: string;
  /** Deployment whose pods must be seen as no longer Ready on the node. */
  deployment: string;
  /** How long Kubernetes may take to notice (sized from node-monitor-grace-period). */
  noticeWithinMs: number;
}

function nodeReady(node: KubeObject | undefined): boolean {
  const conditions = (node?.status?.conditions ?? []) as Array<{ type: string; status: string }>;
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Refuses anything but a Ready worker container of this cluster while no other node is paused. */
export async function checkVictim(ctx: FaultContext, node: string, o: NodePauseOptions): Promise<void> {
  const object = await ctx.client.get('Node', node);
  if (!object) throw new FaultError(`cannot kill node "${node}": no such node`);
  if ('node-role.kubernetes.io/control-plane' in (object.metadata?.labels ?? {})) {
    throw new FaultError(`refusing to kill node "${node}": it is the control plane (the API server would go with it)`);
  }
  if (!nodeReady(object)) throw new FaultError(`node "${node}" is not Ready before the fault; wait for it (or run npm run chaos -- --janitor) and retry`);
  const info = await o.docker.inspect(node);
  if (info.status === 'missing') throw new FaultError(`node "${node}" has no docker container of that name: node death needs a kind cluster`);
  if (info.cluster !== o.cluster) throw new FaultError(`container "${node}" belongs to kind cluster "${info.cluster}", not "${o.cluster}"; refusing to pause it`);
  if (info.role === 'control-plane') throw new FaultError(`refusing to kill node "${node}": it is the control plane`);
  if (info.status !== 'running') throw new FaultError(`node container "${node}" is ${info.status}, not running`);
  const paused = await o.docker.paused(o.cluster);
  if (paused.length) throw new FaultError(`node ${paused.join(', ')} is already paused (a killed run?); run npm run chaos -- --janitor first — kubeproof never pauses two nodes`);
}

/** Pauses the container of `node` (journalled first) and waits until Kubernetes sees it dead. */
export async function pauseNode(ctx: FaultContext, node: string, o: NodePauseOptions): Promise<FaultOutcome> {
  await checkVictim(ctx, node, o);
  ctx.journal.record('node.unpause', { name: node }, `unpause node container ${node}`);
  ctx.timeline.record({ kind: 'fault.injected', fault: 'node-pause', target: `node/${node}`, detail: 'docker pause' });
  await o.docker.pause(node);
  const noticedAfterMs = await untilNoticed(ctx, node, o);
  ctx.timeline.record({ kind: 'marker', label: `node ${node} seen NotReady and its "${o.deployment}" pods not Ready, ${(noticedAfterMs / 1000).toFixed(1)}s after the pause` });
  return { fault: 'node-pause', target: `node/${node}`, detail: `paused; NotReady after ${(noticedAfterMs / 1000).toFixed(1)}s` };
}

/** Resolves (with the elapsed ms) once the node is NotReady and no pod of the deployment on it is Ready. */
export function untilNoticed(ctx: FaultContext, node: string, o: NodePauseOptions): Promise<number> {
  const started = Date.now();
  const { nodes, pods, deployments } = ctx.view;
  const readyOnNode = (): string[] => {
    const matchLabels = deployments.get(o.deployment)?.spec?.selector?.matchLabels as Record<string, string> | undefined;
    return pods.list().filter((p) => selectsPod(matchLabels, p) && p.spec?.nodeName === node && !p.metadata?.deletionTimestamp && isPodReady(p)).map((p) => p.metadata?.name ?? '');
  };
  const noticed = (): boolean => !nodeReady(nodes.get(node)) && readyOnNode().length === 0;
  return new Promise((resolve, reject) => {
    const unsubscribe = [nodes, pods].map((s) => s.onChange(() => { if (noticed()) done(); }));
    const timer = setTimeout(() => {
      unsubscribe.forEach((u) => u());
      const state = nodeReady(nodes.get(node)) ? 'Ready' : 'NotReady';
      reject(new FaultError(`paused node ${node}, but after ${o.noticeWithinMs / 1000}s Kubernetes still shows node ${state} with Ready "${o.deployment}" pods [${readyOnNode().join(', ')}]; check kube-controller-manager --node-monitor-grace-period`));
    }, o.noticeWithinMs);
    function done(): void {
      clearTimeout(timer);
      unsubscribe.forEach((u) => u());
      resolve(Date.now() - started);
    }
    if (noticed()) done();
  });
}
