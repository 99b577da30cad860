/**
 * Run and scenario lifecycle. Under plain `cucumber-js` the run is prepared here (once, on the
 * coordinator) exactly as `npm run chaos` prepares it; under our CLI those hooks stand down. Then per
 * scenario: the capability gate (needs from the steps, tags as override), namespace + watches, and the
 * After hook that cleans up.
 */
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, setParallelCanAssign, Status, supportCodeLibraryBuilder } from '@cucumber/cucumber';
import type { HookTarget } from '@cucumber/cucumber';
import {
  adoptPublishedRun, ALLURE_MESSAGE_MEDIA_TYPE, allureLabels, BUDGETS, finishCucumberJsRun, INCONCLUSIVE_MEDIA_TYPE, prepareCucumberJsRun,
  PREPARE_RUN_TIMEOUT_MS, SCENARIO_INFO_MEDIA_TYPE, scenarioInconclusiveReason, startScenario,
} from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

setDefaultTimeout(BUDGETS.setup);

// @exclusive scenarios (node faults, cluster-wide state) never overlap with any other scenario.
setParallelCanAssign((candidate, running) => {
  const exclusive = (p: { tags: readonly { name: string }[] }): boolean => p.tags.some((t) => t.name === '@exclusive');
  if (running.length === 0) return true;
  return !exclusive(candidate) && !running.some(exclusive);
});

// cucumber's HookTarget enum is not visible to ES module imports (a CommonJS re-export): its values are these strings.
const COORDINATOR = 'COORDINATOR' as HookTarget;
const WORKER = 'WORKER' as HookTarget;

// Plain cucumber-js: preflight, journal and capabilities once per run (the coordinator), handed to
// --parallel workers; our CLI has done all of it already. Not run at all under --dry-run.
BeforeAll({ name: 'kubeproof run (cucumber-js)', on: COORDINATOR, timeout: PREPARE_RUN_TIMEOUT_MS }, async function () {
  await prepareCucumberJsRun(this.parameters, supportCodeLibraryBuilder);
});

BeforeAll({ name: 'kubeproof run (cucumber-js worker)', on: WORKER }, function () {
  adoptPublishedRun(this.parameters);
});

AfterAll({ name: 'kubeproof run cleanup (cucumber-js)', on: COORDINATOR, timeout: BUDGETS.cleanup }, async function () {
  await finishCucumberJsRun();
});

Before({ name: 'capability gate' }, function (this: ChaosWorld, { pickle }) {
  const reason = scenarioInconclusiveReason(pickle, supportCodeLibraryBuilder, this.parameters.capabilities);
  if (!reason) return undefined;
  this.attach(`INCONCLUSIVE: ${reason}`, INCONCLUSIVE_MEDIA_TYPE);
  this.attach(allureLabels({ 'kubeproof.verdict': 'INCONCLUSIVE', 'kubeproof.reason': reason }), ALLURE_MESSAGE_MEDIA_TYPE);
  return 'skipped';
});

Before({ name: 'scenario namespace', timeout: BUDGETS.setup + 5_000 }, async function (this: ChaosWorld, { pickle, testCaseStartedId }) {
  this.scenarioContext = await startScenario(this.parameters, { id: pickle.id, name: pickle.name, uri: pickle.uri, attemptId: testCaseStartedId, tags: pickle.tags.map((t) => t.name) });
  this.attach(`namespace ${this.scenarioContext.namespace}, seed ${this.scenarioContext.seed} (replay with ${this.parameters.replay ?? `--seed ${this.scenarioContext.seed}`})`, SCENARIO_INFO_MEDIA_TYPE);
});

After({ name: 'evidence, timeline and cleanup', timeout: BUDGETS.cleanup }, async function (this: ChaosWorld, { result }) {
  if (!this.scenarioContext) return;
  const failed = result?.status === Status.FAILED;
  const notes = await this.scenarioContext.finish({ failed }, (body, mediaType, fileName) => this.attach(body, { mediaType, fileName }));
  for (const note of notes) this.log(note);
});
