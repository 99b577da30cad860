/**
 * container-freeze: "the containers of one X pod are frozen for T" — every container of one seeded ready
 * pod is frozen through its node's containerd (ctr tasks pause: the cgroup freezer, what docker pause
 * does to a whole node). The processes still exist and their sockets still accept connections, but
 * nothing answers: a hung app. Its liveness probe must catch it (the kubelet then kills and restarts
 * the container); its readiness probe takes it out of its Services meanwhile. Thawing is journalled per
 * container before the freeze and runs when T is over; a container the kubelet replaced counts as done.
 */
import { FaultError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault, plural, requireDeployment, servingPods } from './fault.ts';
import { checkDuration } from './pod-network.ts';

/** The frozen pod and what the checks after the fault need. */
export interface FrozenPod {
  pod: string;
  node: string;
  /** The first container (the one liveness checks usually watch) and its restart count before. */
  container: string;
  restartsBefore: number;
  hasLivenessProbe: boolean;
}

/** Thaws one container (restarted or gone: nothing to do). */
export const thawContainer = defineUndo<{ node: string; namespace: string; pod: string; container: string; id: string }>('container.thaw', async ({ nodes }, p) => {
  const r = await nodes.freezer.thaw(str(p, 'node'), str(p, 'id'));
  return r === 'thawed' ? `container ${p.container} of pod ${p.pod} thawed` : r === 'gone' ? `container ${p.container} of pod ${p.pod} was replaced or is gone` : `container ${p.container} of pod ${p.pod} was not frozen`;
});

export const containerFreeze = defineFault<{ deployment: string; durationMs: number }, FrozenPod>({
  name: 'container-freeze',
  describe: (a, seed) => `container-freeze: every container of one ready pod of deployment "${a.deployment}" frozen for ${formatMs(a.durationMs)} (cgroup freezer through the node's containerd; pod chosen with seed ${seed}; thawed afterwards)`,
  undos: [thawContainer],
  async inject(ctx, a) {
    checkDuration('container-freeze', a.durationMs);
    await ctx.view.ready();
    const deployment = requireDeployment(ctx, a.deployment);
    const [victim] = ctx.rng.pick(servingPods(ctx.view, deployment), 1);
    if (!victim) throw new FaultError(`the system was not healthy before the fault: none of the pods of deployment "${a.deployment}" is Running and Ready`, 'fail');
    const pod = String(victim.metadata?.name);
    const node = String(victim.spec?.nodeName ?? '');
    const statuses = (victim.status?.containerStatuses ?? []) as Array<{ name: string; containerID?: string; restartCount?: number }>;
    const specs = (victim.spec?.containers ?? []) as Array<{ name: string; livenessProbe?: unknown }>;
    const containers = statuses.map((s) => ({ name: s.name, id: /^containerd:\/\/([0-9a-f]+)$/.exec(s.containerID ?? '')?.[1] }));
    const first = specs[0];
    if (!node || !first || containers.some((c) => !c.id)) {
      throw new FaultError(`container-freeze: pod ${pod} reports no containerd container id (${statuses.map((s) => s.containerID ?? 'none').join(', ')}); this fault needs a kind node running containerd`);
    }
    const frozen: FrozenPod = {
      pod, node, container: first.name,
      restartsBefore: Number(statuses.find((s) => s.name === first.name)?.restartCount ?? 0),
      hasLivenessProbe: Boolean(first.livenessProbe),
    };
    ctx.timeline.record({ kind: 'fault.injected', fault: 'container-freeze', target: `pod/${pod}`, detail: `${plural(containers.length, 'container')} frozen on ${node}${frozen.hasLivenessProbe ? '' : ` (container ${first.name} has no livenessProbe)`}` });
    const undoIds: string[] = [];
    for (const c of containers) {
      undoIds.push(thawContainer.record(ctx.journal, { node, namespace: ctx.view.namespace, pod, container: c.name, id: String(c.id) }, `thaw container ${c.name} of pod ${pod}`).id);
      await ctx.nodes.freezer.freeze(node, String(c.id));
    }
    return {
      fault: 'container-freeze', target: `pod/${pod}`,
      detail: `${containers.map((c) => c.name).join(', ')} frozen on ${node} for ${formatMs(a.durationMs)} (restartCount ${frozen.restartsBefore})`,
      state: frozen,
      lift: { afterMs: a.durationMs, undoIds },
    };
  },
});
