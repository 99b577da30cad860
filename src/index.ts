/** The only module steps/ import: the scenario facade, parsers, budgets and the verdict helpers. */
export { startScenario } from './scenario.ts';
export type { AttachFn, RunParameters, ScenarioContext, ScenarioIdentity } from './scenario.ts';
export { parseDuration, formatMs } from './util/duration.ts';
export { APPLY_STEP_CAP_MS, BUDGETS, CONDITION_STEP_CAP_MS, FAULT_STEP_CAP_MS } from './config/defaults.ts';
export { inconclusiveReason } from './capabilities.ts';
export { ISOLATION_STEP_CAP_MS } from './isolation/isolation.ts';
export { DRAIN_STEP_CAP_MS } from './faults/node-drain.ts';
export type { Capabilities } from './capabilities.ts';
export { INCONCLUSIVE_MEDIA_TYPE, SCENARIO_INFO_MEDIA_TYPE } from './report/verdicts.ts';
