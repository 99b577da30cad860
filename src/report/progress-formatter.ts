/** Stdout formatter: one line per finished scenario, "[i/n] VERDICT name (time)", details for non-passes. */
import type { FormatterPlugin } from '@cucumber/cucumber/api';
import { displayUri } from '../util/display-path.ts';
import { formatMs } from '../util/duration.ts';
import { createRunModel } from './run-model.ts';
import type { ScenarioResult } from './run-model.ts';

const ICON: Record<ScenarioResult['verdict'], string> = { PASS: '✔ PASS', FAIL: '✘ FAIL', INCONCLUSIVE: '? INCONCLUSIVE', ERROR: '! ERROR', SKIPPED: '- SKIPPED' };

/** Renders one scenario's progress line (and its message, indented, when it did not pass). */
export function progressLine(result: ScenarioResult, index: number, total: number): string {
  const head = `[${index}/${total}] ${ICON[result.verdict]}  ${result.name}  (${result.uri}:${result.line}, ${formatMs(result.durationMs)}${result.attempt > 0 ? `, attempt ${result.attempt + 1}` : ''})`;
  if (result.verdict === 'PASS' || !result.message) return `${head}\n`;
  const body = result.message.split('\n').map((l) => `      ${l}`).join('\n');
  const info = result.info ? `\n      (${result.info})` : '';
  return `${head}\n${body}${info}\n`;
}

const plugin = {
  type: 'formatter',
  formatter({ on, write, options }) {
    // The feature paths as the user typed them (the CLI passes them as a format option).
    const given = (options as { kubeproofFeaturePaths?: string[] } | undefined)?.kubeproofFeaturePaths ?? [];
    const model = createRunModel({ displayUri: (uri) => displayUri(uri, process.cwd(), given) });
    model.onFinished((result, index) => write(progressLine(result, index, model.total())));
    on('message', (envelope) => {
      model.ingest(envelope);
      // Nothing ran at all: a dry run (cucumber-js --dry-run) listed the scenarios; say so once.
      const results = model.results();
      if (envelope.testRunFinished && results.length > 0 && results.every((r) => r.verdict === 'SKIPPED')) {
        write(`${results.length} scenario${results.length === 1 ? '' : 's'} (${results.length} skipped): listed, not run\n`);
      }
    });
  },
} satisfies FormatterPlugin;

export default plugin;
