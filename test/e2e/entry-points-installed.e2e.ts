/**
 * The kubeproof bin from a project that installed a copy of kubeproof (npm install --install-links, as
 * from the registry: ~400 MB, Node 24 among its dependencies, TypeScript inside node_modules), with
 * --parallel 2, a load scenario of the project's (vegeta found through kubeproof's testbed, not the
 * project's folder) and a cucumber.mjs of its own. The linked install is in entry-points.e2e.ts.
 * Measured 52–58 s under the lock (npm's cache warm, as after npm ci), so it stays in npm test.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runIdOf, untilRunNamespacesGone } from './helpers.ts';
import { all, expectCourseDryRun, installedProject, journalRuns, outsideEnv, start } from './entry-helpers.ts';

describe('the kubeproof bin from a project with an installed copy of kubeproof (npm install --install-links <folder>)', { concurrency: false }, () => {
  let project = '';
  before(async () => { project = await installedProject(false); });

  it('npx kubeproof --dry-run lists the project\'s scenario with the fault kubeproof\'s step would inject', async () => {
    await expectCourseDryRun(project);
  });

  it('npx kubeproof --tags @course --parallel 2: PASS with the project\'s own step, exit 0, reports and journal in the project, nothing written into the package', async () => {
    const result = await start('npx', ['kubeproof', '--tags', '@course', '--parallel', '2'], { cwd: project, env: outsideEnv() }).done;
    assert.equal(result.code, 0, all(result));
    assert.match(result.stdout, /\[1\/1\] ✔ PASS  a killed pod is replaced  \(features\/web\.feature:4, /);
    assert.match(result.stderr, /1 scenario — 1 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    assert.ok(existsSync(join(project, 'reports/allure-report/index.html')), 'the Allure report is the project\'s');
    const messages = readFileSync(join(project, 'reports/messages.ndjson'), 'utf8');
    assert.match(messages, /the course says done in namespace kp-/, 'the project\'s own step ran, in kubeproof\'s World');
    assert.ok(!existsSync(join(project, 'node_modules/kubeproof/reports')), 'nothing is written into the installed package');
    await untilRunNamespacesGone(runIdOf(result.stderr));
    assert.deepEqual(journalRuns(project), []);
  });

  it('a load from the project: vegeta comes from kubeproof\'s testbed cache (the project has no testbed/), PASS, exit 0', async () => {
    const result = await start('npx', ['kubeproof', 'load-features'], { cwd: project, env: outsideEnv() }).done;
    assert.equal(result.code, 0, all(result));
    assert.match(result.stdout, /\[1\/1\] ✔ PASS  a short load through the NodePort/);
    assert.match(result.stderr, /1 scenario — 1 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
    assert.deepEqual(journalRuns(project), []);
  });

  it('with a cucumber.mjs of the project\'s own (no kubeproof entries): kubeproof adds its steps, plugins and loader; --parallel 2 PASS', async () => {
    writeFileSync(join(project, 'cucumber.mjs'), "export default { paths: ['features/**/*.feature'], import: ['steps/**/*.ts'], format: ['progress'] };\n");
    const result = await start('npx', ['kubeproof', '--tags', '@course', '--parallel', '2'], { cwd: project, env: outsideEnv() }).done;
    assert.equal(result.code, 0, all(result));
    assert.match(result.stdout, /1 scenario \(1 passed\)/, 'cucumber\'s own progress formatter, as the project asked');
    assert.match(result.stderr, /1 scenario — 1 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
