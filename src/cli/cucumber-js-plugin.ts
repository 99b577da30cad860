/**
 * Cucumber plugin for runs that plain `cucumber-js` starts (cucumber.mjs lists it; our CLI marks its
 * own runs and this plugin then stands down). On the coordinator it:
 * - clears stale Allure results before the formatters open their files (our CLI clears reports/ too);
 * - records the selected scenarios for the BeforeAll hook that prepares the run (hooks never see them),
 *   and says so when none matched (cucumber-js exits 0 there; npm run chaos exits 2);
 * - at the end prints a failed BeforeAll/AfterAll hook's error as one `kubeproof:` line (cucumber would
 *   run no scenario and, with our formatter, print nothing) and makes a refused run exit 2 (cucumber: 1);
 *   then — if the run was prepared — builds the
 *   Allure report and prints the same summary as npm run chaos.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from '@cucumber/cucumber/api';
import { createRunModel } from '../report/run-model.ts';
import { currentCucumberJsRun, isDrivenByCli, recordSelection } from '../run/cucumber-js.ts';
import { finishReports } from '../run/summary.ts';

const say = (line = ''): void => { process.stderr.write(`${line}\n`); };

/** A failed test-run hook's message as one line (cucumber's message carries the error name and maybe frames). */
export function hookErrorLine(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return `kubeproof: ${first.replace(/^(UsageError|Error): /, '')}`;
}

/** Whether a failed hook's message is a refused run (bad input, or a cluster the run cannot use: a UsageError). */
export function isRefusal(message: string): boolean {
  return message.startsWith('UsageError: ');
}

/**
 * Bad input is exit 2 in both entry points. cucumber-js knows only 0 and 1 and sets its code after the
 * plugins are done; an 'exit' listener runs after that, whether cucumber calls process.exit or not.
 */
function exitRefused(): void {
  process.once('exit', () => { process.exitCode = 2; });
}

const plugin = {
  type: 'plugin',
  coordinator({ on, transform, environment, operation }) {
    if (operation !== 'runCucumber' || isDrivenByCli()) return undefined;
    rmSync(resolve(environment.cwd, 'reports', 'allure-results'), { recursive: true, force: true });
    const model = createRunModel();
    let selected = 0;
    let parseErrors = 0;
    let runException: string | undefined;
    on('message', (envelope) => {
      model.ingest(envelope);
      if (envelope.parseError) parseErrors++;
      // Cucumber itself failed (e.g. a --parallel worker could not load the steps): no scenario says so.
      if (envelope.testRunFinished?.exception) runException = envelope.testRunFinished.exception.message ?? envelope.testRunFinished.exception.type;
    });
    transform('pickles:order', (pickles) => {
      recordSelection(pickles.map(({ pickle }) => ({ name: pickle.name, uri: pickle.uri, tags: pickle.tags.map((t) => t.name), steps: pickle.steps.map((s) => s.text) })));
      selected = pickles.length;
      return pickles;
    });
    return async () => {
      // A malformed feature file selects nothing either; cucumber reports that one itself.
      if (selected === 0 && parseErrors === 0) say('kubeproof: no scenario matched (cucumber-js exits 0 here; npm run chaos exits 2)');
      for (const error of model.hookErrors()) say(hookErrorLine(error));
      if (model.hookErrors().some(isRefusal)) exitRefused();
      if (runException !== undefined) say(`kubeproof: the test run failed: ${runException.split('\n')[0]}`);
      const run = currentCucumberJsRun();
      if (!run) return; // a dry run, or preflight refused the run
      await finishReports(environment.cwd, model, { seed: run.parameters.seed, runId: run.parameters.runId, elapsedMs: performance.now() - run.startedAt }, say);
    };
  },
} satisfies Plugin;

export default plugin;
