/**
 * Choosing and guarding a node victim, shared by every node fault (cordon, drain, pause, kubelet stop):
 * the node running the most pods of a workload (ties broken by the seeded Rng, spared nodes excluded),
 * the safety checks before a node is taken down, and the wait until Kubernetes has noticed the loss.
 * Messages name the fault that acted, never a generic "paused node".
 */
import { kindClusterName } from '../cluster/kind.ts';
import { evictionAfterS, readNodeLossTimings } from '../cluster/node-timings.ts';
import { isControlPlane, isNodeReady, isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
import { waitUntil } from '../conditions/wait.ts';
import { BUDGETS } from '../config/defaults.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { requireDeployment } from './fault.ts';
import type { FaultContext } from './fault.ts';

/** Nodes running a live pod of the Deployment or StatefulSet `name` (the workload a scenario must spare). */
export async function nodesRunning(ctx: FaultContext, name: string): Promise<Set<string>> {
  const ns = ctx.view.namespace;
  const owner = (await ctx.client.get('Deployment', name, ns)) ?? (await ctx.client.get('StatefulSet', name, ns));
  if (!owner) throw new InputError(`no Deployment or StatefulSet "${name}" in namespace ${ns} to spare`);
  await ctx.view.ready();
  return new Set(podsSelectedBy(owner, ctx.view.pods.list()).filter((p) => isPodLive(p) && p.spec?.nodeName).map((p) => String(p.spec?.nodeName)));
}

/**
 * The node running the most live pods of workload `name` (a Deployment, else a DaemonSet or
 * StatefulSet of that name); ties are broken by the seeded Rng.
 * Nodes in `exclude` are never chosen (e.g. the node of a database the scenario must not lose).
 */
export async function nodeRunningMost(ctx: FaultContext, name: string, exclude: ReadonlySet<string> = new Set()): Promise<string> {
  await ctx.view.ready();
  // A DaemonSet or StatefulSet names a node too (a DaemonSet's tie over every node is broken by the seed).
  const ns = ctx.view.namespace;
  const deployment = ctx.view.deployments.get(name) ?? (await ctx.client.get('DaemonSet', name, ns)) ?? (await ctx.client.get('StatefulSet', name, ns)) ?? requireDeployment(ctx, name);
  const counts = new Map<string, number>();
  for (const pod of podsSelectedBy(deployment, ctx.view.pods.list())) {
    const node = pod.spec?.nodeName as string | undefined;
    if (!node || !isPodLive(pod) || exclude.has(node)) continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  const max = Math.max(0, ...counts.values());
  const top = [...counts].filter(([, c]) => c === max).map(([n]) => n).sort();
  const [chosen] = ctx.rng.pick(top, 1);
  if (!chosen) {
    const spared = exclude.size ? ` outside the spared node(s) ${[...exclude].sort().join(', ')}` : '';
    throw new FaultError(`the system was not healthy before the fault: deployment "${name}" has no scheduled pod${spared}, so no node runs it`, 'fail');
  }
  return chosen;
}

/** The kind cluster behind the scenario's context, or why node faults cannot run here. */
export function kindCluster(ctx: FaultContext, fault: string): string {
  const cluster = kindClusterName(ctx.client.contextName);
  if (!cluster) throw new FaultError(`${fault} acts on kind node containers, but context "${ctx.client.contextName}" is not a kind cluster`);
  return cluster;
}

/** Refuses anything but a Ready worker container of this kind cluster while no node is paused. */
export async function checkNodeVictim(ctx: FaultContext, node: string, fault: string): Promise<void> {
  const cluster = kindCluster(ctx, fault);
  const object = await ctx.client.get('Node', node);
  if (!object) throw new FaultError(`${fault}: no node "${node}"`);
  if (isControlPlane(object)) throw new FaultError(`${fault}: refusing node "${node}": it is the control plane (the API server would go with it)`);
  if (!isNodeReady(object)) throw new FaultError(`${fault}: node "${node}" is not Ready before the fault; wait for it (or run npm run chaos -- --janitor) and retry`);
  const info = await ctx.nodes.containers.inspect(node);
  if (info.status === 'missing') throw new FaultError(`${fault}: node "${node}" has no docker container of that name (node faults need a kind cluster)`);
  if (info.cluster !== cluster) throw new FaultError(`${fault}: container "${node}" belongs to kind cluster "${info.cluster}", not "${cluster}"; refusing to touch it`);
  if (info.role === 'control-plane') throw new FaultError(`${fault}: refusing node "${node}": it is the control plane`);
  if (info.status !== 'running') throw new FaultError(`${fault}: node container "${node}" is ${info.status}, not running`);
  const paused = await ctx.nodes.containers.paused(cluster);
  if (paused.length) throw new FaultError(`${fault}: node ${paused.join(', ')} is already paused (a killed run?); run npm run chaos -- --janitor first — kubeproof never takes down two nodes`);
}

/** Margin over --node-monitor-grace-period for the controller to mark the node and its pods. */
const NOTICE_MARGIN_MS = 20_000;

/** How long Kubernetes may take to notice a lost node here (from the control plane's own flags), recorded on the timeline. */
export async function noticeBudgetMs(ctx: FaultContext): Promise<number> {
  const timings = await readNodeLossTimings(ctx.client);
  ctx.timeline.record({ kind: 'marker', label: `node loss timings: grace ${timings.gracePeriodS}s, unreachable toleration ${timings.unreachableTolerationS}s → pods evicted ~${evictionAfterS(timings)}s after death (${timings.source})` });
  return Math.min(timings.gracePeriodS * 1000 + NOTICE_MARGIN_MS, BUDGETS.fault);
}

/**
 * Resolves (with the elapsed ms) once node `node` is NotReady and no pod of `deployment` on it is Ready:
 * the fault has taken effect, so a following "within T" cannot pass on the state from before it.
 * `fault` and `action` ("docker pause", "systemctl stop kubelet") make the messages say what was done.
 */
export async function untilNodeLossNoticed(ctx: FaultContext, node: string, deployment: string, fault: string, action: string, withinMs: number): Promise<number> {
  const started = Date.now();
  const { nodes, pods, deployments } = ctx.view;
  const readyOnNode = (): string[] => podsSelectedBy(deployments.get(deployment), pods.list())
    .filter((p) => p.spec?.nodeName === node && isPodLive(p) && isPodReady(p)).map((p) => p.metadata?.name ?? '');
  const noticed = await waitUntil([nodes, pods], () => (!isNodeReady(nodes.get(node)) && readyOnNode().length === 0 ? true : undefined), { timeoutMs: withinMs, signal: ctx.engine.signal });
  if (!noticed.met) {
    const state = isNodeReady(nodes.get(node)) ? 'Ready' : 'NotReady';
    throw new FaultError(`${fault}: ${action} on node ${node} done, but after ${withinMs / 1000}s Kubernetes still shows the node ${state} with Ready "${deployment}" pods [${readyOnNode().join(', ')}]; check kube-controller-manager --node-monitor-grace-period`);
  }
  const ms = Date.now() - started;
  ctx.timeline.record({ kind: 'marker', label: `node ${node} seen NotReady and its "${deployment}" pods not Ready, ${(ms / 1000).toFixed(1)}s after the ${fault} (${action})` });
  return ms;
}
