/** Builds the Allure 3 single-file report from reports/allure-results (allurerc.mjs sets the output). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../util/exec.ts';

/** Runs `allure generate` with the same Node binary as us (the pinned Node 24). */
export async function generateAllureReport(cwd: string, resultsDir: string): Promise<string> {
  // The package exports no ./cli.js subpath, so address its bin file directly.
  const cli = join(cwd, 'node_modules', 'allure', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing; run npm ci`);
  // A 1 MB young generation: the generator is short-lived and runs while the runner still holds its own
  // memory, and this cuts its resident size by ~28 MB (bench:overhead) without slowing it down.
  await run(process.execPath, ['--max-semi-space-size=1', cli, 'generate', resultsDir, '--config', join(cwd, 'allurerc.mjs')], { cwd, timeoutMs: 120_000 });
  return join('reports', 'allure-report', 'index.html');
}
