/** Builds the Allure 3 single-file report from reports/allure-results (allurerc.mjs sets the output). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { run } from '../util/exec.ts';

/** Runs `allure generate` with the same Node binary as us (the pinned Node 24). */
export async function generateAllureReport(cwd: string, resultsDir: string): Promise<string> {
  const require = createRequire(join(cwd, 'package.json'));
  const cli = join(dirname(require.resolve('allure/package.json')), 'cli.js');
  await run(process.execPath, [cli, 'generate', resultsDir, '--config', join(cwd, 'allurerc.mjs')], { cwd, timeoutMs: 120_000 });
  return join('reports', 'allure-report', 'index.html');
}
