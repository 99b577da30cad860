/**
 * The fault operations of one scenario: inject a registered fault by name, remember what each did
 * (the checks that follow a fault read its state: the dead node, the crashed container), undo one
 * early ("the namespace is reconnected") through the same journalled undo the After hook would run, and
 * lift a fault "for T" when T is over (the same undos again, on a timer).
 */
import { serviceCause } from '../cluster/causes.ts';
import { baselineFromTimeline, checkSteadyState } from '../conditions/steady-state.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { executeUndo } from '../journal/undo.ts';
import type { UndoDeps, UndoTable } from '../journal/undo.ts';
import { formatMs } from '../util/duration.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';
import { injectFault } from './registry.ts';
import type { FaultArgs, FaultName, FaultState } from './registry.ts';

/** Fault steps' entry points. */
export interface FaultOps {
  inject<N extends FaultName>(name: N, args: FaultArgs<N>): Promise<FaultOutcome<FaultState<N>>>;
  /**
   * The state left by the latest of the named faults, or an InputError telling which step must come
   * first (`needed` is that step's text, e.g. 'the node running the most … pods dies').
   */
  last<N extends FaultName>(names: readonly N[], needed: string): FaultState<N>;
  /** The state left by the latest of the named faults, if any was injected. */
  latest<N extends FaultName>(names: readonly N[]): FaultState<N> | undefined;
  /**
   * Runs now the pending undo of kind `kind` matching `params`, which fault `fault` journalled (then the
   * After hook does not repeat it); throws an InputError (`whatIsMissing`) when there is no such undo.
   */
  undoEarly(fault: FaultName, kind: string, params: Record<string, unknown>, whatIsMissing: string): Promise<string>;
  /** Scenario end: cancels the lifts not yet due (the After hook's replay undoes those faults) and waits for any lift under way. */
  settle(): Promise<void>;
}

/**
 * The first fault under a load is injected only into a steady system: when the load's settled seconds so
 * far failed (or its Service has no pod to answer), the scenario FAILS here with that baseline and nothing
 * is injected — a fault proves nothing about a system that was already failing.
 */
async function requireSteadyState(ctx: FaultContext, fault: FaultName): Promise<void> {
  const baseline = baselineFromTimeline(ctx.timeline.events(), ctx.timeline.offsetNow());
  if (!baseline) return;
  const service = /^service\/([^ ]+)/.exec(baseline.target)?.[1];
  const svc = service ? await ctx.client.get('Service', service, ctx.view.namespace) : undefined;
  if (svc) await ctx.view.ready();
  const cause = svc ? serviceCause(svc, ctx.view.pods.list(), ctx.view.events.list()) : undefined;
  const unhealthy = checkSteadyState({ ...baseline, ...(service ? { service } : {}), ...(cause ? { cause, readyEndpoints: 0 } : {}), fault });
  if (unhealthy) throw unhealthy;
}

/** Builds the operations over one scenario's fault context; `undos` is the table replays use. */
export function createFaultOps(ctx: FaultContext, undos: UndoTable, undoDeps: UndoDeps): FaultOps {
  const injected: Array<{ name: FaultName; outcome: FaultOutcome<unknown> }> = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const lifting = new Set<Promise<void>>();

  /** Runs the still-pending undos of a timed fault (last journalled first), each on the timeline. */
  const lift = async (outcome: FaultOutcome<unknown>, undoIds: readonly string[], afterMs: number): Promise<void> => {
    for (const id of [...undoIds].reverse()) {
      const record = ctx.journal.pending().find((r) => r.id === id);
      if (!record) continue;
      const result = await executeUndo(undos, undoDeps, record);
      if (result.ok) ctx.journal.complete(record.id, true);
      ctx.timeline.record({ kind: 'fault.reverted', fault: outcome.fault, target: outcome.target, ok: result.ok, detail: `lifted after ${formatMs(afterMs)}: ${result.message}` });
    }
  };

  return {
    async inject(name, args) {
      await requireSteadyState(ctx, name);
      const outcome = await injectFault(ctx, name, args);
      injected.push({ name, outcome });
      const timed = outcome.lift;
      if (timed) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          const running: Promise<void> = lift(outcome, timed.undoIds, timed.afterMs).finally(() => lifting.delete(running));
          lifting.add(running);
        }, timed.afterMs);
        timers.add(timer);
      }
      return outcome;
    },
    async settle() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...lifting]);
    },
    latest(names) {
      const entry = injected.findLast((e) => (names as readonly string[]).includes(e.name));
      return entry?.outcome.state as never;
    },
    last(names, needed) {
      if (!injected.some((e) => (names as readonly string[]).includes(e.name))) {
        throw new InputError(`this step checks the effect of an earlier fault, but none was injected in this scenario: write "${needed}" first`);
      }
      return this.latest(names) as never;
    },
    async undoEarly(fault, kind, params, whatIsMissing) {
      const record = ctx.journal.pending().find((r) => r.kind === kind && Object.entries(params).every(([k, v]) => r.params[k] === v));
      if (!record) throw new InputError(whatIsMissing);
      const result = await executeUndo(undos, undoDeps, record);
      ctx.timeline.record({ kind: 'fault.reverted', fault, target: String(params.namespace ?? params.name ?? ''), ok: result.ok, detail: result.message });
      if (!result.ok) throw new FaultError(`${result.message} (the undo stays journalled: the After hook and --janitor retry it)`);
      ctx.journal.complete(record.id, true);
      return result.message;
    },
  };
}
