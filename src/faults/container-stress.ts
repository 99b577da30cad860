/**
 * What the stress faults share (cpu-stress, memory-stress): the containers they act on — the first
 * container of every ready pod of a Deployment, or of one seeded pod — and the undo that kills exactly
 * the stress processes of one injection on one node (journalled before they start; they also end by
 * themselves when T is over). See cluster/kind-stress.ts for how the processes join the container.
 */
import { randomBytes } from 'node:crypto';
import { STRESS_MARKER_PREFIX } from '../cluster/kind-stress.ts';
import type { StressSpec } from '../cluster/kind-stress.ts';
import { FaultError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { formatMs } from '../util/duration.ts';
import { plural, requireDeployment, servingPods } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';
import { checkDuration } from './pod-network.ts';

/** One stressed container, and what the checks after the fault need about it. */
export interface StressedContainer {
  pod: string;
  container: string;
  node: string;
  restartsBefore: number;
}

/** What a stress fault leaves for the checks after it. */
export interface StressState {
  containers: StressedContainer[];
  marker: string;
}

/** Kills the stress processes of one injection on one node (gone already: nothing to do). */
export const stopStress = defineUndo<{ node: string; marker: string; pods: string }>('stress.stop', async ({ nodes }, p) => {
  const killed = await nodes.stress.stop(str(p, 'node'), str(p, 'marker'));
  return killed ? `stopped ${killed} stress process${killed === 1 ? '' : 'es'} on node ${p.node} (${p.pods})` : `no stress process left on node ${p.node} (${p.pods})`;
});

/** "the containers of X" or "the containers of one X pod": `one` picks a seeded ready pod. */
export interface StressTarget {
  deployment: string;
  one?: boolean;
  durationMs: number;
}

/** Starts `spec` in the first container of the chosen pods, the stop journalled per node before anything starts there. */
export async function startStress(ctx: FaultContext, fault: string, a: StressTarget, spec: StressSpec, what: string): Promise<FaultOutcome<StressState>> {
  checkDuration(fault, a.durationMs);
  await ctx.view.ready();
  const deployment = requireDeployment(ctx, a.deployment);
  const ready = servingPods(ctx.view, deployment);
  const pods = a.one ? ctx.rng.pick(ready, 1) : ready;
  if (!pods.length) throw new FaultError(`the system was not healthy before the fault: none of the pods of deployment "${a.deployment}" is Running and Ready`, 'fail');
  const marker = `${STRESS_MARKER_PREFIX}${randomBytes(6).toString('hex')}`;
  const containers: StressedContainer[] = [];
  const undoIds: string[] = [];
  const stopped = new Set<string>();
  ctx.timeline.record({ kind: 'fault.injected', fault, target: `deployment/${a.deployment}`, detail: `${what} in ${a.one ? 'one pod' : plural(pods.length, 'pod')}` });
  for (const pod of pods) {
    const name = String(pod.metadata?.name);
    const node = String(pod.spec?.nodeName ?? '');
    const status = (pod.status?.containerStatuses ?? [])[0] as { name?: string; containerID?: string; restartCount?: number } | undefined;
    const id = /^containerd:\/\/([0-9a-f]+)$/.exec(status?.containerID ?? '')?.[1];
    if (!status?.name || !id || !node) throw new FaultError(`${fault}: pod ${name} reports no containerd container id (${status?.containerID ?? 'none'}); this fault needs a kind node running containerd`);
    if (!stopped.has(node)) {
      stopped.add(node);
      undoIds.push(stopStress.record(ctx.journal, { node, marker, pods: pods.filter((p) => p.spec?.nodeName === node).map((p) => p.metadata?.name).join(', ') }, `stop the ${fault} processes (${marker}) on node ${node}`).id);
    }
    const started = await ctx.nodes.stress.start(node, id, spec, Math.ceil(a.durationMs / 1000), marker);
    if (started === 'gone') continue;
    containers.push({ pod: name, container: status.name, node, restartsBefore: Number(status.restartCount ?? 0) });
  }
  if (!containers.length) throw new FaultError(`${fault}: every chosen container stopped before the stress could start in it`);
  return {
    fault,
    target: `deployment/${a.deployment}`,
    detail: `${what} in ${containers.map((c) => `${c.pod}/${c.container}`).join(', ')} for ${formatMs(a.durationMs)}`,
    state: { containers, marker },
    lift: { afterMs: a.durationMs, undoIds },
  };
}
