/**
 * container-crash: one container of one pod of a Deployment dies with SIGKILL (exit 137), as a crashing
 * process would — through the kind node's containerd. The victim pod is chosen by the seeded Rng among
 * Running, Ready pods sorted by name. Nothing to undo: the kubelet restarting it (restartCount + 1,
 * same pod) is what is tested.
 */
import { FaultError } from '../failure/failure.ts';
import { defineFault, requireDeployment, servingPods } from './fault.ts';

/** What the follow-up condition needs: which pod and container, and the restart count before. */
export interface CrashedContainer {
  pod: string;
  container: string;
  restartsBefore: number;
  node: string;
}

export const containerCrash = defineFault<{ deployment: string }, CrashedContainer>({
  name: 'container-crash',
  describe: (a, seed) => `container-crash: SIGKILL to the first container of one ready pod of deployment "${a.deployment}" (pod chosen with seed ${seed}; the kubelet restarts it)`,
  async inject(ctx, a) {
    await ctx.view.ready();
    const deployment = requireDeployment(ctx, a.deployment);
    const [victim] = ctx.rng.pick(servingPods(ctx.view, deployment), 1);
    if (!victim) throw new FaultError(`the system was not healthy before the fault: none of the pods of deployment "${a.deployment}" is Running and Ready`, 'fail');
    const status = (victim.status?.containerStatuses ?? [])[0] as { name?: string; containerID?: string; restartCount?: number } | undefined;
    const id = /^containerd:\/\/([0-9a-f]+)$/.exec(status?.containerID ?? '')?.[1];
    const node = String(victim.spec?.nodeName ?? '');
    if (!status?.name || !id || !node) {
      throw new FaultError(`container-crash: pod ${victim.metadata?.name} reports no containerd container id (${status?.containerID ?? 'none'}); this fault needs a kind node running containerd`);
    }
    const crashed: CrashedContainer = { pod: victim.metadata?.name ?? '', container: status.name, restartsBefore: Number(status.restartCount ?? 0), node };
    ctx.timeline.record({ kind: 'fault.injected', fault: 'container-crash', target: `pod/${crashed.pod}`, detail: `SIGKILL to container ${crashed.container} on ${node} (restartCount ${crashed.restartsBefore})` });
    await ctx.nodes.killContainer(node, id);
    return { fault: 'container-crash', target: `pod/${crashed.pod}`, detail: `killed container ${crashed.container} (restartCount was ${crashed.restartsBefore})`, state: crashed };
  },
});
