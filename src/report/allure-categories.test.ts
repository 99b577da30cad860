/**
 * The Allure categories of allurerc.mjs, run through Allure's own matcher on results shaped as
 * allure-cucumberjs writes them (status from Allure's guess, the kubeproof.verdict label from the boundary).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchCategory, normalizeCategoriesConfig } from '@allurereport/core-api';
import type { CategoriesConfig, CategoryMatchingData } from '@allurereport/core-api';

const configPath: string = '../../allurerc.mjs';
const config = (await import(configPath)).default as { categories: CategoriesConfig };
const categories = normalizeCategoriesConfig(config.categories);

function category(status: CategoryMatchingData['status'], message?: string, labels: Array<{ name: string; value: string }> = []): string | undefined {
  return matchCategory(categories, { status, message, labels, flaky: false })?.name.split(':')[0];
}

const verdict = (v: string) => [{ name: 'kubeproof.verdict', value: v }];

describe('allurerc categories', () => {
  it('puts a FAIL verdict in FAIL, whatever status Allure guessed and whatever the error is called', () => {
    assert.equal(category('broken', 'ConditionError: expect(apps/v1/Deployment kp-1/api).toHaveReadyReplicas(>= 3) failed', verdict('FAIL')), 'FAIL');
    assert.equal(category('broken', 'FaultError: the system was not healthy before the fault', verdict('FAIL')), 'FAIL');
    assert.equal(category('failed', 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal', verdict('FAIL')), 'FAIL');
  });

  it('puts every other failure in ERROR, including a fault that could not be injected and a tooling error that says assert', () => {
    assert.equal(category('broken', 'FaultError: readiness-off could not be injected', verdict('ERROR')), 'ERROR');
    assert.equal(category('broken', 'KubeApiError: GET /api/v1/pods: 500'), 'ERROR');
    assert.equal(category('failed', 'Error: cannot assert anything: kubeconfig missing'), 'ERROR');
    assert.equal(category('broken', 'ConditionError: a class name alone decides nothing'), 'ERROR');
    assert.equal(category('passed', "The test doesn't have an implementation."), 'ERROR');
    assert.equal(category('skipped'), 'ERROR', 'skipped without a reason is never a pass nor INCONCLUSIVE');
  });

  it('puts INCONCLUSIVE verdicts in INCONCLUSIVE and leaves passed ones out', () => {
    assert.equal(category('skipped', undefined, [...verdict('INCONCLUSIVE'), { name: 'kubeproof.reason', value: 'metrics-server is not installed' }]), 'INCONCLUSIVE');
    assert.equal(category('passed'), undefined);
  });
});
