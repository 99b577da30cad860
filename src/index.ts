/** The only module steps/ import: the scenario facade, parsers, budgets, the fault names, the boundary and the run lifecycle hooks. */
export { startScenario } from './scenario.ts';
export type { AttachFn, RunParameters, ScenarioContext, ScenarioIdentity } from './scenario.ts';
export { parseDuration, formatMs } from './util/duration.ts';
export { APPLY_STEP_CAP_MS, BUDGETS, CONDITION_STEP_CAP_MS, DRAIN_STEP_CAP_MS, FAULT_STEP_CAP_MS, ISOLATION_STEP_CAP_MS } from './config/defaults.ts';
export type { StepDuration } from './conditions/expect.ts';
export type { FaultArgs, FaultName } from './faults/registry.ts';
export type { LoadRequest } from './load/load.ts';
export type { Capabilities } from './capabilities.ts';
export { scenarioInconclusiveReason } from './run/needs.ts';
export { adoptPublishedRun, finishCucumberJsRun, prepareCucumberJsRun, PREPARE_RUN_TIMEOUT_MS } from './run/cucumber-js.ts';
export { boundary } from './report/boundary.ts';
export { withSubmissionNames } from './grading/names.ts';
export type { BoundaryWorld } from './report/boundary.ts';
export { ALLURE_MESSAGE_MEDIA_TYPE, allureLabels, INCONCLUSIVE_MEDIA_TYPE, SCENARIO_INFO_MEDIA_TYPE } from './report/verdicts.ts';
export type { WorkloadRef } from './inside/targets.ts';
export type { ValueSource } from './inside/inside.ts';
export type { SecurityCheck } from './inside/security.ts';
