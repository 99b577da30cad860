/** One table of budgets (ms) per operation kind, and every step cap cucumber's timeouts are set from. */
export const BUDGETS = {
  /** Creating the scenario namespace and starting watches. */
  setup: 60_000,
  /** Applying one manifest folder. */
  apply: 120_000,
  /** Injecting one fault (including seeing it take effect). */
  fault: 60_000,
  /** A drain, evictions refused by PodDisruptionBudgets included. */
  drain: 90_000,
  /** One batch of reachability probe pods (they start in ~2 s; each probe retries for 6 s at most). */
  probeBatch: 60_000,
  /** The least time a retried probe gets, even late in the batch's budget (~2 s to start, 8 s to time out). */
  probeRetry: 20_000,
  /** After hook: evidence, timeline, undos. */
  cleanup: 180_000,
  /** One undo. */
  undo: 30_000,
} as const;

/** Cucumber timeout of steps that wait ("within T", "for T"); a wait's own deadline stays 5 s shorter. */
export const CONDITION_STEP_CAP_MS = 600_000;
/** Cucumber timeout of apply steps. */
export const APPLY_STEP_CAP_MS = BUDGETS.apply + 10_000;
/** Cucumber timeout of fault steps. */
export const FAULT_STEP_CAP_MS = BUDGETS.fault + 10_000;
/** Cucumber timeout of the drain steps: the budget plus room for our own failure message. */
export const DRAIN_STEP_CAP_MS = BUDGETS.drain + 10_000;
/** Cucumber timeout of probe-pod steps: the batch budget, one retry of a lost probe, and time to list policies for the message. */
export const ISOLATION_STEP_CAP_MS = BUDGETS.probeBatch + BUDGETS.probeRetry + 30_000;
