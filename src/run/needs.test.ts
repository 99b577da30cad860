import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { supportCodeLibraryBuilder } from '@cucumber/cucumber';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import type { Capabilities } from '../capabilities.ts';
import { scenarioInconclusiveReason, scenarioNeeds } from './needs.ts';
import { definitionsOfBuilder, definitionsOfLibrary, stepFacts } from './step-facts.ts';

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
