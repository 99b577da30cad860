/**
 * pods-one-by-one: deletes every pod of a Deployment or StatefulSet, one after the other, each with its
 * own grace period (SIGTERM, then SIGKILL after terminationGracePeriodSeconds) — what a node drain or a
 * cluster upgrade does to a workload. The next pod goes only once the previous one is gone and the
 * workload has its replicas serving again, so a failure under load is the shutdown's, not a capacity gap.
 * Nothing to undo: the controller replaces every pod. The state keeps how long each pod took to stop.
 */
import { isPodLive, isPodServing, podsSelectedBy } from '../cluster/predicates.ts';
import type { KubeObject } from '../cluster/types.ts';
import { waitUntil } from '../conditions/wait.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { defineFault, plural } from './fault.ts';

/** Time one pod may take to stop and be replaced by a serving one. */
export const ONE_POD_BUDGET_MS = 60_000;

/** One deleted pod: how long it took to disappear, and the grace period it had. */
export interface StoppedPod {
  pod: string;
  goneAfterMs: number;
  graceS: number;
}

export const podsOneByOne = defineFault<{ kind: 'deployment' | 'statefulset'; name: string }, { workload: string; stopped: StoppedPod[] }>({
  name: 'pods-one-by-one',
  describe: (a) => `pods-one-by-one: every pod of ${a.kind} "${a.name}", one at a time (graceful delete; the next once the previous is gone and all replicas serve again)`,
  async inject(ctx, a) {
    if (a.kind !== 'deployment' && a.kind !== 'statefulset') throw new InputError(`pods of a ${a.kind} cannot be deleted one by one here: name a deployment or a statefulset`);
    await ctx.view.ready();
    const ns = ctx.view.namespace;
    const workload: KubeObject | undefined = a.kind === 'deployment' ? ctx.view.deployments.get(a.name) : await ctx.client.get('StatefulSet', a.name, ns);
    if (!workload) throw new InputError(`no ${a.kind} "${a.name}" in namespace ${ns}`);
    const wanted = Number(workload.spec?.replicas ?? 1);
    const serving = (): KubeObject[] => podsSelectedBy(workload, ctx.view.pods.list()).filter(isPodServing);
    const victims = serving();
    if (victims.length < wanted) throw new FaultError(`the system was not healthy before the fault: ${a.kind} "${a.name}" has ${victims.length} of ${wanted} pods serving`, 'fail');
    const stopped: StoppedPod[] = [];
    for (const victim of victims) {
      const name = victim.metadata?.name ?? '';
      const uid = victim.metadata?.uid;
      const graceS = Number(victim.spec?.terminationGracePeriodSeconds ?? 30);
      ctx.timeline.record({ kind: 'fault.injected', fault: 'pods-one-by-one', target: `pod/${name}`, detail: `graceful delete (grace ${graceS}s), ${stopped.length + 1} of ${victims.length}` });
      const started = Date.now();
      await ctx.client.delete('Pod', name, ns);
      let goneAfterMs: number | undefined;
      const back = await waitUntil([ctx.view.pods], () => {
        const still = ctx.view.pods.list().some((p) => p.metadata?.uid === uid);
        if (!still && goneAfterMs === undefined) goneAfterMs = Date.now() - started;
        const live = serving().filter((p) => p.metadata?.uid !== uid && isPodLive(p));
        return !still && live.length >= wanted ? true : undefined;
      }, { timeoutMs: ONE_POD_BUDGET_MS, signal: ctx.engine.signal });
      if (!back.met) {
        throw new FaultError(`after deleting pod ${name}, ${a.kind} "${a.name}" did not have ${plural(wanted, 'serving pod')} again with ${name} gone within ${ONE_POD_BUDGET_MS / 1000}s (${serving().length} serving${goneAfterMs === undefined ? `, ${name} still terminating` : ''}); stopped there`, 'fail');
      }
      stopped.push({ pod: name, goneAfterMs: goneAfterMs ?? Date.now() - started, graceS });
      ctx.timeline.record({ kind: 'marker', label: `pod ${name} gone ${((goneAfterMs ?? 0) / 1000).toFixed(1)}s after its deletion (grace ${graceS}s); ${wanted} serving again` });
    }
    return { fault: 'pods-one-by-one', target: `${a.kind}/${a.name}`, detail: `deleted ${stopped.map((s) => `${s.pod} (gone after ${(s.goneAfterMs / 1000).toFixed(1)}s)`).join(', ')}`, state: { workload: a.name, stopped } };
  },
});
