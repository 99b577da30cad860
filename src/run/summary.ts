/** The end of a run, the same for both entry points: the Allure report, then the summary lines. */
import { generateAllureReport } from '../report/allure.ts';
import type { RunModel } from '../report/run-model.ts';
import { formatMs } from '../util/duration.ts';

/** Generates the Allure report and prints the run's summary (counts, INCONCLUSIVE reasons, report paths). */
export async function finishReports(cwd: string, model: RunModel, run: { seed: number; runId: string; elapsedMs: number }, say: (line?: string) => void): Promise<void> {
  let allure = '';
  try {
    allure = await generateAllureReport(cwd, 'reports/allure-results');
  } catch (err) {
    say(`warning: the Allure report could not be generated: ${(err as Error).message}`);
  }
  const counts = model.counts();
  const total = model.results().length;
  say('');
  say(`kubeproof: ${total} scenario${total === 1 ? '' : 's'} — ${counts.PASS} PASS, ${counts.FAIL} FAIL, ${counts.INCONCLUSIVE} INCONCLUSIVE, ${counts.ERROR} ERROR${counts.SKIPPED ? `, ${counts.SKIPPED} not run` : ''}  (seed ${run.seed}, run ${run.runId}, ${formatMs(run.elapsedMs)})`);
  for (const r of model.results().filter((x) => x.verdict === 'INCONCLUSIVE')) say(`  INCONCLUSIVE ${r.name}: ${r.message}`);
  say(`reports: ${[allure, 'reports/cucumber-report.html', 'reports/junit.xml', 'reports/messages.ndjson'].filter(Boolean).join(', ')}`);
}
