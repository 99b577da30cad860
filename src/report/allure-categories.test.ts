/**
 * The Allure categories of allurerc.mjs, run through Allure's own matcher on results shaped as
 * allure-cucumberjs writes them (status from Allure's guess, message "<ErrorName>: …" from cucumber).
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

describe('allurerc categories', () => {
  it('puts errors of the system under test in FAIL, whatever status Allure guessed', () => {
    assert.equal(category('broken', 'ConditionError: expect(apps/v1/Deployment kp-1/api).toHaveReadyReplicas(>= 3) failed'), 'FAIL');
    assert.equal(category('broken', 'FaultError: cannot kill node "w9": no such node'), 'FAIL');
    assert.equal(category('broken', 'AccessCheckError: sa/student can list secrets'), 'FAIL');
    assert.equal(category('failed', 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal'), 'FAIL');
  });

  it('puts every other failure in ERROR, including one Allure calls "failed" for saying assert', () => {
    assert.equal(category('broken', 'KubeApiError: GET /api/v1/pods: 500'), 'ERROR');
    assert.equal(category('failed', 'Error: cannot assert anything: kubeconfig missing'), 'ERROR');
    assert.equal(category('broken', 'TypeError: x is undefined (mentions ConditionError later)'), 'ERROR');
    assert.equal(category('passed', "The test doesn't have an implementation."), 'ERROR');
  });

  it('puts skipped scenarios in INCONCLUSIVE and leaves passed ones out', () => {
    assert.equal(category('skipped', undefined, [{ name: 'kubeproof.reason', value: 'metrics-server is not installed' }]), 'INCONCLUSIVE');
    assert.equal(category('passed'), undefined);
  });
});
