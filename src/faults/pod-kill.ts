/**
 * pod-kill: deletes N pods of a Deployment with grace period 0 (SIGKILL, like a crash). Victims are
 * chosen by the scenario's seeded Rng among the Deployment's running pods sorted by name. Nothing to
 * undo: the ReplicaSet replacing them is the behaviour under test.
 */
import { selectsPod } from '../cluster/describe.ts';
import type { KubeObject } from '../cluster/types.ts';
import { FaultError } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';

/** How long to wait for the watch to show the victims terminating before declaring the kill done. */
const OBSERVE_KILL_MS = 15_000;

/** Kills `count` pods of deployment `name` in the scenario namespace. */
export async function killPods(ctx: FaultContext, name: string, count: number): Promise<FaultOutcome> {
  await ctx.view.ready();
  const deployment = ctx.view.deployments.get(name);
  if (!deployment) throw new FaultError(`cannot kill pods of deployment "${name}": it does not exist in namespace ${ctx.view.namespace}`);
  const matchLabels = deployment.spec?.selector?.matchLabels as Record<string, string> | undefined;
  const candidates = ctx.view.pods.list()
    .filter((p) => selectsPod(matchLabels, p) && !p.metadata?.deletionTimestamp && p.status?.phase === 'Running')
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  if (candidates.length < count) {
    throw new FaultError(`cannot kill ${count} pod${count === 1 ? '' : 's'} of deployment "${name}": only ${candidates.length} running (need the deployment ready first)`);
  }
  const victims = ctx.rng.pick(candidates, count);
  const names = victims.map((v) => v.metadata?.name ?? '');
  ctx.timeline.record({ kind: 'fault.injected', fault: 'pod-kill', target: `deployment/${name}`, detail: `killed ${names.join(', ')} (grace 0s)` });
  const gone = waitUntilGone(ctx, names);
  for (const victim of names) await ctx.client.delete('Pod', victim, ctx.view.namespace, { gracePeriodSeconds: 0 });
  await gone;
  return { fault: 'pod-kill', target: `deployment/${name}`, detail: `killed ${names.join(', ')}` };
}

/**
 * Kills `percent` % of deployment `name`'s desired replicas, rounded up (so 1 % still kills one pod:
 * a chaos step that kills nothing would test nothing).
 */
export async function killPercent(ctx: FaultContext, name: string, percent: number): Promise<FaultOutcome> {
  if (!(percent > 0 && percent <= 100)) throw new FaultError(`cannot kill ${percent}% of the pods of deployment "${name}": give a percentage from 1 to 100`);
  await ctx.view.ready();
  const desired = Number(ctx.view.deployments.get(name)?.spec?.replicas ?? 0);
  return killPods(ctx, name, Math.max(1, Math.ceil((desired * percent) / 100)));
}

/** Resolves when the pod watch shows every victim terminating or deleted (the kill is effective). */
function waitUntilGone(ctx: FaultContext, names: string[]): Promise<void> {
  const isGone = (p: KubeObject | undefined): boolean => !p || Boolean(p.metadata?.deletionTimestamp);
  return new Promise((resolve, reject) => {
    const check = (): boolean => names.every((n) => isGone(ctx.view.pods.get(n)));
    const unsubscribe = ctx.view.pods.onChange(() => { if (check()) { clearTimeout(timer); unsubscribe(); resolve(); } });
    const timer = setTimeout(() => { unsubscribe(); reject(new FaultError(`killed pods ${names.join(', ')} but the API still showed them alive after ${OBSERVE_KILL_MS / 1000}s`)); }, OBSERVE_KILL_MS);
    if (check()) { clearTimeout(timer); unsubscribe(); resolve(); }
  });
}
