/**
 * The Allure report as a run builds it: with kubeproof's config through Allure's library, with a
 * project's own config through Allure's CLI, and at the end of a process that becomes the generator
 * (npm run chaos) and keeps the run's exit code. Real generations (about half a second each).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAllureReport } from './allure.ts';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A project folder with one passed and one failed result, as allure-cucumberjs writes them. */
function project(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'kubeproof-allure-'));
  dirs.push(cwd);
  const results = join(cwd, 'reports', 'allure-results');
  mkdirSync(results, { recursive: true });
  const result = (uuid: string, name: string, status: string) => ({
    uuid, name, historyId: uuid, status, stage: 'finished', start: 1_000, stop: 2_000, steps: [], attachments: [], parameters: [],
    labels: [{ name: 'feature', value: 'demo' }, { name: 'kubeproof.verdict', value: status === 'passed' ? 'PASS' : 'FAIL' }],
    statusDetails: status === 'passed' ? {} : { message: 'expected 3 ready replicas, last observed 2' },
  });
  writeFileSync(join(results, 'a-result.json'), JSON.stringify(result('a', 'replicas come back', 'passed')));
  writeFileSync(join(results, 'b-result.json'), JSON.stringify(result('b', 'rollback restores image', 'failed')));
  return cwd;
}

const summary = (cwd: string): { name: string; stats: Record<string, number> } =>
  JSON.parse(readFileSync(join(cwd, 'reports', 'allure-report', 'summary.json'), 'utf8'));

describe('the Allure report', () => {
  it("is built with kubeproof's config when the project has none", async () => {
    const cwd = project();
    assert.equal(await generateAllureReport(cwd, 'reports/allure-results'), join('reports', 'allure-report', 'index.html'));
    assert.deepEqual(summary(cwd).stats, { total: 2, passed: 1, failed: 1 });
    assert.equal(summary(cwd).name, 'kubeproof');
    assert.match(readFileSync(join(cwd, 'reports', 'allure-report', 'index.html'), 'utf8'), /<html/);
  });

  it("is built with the project's own allurerc.mjs, which may import 'allure' (built by Allure's CLI)", async () => {
    const cwd = project();
    writeFileSync(join(cwd, 'allurerc.mjs'), "import { defineConfig } from 'allure';\nexport default defineConfig({ name: 'course 101', plugins: { awesome: { options: { singleFile: true } } } });\n");
    // The project resolves 'allure' from its own node_modules: link kubeproof's.
    mkdirSync(join(cwd, 'node_modules'));
    symlinkSync(join(import.meta.dirname, '..', '..', 'node_modules', 'allure'), join(cwd, 'node_modules', 'allure'));
    await generateAllureReport(cwd, 'reports/allure-results');
    assert.equal(summary(cwd).name, 'course 101');
    assert.equal(summary(cwd).stats.total, 2);
  });

  it('is built at the end of a process that then ends with the exit code the run set, or warns and keeps that code', () => {
    const atExit = (cwd: string) => spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { generateAllureReportAtExit } = await import(${JSON.stringify(new URL('./allure.ts', import.meta.url).href)});
      process.stderr.write('report: ' + generateAllureReportAtExit(${JSON.stringify(cwd)}, 'reports/allure-results', (l) => process.stderr.write(l + '\\n')) + '\\n');
      process.exitCode = 3;`], { cwd, encoding: 'utf8' });
    const cwd = project();
    const built = atExit(cwd);
    assert.equal(built.status, 3, built.stderr);
    assert.equal(summary(cwd).stats.total, 2);

    const broken = project();
    writeFileSync(join(broken, 'allurerc.mjs'), 'throw new Error("config typo");\n');
    const warned = atExit(broken);
    assert.equal(warned.status, 3);
    assert.match(warned.stderr, /warning: the Allure report could not be generated: .*config typo/);
  });
});
