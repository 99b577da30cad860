/**
 * container-crash: one container of one pod of a Deployment dies with SIGKILL (exit 137), as a
 * crashing process would. The victim pod is chosen by the seeded Rng among Running, Ready pods sorted
 * by name. Nothing to undo: the kubelet restarting it (restartCount + 1, same pod) is what is tested.
 */
import type { ContainerKiller } from '../cluster/kind-containers.ts';
import { FaultError, runningReadyPods } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';

/** What the follow-up condition needs: which pod and container, and the restart count before. */
export interface CrashedContainer {
  pod: string;
  container: string;
  restartsBefore: number;
  node: string;
}

/** Crashes the first container of one seeded-chosen ready pod of deployment `name`. */
export async function crashContainer(ctx: FaultContext, name: string, kill: ContainerKiller): Promise<FaultOutcome & { crashed: CrashedContainer }> {
  await ctx.view.ready();
  const deployment = ctx.view.deployments.get(name);
  if (!deployment) throw new FaultError(`cannot crash a container of deployment "${name}": it does not exist in namespace ${ctx.view.namespace}`);
  const [victim] = ctx.rng.pick(runningReadyPods(ctx.view, deployment), 1);
  if (!victim) throw new FaultError(`cannot crash a container of deployment "${name}": none of its pods is Running and Ready (need the deployment ready first)`);
  const status = (victim.status?.containerStatuses ?? [])[0] as { name?: string; containerID?: string; restartCount?: number } | undefined;
  const id = /^containerd:\/\/([0-9a-f]+)$/.exec(status?.containerID ?? '')?.[1];
  const node = String(victim.spec?.nodeName ?? '');
  if (!status?.name || !id || !node) {
    throw new FaultError(`pod ${victim.metadata?.name} reports no containerd container id (${status?.containerID ?? 'none'}): container crash needs a kind node running containerd`);
  }
  const crashed: CrashedContainer = { pod: victim.metadata?.name ?? '', container: status.name, restartsBefore: Number(status.restartCount ?? 0), node };
  ctx.timeline.record({ kind: 'fault.injected', fault: 'container-crash', target: `pod/${crashed.pod}`, detail: `SIGKILL to container ${crashed.container} on ${node} (restartCount ${crashed.restartsBefore})` });
  await kill(node, id);
  return { fault: 'container-crash', target: `pod/${crashed.pod}`, detail: `killed container ${crashed.container} (restartCount was ${crashed.restartsBefore})`, crashed };
}
