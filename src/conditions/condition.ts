/** A condition: what we watch, what we expect, and how to read the current state. */
import type { ObjectStore } from '../cluster/types.ts';

/** The state seen at one evaluation. `received` is what the failure message prints. */
export interface Observation {
  ok: boolean;
  received: string;
  /** The likeliest cause of a bad state, in the cluster's own words (scheduler, kubelet, HPA), one line. */
  cause?: string;
  /**
   * Set when the state is final: the condition can no longer become true however long one waits (an
   * image no node has and none can pull, a spec that asks for fewer replicas with nothing to raise them).
   * `eventually` then fails at once with this reason instead of waiting out its budget.
   */
  final?: string;
}

/** An assertion over watched objects, evaluated on every change of its stores. */
export interface Condition {
  /** Object reference, e.g. "apps/v1/Deployment kp-3f2a/api". */
  subject: string;
  /** Matcher shown in the header, e.g. "toHaveReadyReplicas(3)". */
  matcher: string;
  /** Plain-words expectation, e.g. "exactly 3 ready replicas". */
  expectation: string;
  /** Stores whose changes can change the verdict. */
  stores: readonly ObjectStore[];
  observe(): Observation;
  /** What to look at when it fails (ours, not the cluster's), if the condition knows better than the step. */
  hint?: string;
  /**
   * The objects the failure is about, as the timeline names them ("pod/api-7c9-x", "deployment/api"):
   * their warning events lead the failure's timeline excerpt.
   */
  about?(): readonly string[];
}
