import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { FAULTS } from '../faults/registry.ts';
import { definitionsOfLibrary, loadGenerator as generatorOf, loadSource as sourceOf } from '../run/step-facts.ts';
import { describeFaultStep } from './dry-run.ts';
import type { SupportLibrary } from './dry-run.ts';

const cwd = resolve(import.meta.dirname, '..', '..');

let loaded: Promise<SupportLibrary> | undefined;
/** The project's real step definitions, as `npm run chaos` loads them (once: ES modules register their steps only on first import). */
function projectSupport(): Promise<SupportLibrary> {
  const environment = { cwd, stdout: process.stdout, stderr: process.stderr, env: process.env };
  loaded ??= loadConfiguration({}, environment).then(({ runConfiguration }) => loadSupport(runConfiguration, environment));
  return loaded;
}

describe('describeFaultStep', () => {
  it('describes a fault step from its step definition and the fault registry, with typed parameters', async () => {
    const support = await projectSupport();
    assert.equal(describeFaultStep(support, 'I kill 2 pods of deployment "api"', 7), 'pod-kill: 2 pods of deployment "api" (victims chosen with seed 7)');
    assert.equal(describeFaultStep(support, 'I kill 40% of the pods of deployment "api"', 7), 'pod-kill: 40% of the replicas of deployment "api", rounded up (victims chosen with seed 7)');
    assert.match(describeFaultStep(support, 'the node running the most "api" pods and no "postgres" pod dies', 7) ?? '', /^node-pause: .*among those running no "postgres" pod/);
    assert.equal(describeFaultStep(support, 'deployment "api" has 3 ready replicas within 60 seconds', 7), undefined, 'a check is no fault');
    assert.equal(describeFaultStep(support, 'no step looks like this', 7), undefined);
  });

  it('reaches every registered fault through at least one step', async () => {
    const support = await projectSupport();
    const reached = new Set((support as unknown as { stepDefinitions: Array<{ options: { wrapperOptions?: { fault?: string } } }> }).stepDefinitions
      .map((d) => d.options.wrapperOptions?.fault).filter(Boolean));
    assert.deepEqual(Object.keys(FAULTS).filter((f) => !reached.has(f)), []);
  });
});

describe('loadSource and loadGenerator', () => {
  const loadGenerator = (support: SupportLibrary, text: string) => generatorOf(definitionsOfLibrary(support), text);
  const loadSource = (support: SupportLibrary, text: string, from: 'host' | 'cluster') => sourceOf(definitionsOfLibrary(support), text, from);
  it('says where a load step runs and with what: k6 always on this machine, vegeta where the step or --load-from says', async () => {
    const support = await projectSupport();
    const host = 'a load of 20 requests per second on service "api" for 30 seconds';
    const pods = 'a load of 20 requests per second on service "api" from pods labelled "access=api" for 30 seconds';
    const k6 = 'the k6 script "load/checkout.js" runs against service "api"';
    assert.deepEqual([loadGenerator(support, host), loadSource(support, host, 'host'), loadSource(support, host, 'cluster')], ['vegeta', 'host', 'cluster']);
    assert.deepEqual([loadGenerator(support, pods), loadSource(support, pods, 'host')], ['vegeta', 'cluster'], 'its own "from …" wins');
    assert.deepEqual([loadGenerator(support, k6), loadSource(support, k6, 'cluster')], ['k6', 'host'], 'k6 runs the user\'s script here, whatever --load-from says');
    assert.deepEqual([loadGenerator(support, 'I kill 1 pod of deployment "api"'), loadSource(support, 'I kill 1 pod of deployment "api"', 'host')], [undefined, undefined]);
  });
});
