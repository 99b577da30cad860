/** The end of a run, the same for both entry points: the Allure report, then the summary lines. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateAllureReport, generateAllureReportAtExit } from '../report/allure.ts';
import type { RunModel } from '../report/run-model.ts';
import { formatMs } from '../util/duration.ts';

const RESULTS = 'reports/allure-results';
const OTHER_REPORTS = ['reports/cucumber-report.html', 'reports/junit.xml', 'reports/messages.ndjson'];

/**
 * Generates the Allure report and prints the run's summary (counts, INCONCLUSIVE reasons, the reports
 * written). `allure: 'at-exit'` (npm run chaos, which owns its process) builds the report once the
 * process is done, in its place (src/report/allure.ts); cucumber-js's process is cucumber's, so there it
 * is built now.
 */
export async function finishReports(cwd: string, model: RunModel, run: { seed: number; runId: string; elapsedMs: number }, say: (line?: string) => void, allure: 'now' | 'at-exit' = 'now'): Promise<void> {
  let allureReport = '';
  // A project's own cucumber config may not write Allure results: then there is nothing to build.
  if (existsSync(join(cwd, RESULTS))) {
    try {
      allureReport = allure === 'at-exit' ? generateAllureReportAtExit(cwd, RESULTS, say) : await generateAllureReport(cwd, RESULTS);
    } catch (err) {
      say(`warning: the Allure report could not be generated: ${(err as Error).message}`);
    }
  }
  const counts = model.counts();
  const total = model.results().length;
  say('');
  say(`kubeproof: ${total} scenario${total === 1 ? '' : 's'} — ${counts.PASS} PASS, ${counts.FAIL} FAIL, ${counts.INCONCLUSIVE} INCONCLUSIVE, ${counts.ERROR} ERROR${counts.SKIPPED ? `, ${counts.SKIPPED} not run` : ''}  (seed ${run.seed}, run ${run.runId}, ${formatMs(run.elapsedMs)})`);
  for (const r of model.results().filter((x) => x.verdict === 'INCONCLUSIVE')) say(`  INCONCLUSIVE ${r.name}: ${r.message}`);
  const written = [allureReport, ...OTHER_REPORTS.filter((f) => existsSync(join(cwd, f)))].filter(Boolean);
  if (written.length) say(`reports: ${written.join(', ')}`);
}
