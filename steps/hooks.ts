/** Scenario lifecycle: capability gate, namespace + watches, and the After hook that cleans up. */
import { After, Before, setDefaultTimeout, setParallelCanAssign, Status } from '@cucumber/cucumber';
import { ALLURE_MESSAGE_MEDIA_TYPE, allureLabels, BUDGETS, INCONCLUSIVE_MEDIA_TYPE, SCENARIO_INFO_MEDIA_TYPE, inconclusiveReason, startScenario } from '../src/index.ts';
import type { ChaosWorld } from './world.ts';

setDefaultTimeout(BUDGETS.setup);

// @exclusive scenarios (node faults, cluster-wide state) never overlap with any other scenario.
setParallelCanAssign((candidate, running) => {
  const exclusive = (p: { tags: readonly { name: string }[] }): boolean => p.tags.some((t) => t.name === '@exclusive');
  if (running.length === 0) return true;
  return !exclusive(candidate) && !running.some(exclusive);
});

Before({ name: 'capability gate' }, function (this: ChaosWorld, { pickle }) {
  const reason = inconclusiveReason(pickle.tags.map((t) => t.name), this.parameters.capabilities);
  if (!reason) return undefined;
  this.attach(`INCONCLUSIVE: ${reason}`, INCONCLUSIVE_MEDIA_TYPE);
  this.attach(allureLabels({ 'kubeproof.verdict': 'INCONCLUSIVE', 'kubeproof.reason': reason }), ALLURE_MESSAGE_MEDIA_TYPE);
  return 'skipped';
});

Before({ name: 'scenario namespace', timeout: BUDGETS.setup + 5_000 }, async function (this: ChaosWorld, { pickle, testCaseStartedId }) {
  this.scenarioContext = await startScenario(this.parameters, { id: pickle.id, name: pickle.name, uri: pickle.uri, attemptId: testCaseStartedId, tags: pickle.tags.map((t) => t.name) });
  this.attach(`namespace ${this.scenarioContext.namespace}, seed ${this.scenarioContext.seed} (replay with --seed ${this.scenarioContext.seed})`, SCENARIO_INFO_MEDIA_TYPE);
});

After({ name: 'evidence, timeline and cleanup', timeout: BUDGETS.cleanup }, async function (this: ChaosWorld, { result }) {
  if (!this.scenarioContext) return;
  const failed = result?.status === Status.FAILED;
  const notes = await this.scenarioContext.finish({ failed }, (body, mediaType, fileName) => this.attach(body, { mediaType, fileName }));
  for (const note of notes) this.log(note);
});
