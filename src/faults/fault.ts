/** What every fault module gets, and the shape of what it reports. */
import { isPodReady, selectsPod } from '../cluster/describe.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import type { NamespaceView } from '../cluster/view.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import type { Timeline } from '../timeline/timeline.ts';
import type { Rng } from '../util/rng.ts';

/** Dependencies of a fault; the journal gets the undo before the fault acts. */
export interface FaultContext {
  client: ClusterClient;
  view: NamespaceView;
  timeline: Timeline;
  journal: ScopeJournal;
  rng: Rng;
}

/** A fault that cannot be injected (bad target, too few pods); the message says what to fix. */
export class FaultError extends Error {
  override name = 'FaultError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`; // what to fix is in the message; frames add nothing
  }
}

/** What a fault did, for the report. */
export interface FaultOutcome {
  fault: string;
  target: string;
  detail: string;
}

/** Running, Ready, not terminating pods of `deployment`, sorted by name (so a seeded pick is replayable). */
export function runningReadyPods(view: NamespaceView, deployment: KubeObject): KubeObject[] {
  return view.pods.list()
    .filter((p) => selectsPod(deployment.spec?.selector?.matchLabels, p) && !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && isPodReady(p))
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}
