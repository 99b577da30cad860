import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { supportCodeLibraryBuilder } from '@cucumber/cucumber';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import type { Capabilities } from '../capabilities.ts';
import { scenarioInconclusiveReason, scenarioNeeds } from './needs.ts';
import { definitionsOfBuilder, definitionsOfLibrary, loadStepProblem, loadToolsOf, stepFacts } from './step-facts.ts';

const cwd = resolve(import.meta.dirname, '..', '..');
const environment = { cwd, stdout: process.stdout, stderr: process.stderr, env: process.env };
/** The project's real step definitions, as both entry points load them (once: ES modules register their steps only on first import). */
const support = loadConfiguration({}, environment).then(({ runConfiguration }) => loadSupport(runConfiguration, environment));

const oneWorker: Capabilities = { workers: 1, metrics: { ok: true, detail: '' }, netpol: { state: 'enforced', detail: '' }, nodeLoss: { evictionAfterS: 50, detail: '' } };
const nodeDeath = ['the manifests in "features/foundation/manifests/pause-app" are applied', 'deployment "pause-app" has 3 ready replicas within 60 seconds',
  'the node running the most "pause-app" pods dies', 'deployment "pause-app" has 3 ready replicas within 90 seconds'];

describe('scenarioNeeds (real step definitions)', () => {
  it('reads the fault of a step from its definition, whatever its arguments', async () => {
    const definitions = definitionsOfLibrary(await support);
    assert.equal(stepFacts(definitions, 'the node running the most "web" pods and no "db" pod dies').fault, 'node-pause');
    assert.equal(stepFacts(definitions, 'I drain the node running the most "web" pods while deployment "web" keeps at least 3 ready replicas').fault, 'node-drain');
    assert.equal(stepFacts(definitions, 'deployment "web" has 3 ready replicas within 60 seconds').fault, undefined);
    assert.equal(stepFacts(definitions, 'no step reads like this').fault, undefined);
  });

  it('an untagged node-death scenario needs two workers and node-loss timings', async () => {
    const needs = scenarioNeeds([], nodeDeath, definitionsOfLibrary(await support));
    assert.deepEqual(needs, { workers: { count: 2, because: 'the step "the node running the most "pause-app" pods dies"' }, nodeLoss: 'the step "the node running the most "pause-app" pods dies"' });
  });

  it('the capability gate (hooks read the definitions through cucumber\'s builder) makes it INCONCLUSIVE on one worker', async () => {
    await support;
    assert.equal(definitionsOfBuilder(supportCodeLibraryBuilder).length, definitionsOfLibrary(await support).length);
    const pickle = { tags: [], steps: nodeDeath.map((text) => ({ text })) };
    assert.equal(scenarioInconclusiveReason(pickle, supportCodeLibraryBuilder, oneWorker), 'the step "the node running the most "pause-app" pods dies" needs at least 2 ready worker nodes, the cluster has 1');
    assert.equal(scenarioInconclusiveReason(pickle, supportCodeLibraryBuilder, { ...oneWorker, workers: 3 }), undefined);
    assert.equal(scenarioInconclusiveReason({ ...pickle, tags: [{ name: '@workers:1' }] }, supportCodeLibraryBuilder, oneWorker), undefined, '@workers:N overrides');
  });

  it('the reachability table needs NetworkPolicy enforcement', async () => {
    assert.equal(scenarioNeeds([], ['network access is:'], definitionsOfLibrary(await support)).netpol, 'the step "network access is:"');
  });
});

describe('load facts from the step definitions (both entry points: preflight tools and caps before the cluster)', () => {
  const vegetaStep = 'a load of 20 requests per second on service "api" for 30 seconds';
  const k6Step = 'the k6 script "test/e2e/features/load-k6/checkout.js" runs against service "api"';

  it('a load step needs vegeta, a k6 script step k6, other steps nothing — read the same through the library and the builder', async () => {
    const library = definitionsOfLibrary(await support);
    for (const definitions of [library, definitionsOfBuilder(supportCodeLibraryBuilder)]) {
      assert.deepEqual(loadToolsOf(definitions, nodeDeath), { vegeta: false, k6: false, inCluster: false });
      assert.deepEqual(loadToolsOf(definitions, [...nodeDeath, vegetaStep]), { vegeta: true, k6: false, inCluster: false });
      assert.deepEqual(loadToolsOf(definitions, [k6Step]), { vegeta: false, k6: true, inCluster: false });
      assert.deepEqual(loadToolsOf(definitions, ['a staged load on service "api":']), { vegeta: true, k6: false, inCluster: false });
      // A load sent from pods in the cluster needs the load image there, not vegeta here; --load-from cluster moves every vegeta load.
      assert.deepEqual(loadToolsOf(definitions, ['a load of 20 requests per second on service "api" from 2 pods for 30 seconds']), { vegeta: false, k6: false, inCluster: true });
      assert.deepEqual(loadToolsOf(definitions, [vegetaStep, k6Step], 'cluster'), { vegeta: false, k6: true, inCluster: true });
    }
  });

  it('a load above the caps, or a k6 script that does not exist, is a problem; a load within them is not', async () => {
    const definitions = definitionsOfLibrary(await support);
    assert.equal(loadStepProblem(definitions, vegetaStep, cwd), undefined);
    assert.match(loadStepProblem(definitions, 'a load of 10000 requests per second on service "web" for 20 minutes', cwd) ?? '', /10000 requests per second is above the limit of 5000/);
    assert.equal(loadStepProblem(definitions, k6Step, cwd), undefined);
    assert.match(loadStepProblem(definitions, 'the k6 script "nowhere.js" runs against service "api"', cwd) ?? '', /the k6 script "nowhere\.js" does not exist/);
    assert.equal(loadStepProblem(definitions, nodeDeath[2] ?? '', cwd), undefined);
  });
});
