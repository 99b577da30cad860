/** Builds the Allure 3 single-file report from reports/allure-results (allurerc.mjs sets the categories). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../util/exec.ts';
import { PACKAGE_ROOT } from '../util/package-root.ts';

/**
 * Runs `allure generate` with the same Node binary as us (the pinned Node 24). The allure package is
 * kubeproof's dependency (found from here, also when kubeproof is installed in another project); the
 * config is the project's allurerc.mjs if it has one, else kubeproof's; the report goes to the
 * project's reports/allure-report.
 */
export async function generateAllureReport(cwd: string, resultsDir: string): Promise<string> {
  // The package exports no ./cli.js subpath: address its bin file next to the resolved entry (dist/index.js).
  const cli = fileURLToPath(new URL('../cli.js', import.meta.resolve('allure')));
  if (!existsSync(cli)) throw new Error(`${cli} is missing; run npm ci`);
  const config = [join(cwd, 'allurerc.mjs'), join(PACKAGE_ROOT, 'allurerc.mjs')].find((f) => existsSync(f)) ?? join(PACKAGE_ROOT, 'allurerc.mjs');
  // A 1 MB young generation: the generator is short-lived and runs while the runner still holds its own
  // memory, and this cuts its resident size by ~28 MB (bench:overhead) without slowing it down.
  await run(process.execPath, ['--max-semi-space-size=1', cli, 'generate', resultsDir, '--config', config, '--output', join(cwd, 'reports', 'allure-report')], { cwd, timeoutMs: 120_000 });
  return join('reports', 'allure-report', 'index.html');
}
