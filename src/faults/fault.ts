/**
 * What a fault is: one module under src/faults/ exporting `defineFault({ name, describe, inject, undos })`.
 * `describe` says, for --dry-run, what it would hit; `inject` journals its undo before it acts, records
 * `fault.injected` on the timeline at the moment it acts, and returns what it did. src/registry.ts lists
 * the modules; steps reach them by name through the scenario's fault operations.
 */
import type { NodeAccess } from '../cluster/kind-access.ts';
import { isPodServing, podsSelectedBy } from '../cluster/predicates.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import type { NamespaceView } from '../cluster/view.ts';
import type { EngineContext } from '../conditions/engine.ts';
import { InputError } from '../failure/failure.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import type { UndoDefinition } from '../journal/undo.ts';
import type { Timeline } from '../timeline/timeline.ts';
import type { Rng } from '../util/rng.ts';

export { FaultError } from '../failure/failure.ts';

/** The namespaces a scenario owns: its own, and extra ones created under an alias. */
export interface OwnedNamespaces {
  readonly main: string;
  /** Real name of an alias ("partner"); undefined → the scenario's own namespace. Throws InputError for an unknown alias. */
  resolve(alias: string | undefined): string;
}

/** What every fault gets. */
export interface FaultContext {
  client: ClusterClient;
  view: NamespaceView;
  timeline: Timeline;
  journal: ScopeJournal;
  rng: Rng;
  nodes: NodeAccess;
  engine: EngineContext;
  namespaces: OwnedNamespaces;
}

/** What a fault did: for the report (`detail`) and for the checks that follow it (`state`). */
export interface FaultOutcome<S = unknown> {
  fault: string;
  target: string;
  detail: string;
  state: S;
  /**
   * A fault "for T" lifts itself: its journalled undos (these ids) run after `afterMs`, or in the After
   * hook (SIGINT, --janitor) if the scenario ends first. Steps after it run while it is in effect.
   */
  lift?: { afterMs: number; undoIds: readonly string[] };
}

/** One fault. `A` is what its steps give it (JSON-like), `S` what its follow-up checks need. */
export interface Fault<A, S = undefined> {
  readonly name: string;
  /** One line for --dry-run: what would be hit, how victims are chosen, what is undone afterwards. */
  describe(args: A, seed: number): string;
  inject(ctx: FaultContext, args: A): Promise<FaultOutcome<S>>;
  /** Undo kinds this fault journals (gathered into the one undo table). */
  readonly undos?: ReadonlyArray<UndoDefinition<never>>;
}

/** Declares a fault (identity function: it only fixes the types). */
export function defineFault<A, S = undefined>(fault: Fault<A, S>): Fault<A, S> {
  return fault;
}

/** The Deployment `name` of the scenario namespace, or an InputError naming what exists instead. */
export function requireDeployment(ctx: Pick<FaultContext, 'view'>, name: string): KubeObject {
  const deployment = ctx.view.deployments.get(name);
  if (deployment) return deployment;
  const others = ctx.view.deployments.list().map((d) => d.metadata?.name).sort().join(', ');
  throw new InputError(`no deployment "${name}" in namespace ${ctx.view.namespace}${others ? ` (it has: ${others})` : ' (it has none)'}`);
}

/** Running, Ready, not terminating pods of `deployment`, sorted by name (so a seeded pick is replayable). */
export function servingPods(view: NamespaceView, deployment: KubeObject): KubeObject[] {
  return podsSelectedBy(deployment, view.pods.list()).filter(isPodServing);
}

/** "1 pod" / "3 pods". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
