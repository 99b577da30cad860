import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeFaultStep, FAULT_CATALOG } from './catalog.ts';

describe('FAULT_CATALOG', () => {
  it('has one entry per fault step definition (dry-run listing stays in sync with steps/)', () => {
    const source = ['fault.steps.ts', 'isolation.steps.ts', 'drain.steps.ts', 'probes.steps.ts'].map((f) => readFileSync(new URL(`../../steps/${f}`, import.meta.url), 'utf8')).join('\n');
    const expressions = [...source.matchAll(/When\('([^']+)'/g)].map((m) => m[1] ?? '');
    assert.equal(expressions.length, FAULT_CATALOG.length);
    const examples: Record<string, string> = {
      'I kill {int} pod(s) of deployment {string}': 'I kill 2 pods of deployment "api"',
      'I kill {int}% of the pods of deployment {string}': 'I kill 50% of the pods of deployment "api"',
      'I scale deployment {string} to {int} replica(s)': 'I scale deployment "api" to 1 replica',
      'I cordon the node running the most {string} pods': 'I cordon the node running the most "api" pods',
      'the namespace is cut off': 'the namespace is cut off',
      'namespace {string} is cut off': 'namespace "partner" is cut off',
      'the namespace is reconnected': 'the namespace is reconnected',
      'namespace {string} is reconnected': 'namespace "partner" is reconnected',
      'I delete pod {string}': 'I delete pod "postgres-0"',
      'the node running the most {string} pods dies': 'the node running the most "api" pods dies',
      'the node running the most {string} pods and no {string} pod dies': 'the node running the most "api" pods and no "postgres" pod dies',
      'the kubelet of the node running the most {string} pods stops': 'the kubelet of the node running the most "api" pods stops',
      'one pod of deployment {string} stops being ready': 'one pod of deployment "web" stops being ready',
      'one pod of deployment {string} becomes unhealthy': 'one pod of deployment "web" becomes unhealthy',
      'a container of deployment {string} crashes': 'a container of deployment "api" crashes',
      'I drain the node running the most {string} pods': 'I drain the node running the most "api" pods',
      'I drain the node running the most {string} pods while deployment {string} keeps at least {int} ready replica(s)': 'I drain the node running the most "api" pods while deployment "api" keeps at least 2 ready replicas',
    };
    for (const expr of expressions) {
      const example = examples[expr];
      assert.ok(example, `no example for step "${expr}": add one here and an entry in catalog.ts`);
      assert.ok(describeFaultStep(example, 7), `catalog does not describe "${example}"`);
    }
  });

  it('describes the target and the seed', () => {
    assert.equal(describeFaultStep('I kill 1 pod of deployment "api"', 42), 'pod-kill: 1 pod(s) of deployment "api" (victims chosen with seed 42)');
    assert.equal(describeFaultStep('deployment "api" has 3 ready replicas within 30 seconds', 42), undefined);
  });
});
