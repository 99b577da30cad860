/**
 * pod-kill: deletes N pods of a Deployment — or P % of its desired replicas, rounded up — with grace
 * period 0 (SIGKILL, like a crash). Victims are chosen by the scenario's seeded Rng among its running
 * pods sorted by name. Nothing to undo: the ReplicaSet replacing them is the behaviour under test.
 */
import { isPodLive, podsSelectedBy } from '../cluster/predicates.ts';
import { waitUntil } from '../conditions/wait.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { defineFault, plural, requireDeployment } from './fault.ts';

/** How long to wait for the watch to show the victims terminating before declaring the kill done. */
const OBSERVE_KILL_MS = 15_000;

/** Either a count or a percentage of the desired replicas. */
export type PodKillArgs = { deployment: string; count: number } | { deployment: string; percent: number };

export const podKill = defineFault<PodKillArgs, { victims: string[] }>({
  name: 'pod-kill',
  describe: (a, seed) => `pod-kill: ${'percent' in a ? `${a.percent}% of the replicas` : plural(a.count, 'pod')} of deployment "${a.deployment}"${'percent' in a ? ', rounded up' : ''} (victims chosen with seed ${seed})`,
  async inject(ctx, a) {
    await ctx.view.ready();
    const deployment = requireDeployment(ctx, a.deployment);
    let count: number;
    if ('percent' in a) {
      if (!(a.percent > 0 && a.percent <= 100)) throw new InputError(`cannot kill ${a.percent}% of the pods of deployment "${a.deployment}": give a percentage from 1 to 100`);
      // 1 % still kills one pod: a chaos step that kills nothing would test nothing.
      count = Math.max(1, Math.ceil((Number(deployment.spec?.replicas ?? 0) * a.percent) / 100));
    } else {
      count = a.count;
      if (!Number.isInteger(count) || count < 1) throw new InputError(`cannot kill ${count} pods: give a whole number of at least 1`);
    }
    const candidates = podsSelectedBy(deployment, ctx.view.pods.list()).filter((p) => isPodLive(p) && p.status?.phase === 'Running');
    if (candidates.length < count) {
      throw new FaultError(`the system was not healthy before the fault: cannot kill ${plural(count, 'pod')} of deployment "${a.deployment}", only ${candidates.length} running (wait for the deployment to be ready first)`, 'fail');
    }
    const victims = ctx.rng.pick(candidates, count).map((v) => v.metadata?.name ?? '');
    ctx.timeline.record({ kind: 'fault.injected', fault: 'pod-kill', target: `deployment/${a.deployment}`, detail: `killed ${victims.join(', ')} (grace 0s)` });
    for (const victim of victims) await ctx.client.delete('Pod', victim, ctx.view.namespace, { gracePeriodSeconds: 0 });
    // Effective once the watch shows every victim terminating or gone, so a following "within" starts from the loss.
    const gone = await waitUntil([ctx.view.pods], () => (victims.every((n) => !isPodLive(ctx.view.pods.get(n))) ? true : undefined), { timeoutMs: OBSERVE_KILL_MS, signal: ctx.engine.signal });
    if (!gone.met) throw new FaultError(`killed pods ${victims.join(', ')} but the API still showed them alive after ${OBSERVE_KILL_MS / 1000}s`);
    return { fault: 'pod-kill', target: `deployment/${a.deployment}`, detail: `killed ${victims.join(', ')}`, state: { victims } };
  },
});
