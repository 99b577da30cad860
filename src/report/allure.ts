/** Builds the Allure 3 single-file report from reports/allure-results (allurerc.mjs sets the categories). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { replaceProcess, run } from '../util/exec.ts';
import { PACKAGE_ROOT } from '../util/package-root.ts';

/** The generator process (plain JS, so it also runs from node_modules); it says why it is a process. */
const GENERATOR = join(PACKAGE_ROOT, 'bin', 'allure-report.mjs');
/** Where the report lands, relative to the project. */
export const ALLURE_REPORT = join('reports', 'allure-report', 'index.html');
/** Longer than the generator's own cap (120 s, bin/allure-report.mjs), which then says why it stopped. */
const CHILD_TIMEOUT_MS = 130_000;

/**
 * The generator's arguments. The config is the project's allurerc.mjs if it has one, else kubeproof's;
 * the report goes to the project's reports/allure-report. A 1 MB young generation: the generator is
 * short-lived, and this cuts its resident size by ~28 MB (bench:overhead) without slowing it down.
 */
function generatorArgs(cwd: string, resultsDir: string): string[] {
  const config = [join(cwd, 'allurerc.mjs'), join(PACKAGE_ROOT, 'allurerc.mjs')].find((f) => existsSync(f)) ?? join(PACKAGE_ROOT, 'allurerc.mjs');
  return ['--max-semi-space-size=1', GENERATOR, resultsDir, config, join(cwd, 'reports', 'allure-report')];
}

/** Builds the report in a child process and waits for it (cucumber-js runs, an interrupted run). */
export async function generateAllureReport(cwd: string, resultsDir: string): Promise<string> {
  await run(process.execPath, generatorArgs(cwd, resultsDir), { cwd, timeoutMs: CHILD_TIMEOUT_MS });
  return ALLURE_REPORT;
}

/**
 * Builds the report once this process has nothing left to do, in its place: when the event loop is
 * empty (every file written, every connection closed), the process becomes the generator, which ends
 * with the exit code the run set. The runner's memory is released before the generator's is taken, so
 * a run never holds both (bench:overhead measures the peak). Where a process cannot be replaced
 * (Windows), the report is built in a child before the process ends, as the cucumber-js path does.
 */
export function generateAllureReportAtExit(cwd: string, resultsDir: string, say: (line: string) => void): string {
  process.once('beforeExit', () => {
    const args = [...generatorArgs(cwd, resultsDir), '--exit-code', String(process.exitCode ?? 0)];
    if (replaceProcess(process.execPath, args, process.env, cwd)) return;
    void generateAllureReport(cwd, resultsDir).catch((err: Error) => say(`warning: the Allure report could not be generated: ${err.message}`));
  });
  return ALLURE_REPORT;
}
