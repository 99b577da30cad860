/** One table of budgets (ms) per operation kind, and the step caps cucumber's timeouts are set from. */
export const BUDGETS = {
  /** Creating the scenario namespace and starting watches. */
  setup: 60_000,
  /** Applying one manifest folder. */
  apply: 120_000,
  /** Injecting one fault (including seeing it take effect). */
  fault: 60_000,
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
