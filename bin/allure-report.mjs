#!/usr/bin/env node
// Builds the Allure 3 report from an allure-results folder:
//
//   node bin/allure-report.mjs <resultsDir> <config> <outputDir> [--exit-code N]
//
// With kubeproof's own allurerc.mjs it calls Allure's library (@allurereport/core) in this process: that
// skips the Allure CLI's start-up (every command and its options are loaded before `generate` runs; about
// 0.15 s and 10 MB). A project's own allurerc may import 'allure', and importing that package runs
// Allure's CLI on this process's arguments, so a project's config is built with `allure generate` itself.
//
// `npm run chaos` replaces its own process with this one once the run is over (src/report/allure.ts):
// the runner's memory is gone before the generator's arrives. Then `--exit-code` carries the run's exit
// code: a report that cannot be built is a warning, as it was when the runner built it itself.
//
// Plain JavaScript so that the same file runs from a checkout and from node_modules.
import { spawnSync } from 'node:child_process';
import { enableCompileCache } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Allure's library is imported below, after this: its ~700 modules load from Node's compile cache.
enableCompileCache();

const OWN_CONFIG = join(dirname(dirname(fileURLToPath(import.meta.url))), 'allurerc.mjs');
const TIME_CAP_MS = 120_000;

const [resultsDir, config, output, flag, exitCodeText] = process.argv.slice(2);
const exitCode = flag === '--exit-code' ? Number(exitCodeText) : undefined;
if (!resultsDir || !config || !output || (flag !== undefined && !Number.isInteger(exitCode))) {
  process.stderr.write('usage: node bin/allure-report.mjs <resultsDir> <config> <outputDir> [--exit-code N]\n');
  process.exit(2);
}

function fail(message) {
  if (exitCode === undefined) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  process.stderr.write(`warning: the Allure report could not be generated: ${message}\n`);
  process.exit(exitCode);
}

async function ownConfig() {
  const { AllureReport, readConfig } = await import('@allurereport/core');
  const report = new AllureReport(await readConfig(process.cwd(), config, { output }));
  await report.start();
  await report.readDirectory(resultsDir);
  await report.done();
}

function projectConfig() {
  // The package exports no ./cli.js subpath: its bin file sits next to the resolved entry (dist/index.js).
  const cli = fileURLToPath(new URL('../cli.js', import.meta.resolve('allure')));
  const r = spawnSync(process.execPath, [cli, 'generate', resultsDir, '--config', config, '--output', output], { encoding: 'utf8', timeout: TIME_CAP_MS });
  if (r.status === 0) return;
  // Allure prints an error as its message, then the stack: the message is the line that is not a frame.
  const lines = (r.stderr || r.stdout || '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  const message = lines.find((l) => !l.startsWith('at ')) ?? '';
  throw new Error(`allure generate ${r.signal ? `was killed by ${r.signal}` : `exited with code ${r.status}`}${message ? `: ${message}` : ''}`);
}

// Allure prints its own progress; the runner has already named the report.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
const cap = setTimeout(() => fail(`not done after ${TIME_CAP_MS / 1000} s`), TIME_CAP_MS);
try {
  await (resolve(config) === OWN_CONFIG ? ownConfig() : projectConfig());
} catch (err) {
  process.stdout.write = write;
  fail(String(err?.message ?? err).split('\n')[0]);
}
clearTimeout(cap);
process.exit(exitCode ?? 0);
