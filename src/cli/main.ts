#!/usr/bin/env node
/**
 * `npm run chaos -- …` (and `npx kubeproof …` in a project that depends on kubeproof, via
 * bin/kubeproof.mjs): parse → check input (features, steps, manifests) → preflight → run cucumber
 * through its JS API → reports → exit code. Bad input stops before the cluster is touched.
 * Plain `cucumber-js` runs the same hooks and plugins without this file (src/run/cucumber-js.ts).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { loadConfiguration, loadSources, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import type { IRunConfiguration, IRunEnvironment, IRunOptions } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { describeNeeds } from '../capabilities.ts';
import type { Needs } from '../capabilities.ts';
import { checkManifestDir } from '../cluster/manifests.ts';
import { createKubeClient, prewarmKubeClient } from '../cluster/kube-client.ts';
import type { ClusterClient } from '../cluster/types.ts';
import { kindNodeAccess } from '../cluster/kind-access.ts';
import { DEFAULT_JOURNAL_DIR } from '../journal/journal.ts';
import { runJanitor } from '../journal/janitor.ts';
import { UNDOS } from '../registry.ts';
import { generateAllureReport } from '../report/allure.ts';
import { createRunModel } from '../report/run-model.ts';
import { markDrivenByCli } from '../run/cucumber-js.ts';
import { scenarioNeeds } from '../run/needs.ts';
import { probeHost } from '../run/host-probe.ts';
import { checkCluster, checkTools } from '../run/preflight.ts';
import { parseCapabilityOverrides, reportLeftovers, revertRun, startRun } from '../run/start-run.ts';
import { definitionsOfLibrary, faultOf, loadStepProblem, loadToolsOf } from '../run/step-facts.ts';
import { finishReports } from '../run/summary.ts';
import { displayUri } from '../util/display-path.ts';
import { fixtureDir, PACKAGE_ROOT } from '../util/package-root.ts';
import { newSeed } from '../util/rng.ts';
import { parseArgs, USAGE } from './args.ts';
import type { ParsedArgs } from './args.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { releaseStaleClusterLock } from '../run/cluster-lock.ts';
import { describeFaultStep, describeLoadStep } from './dry-run.ts';
import { probeFaultProblem } from './probe-preflight.ts';
import type { SupportLibrary } from './dry-run.ts';

const cwd = process.cwd();
/** Feature paths as typed on the command line: features outside the checkout print under them, not as "../../…". */
let givenPaths: readonly string[] = [];
const showUri = (uri: string): string => displayUri(uri, cwd, givenPaths);
const say = (line = ''): void => { process.stderr.write(`${line}\n`); };
const nullStream = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

/** A scenario as the dry pass sees it. */
interface PlannedScenario {
  name: string;
  uri: string;
  line: number;
  tags: string[];
  steps: string[];
  /** What it needs from the cluster (from its steps' definitions and its tags). */
  needs: Needs;
}

/** Runs cucumber in dry-run mode to learn tags and steps of the selected scenarios and find undefined steps. */
async function dryPass(config: IRunOptions, environment: IRunEnvironment): Promise<{ scenarios: PlannedScenario[]; undefinedSteps: string[] }> {
  const envelopes: Envelope[] = [];
  const dryConfig: IRunOptions = {
    ...config,
    runtime: { ...config.runtime, dryRun: true, parallel: 0 },
    // 'message' to a null stream: the cheapest built-in formatter ('summary' formats durations through luxon's Intl, ~20 ms).
    formats: { ...config.formats, stdout: 'message', files: {}, publish: false },
  };
  await runCucumber(dryConfig, { ...environment, stdout: nullStream() }, (e) => envelopes.push(e));
  const lineOf = new Map<string, number>();
  const stepText = new Map<string, string>();
  const pickleOfStep = new Map<string, string>();
  const scenarios = new Map<string, PlannedScenario>();
  for (const e of envelopes) {
    for (const child of e.gherkinDocument?.feature?.children ?? []) {
      const all = child.rule ? child.rule.children : [child];
      for (const c of all) if (c.scenario) lineOf.set(c.scenario.id, c.scenario.location.line);
    }
    if (e.pickle) {
      const p = e.pickle;
      const tags = p.tags.map((t) => t.name);
      const steps = p.steps.map((s) => s.text);
      scenarios.set(p.id, { name: p.name, uri: showUri(p.uri), line: lineOf.get(p.astNodeIds[0] ?? '') ?? 0, tags, steps, needs: scenarioNeeds(tags, steps, definitionsOfLibrary(config.support)) });
      for (const s of p.steps) { stepText.set(s.id, s.text); pickleOfStep.set(s.id, p.id); }
    }
  }
  // Cucumber announces every parsed pickle; only those with a test case passed the filters.
  const selected = new Set(envelopes.filter((e) => e.testCase).map((e) => e.testCase?.pickleId));
  for (const id of [...scenarios.keys()]) if (!selected.has(id)) scenarios.delete(id);
  const undefinedSteps: string[] = [];
  for (const e of envelopes) {
    if (e.suggestion) {
      const pickle = scenarios.get(pickleOfStep.get(e.suggestion.pickleStepId) ?? '');
      const where = pickle ? `${pickle.uri}:${pickle.line}` : '?';
      const snippet = e.suggestion.snippets[0]?.code ?? '';
      undefinedSteps.push(`undefined step "${stepText.get(e.suggestion.pickleStepId)}" in ${where}; implement it, e.g.:\n${snippet}`);
    }
  }
  return { scenarios: [...scenarios.values()], undefinedSteps };
}

/** Validates manifests that scenarios will apply, so invalid YAML stops the run before the cluster is touched. */
function checkManifests(scenarios: readonly PlannedScenario[]): void {
  const dirs = new Set<string>();
  for (const s of scenarios) {
    for (const step of s.steps) {
      const applied = /^the manifests in "([^"]+)" are applied$/.exec(step)?.[1];
      const fixture = /^the fixture "([^"]+)" is deployed$/.exec(step)?.[1];
      if (applied) dirs.add(applied);
      // A missing fixture is reported by its step (the scenario fails with a clear message); only parse existing ones.
      const fixtureManifests = fixture ? join(fixtureDir(fixture, cwd), 'manifests') : undefined;
      if (fixtureManifests && checkManifestDir(fixtureManifests, cwd)?.includes('invalid')) dirs.add(fixtureManifests);
    }
  }
  for (const dir of dirs) {
    const problem = checkManifestDir(dir, cwd);
    if (problem) throw new UsageError(problem);
  }
}

function printDryRun(scenarios: readonly PlannedScenario[], seed: number, support: SupportLibrary, loadFrom: 'host' | 'cluster'): void {
  process.stdout.write(`${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} would run (dry run: the cluster is not touched)\n`);
  scenarios.forEach((s, i) => {
    process.stdout.write(`[${i + 1}/${scenarios.length}] ${s.name}  (${s.uri}:${s.line})${s.tags.length ? `  ${s.tags.join(' ')}` : ''}\n`);
    for (const l of s.steps.map((t) => describeLoadStep(support, t, loadFrom)).filter(Boolean)) process.stdout.write(`      load: ${l}\n`);
    const faults = s.steps.map((t) => describeFaultStep(support, t, seed)).filter((f): f is string => Boolean(f));
    for (const f of faults) process.stdout.write(`      fault: ${f}\n`);
    if (!faults.length) process.stdout.write('      no fault\n');
    const needs = describeNeeds(s.needs);
    if (needs) process.stdout.write(`      needs: ${needs}\n`);
  });
}

/** Hand-over files (src/run/cucumber-js.ts) of cucumber-js processes that are gone. */
function staleHandOverFiles(dir: string): string[] {
  const folder = join(dir, '.kubeproof');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((f) => {
    const pid = Number(/^cucumber-js-run-(\d+)\.json$/.exec(f)?.[1]);
    if (!pid) return [];
    try { process.kill(pid, 0); return []; } catch (err) { return (err as NodeJS.ErrnoException).code === 'ESRCH' ? [join(folder, f)] : []; }
  });
}

async function janitorMode(args: ParsedArgs): Promise<number> {
  await checkTools({ vegeta: false });
  let client: ClusterClient;
  try {
    client = createKubeClient(args.own.context);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  await checkCluster(client, { allowContext: args.own.allowContext, netpolCanary: false, vegeta: false, runId: '', onCanaryNamespace: () => {} });
  const report = await runJanitor(UNDOS, { client, nodes: kindNodeAccess }, resolve(cwd, DEFAULT_JOURNAL_DIR));
  const stale = staleHandOverFiles(cwd);
  for (const file of stale) {
    rmSync(file, { force: true });
    say(`janitor: removed ${relative(cwd, file)} (a killed cucumber-js run's hand-over to its workers)`);
  }
  for (const line of report.skippedLiveRuns) say(`janitor: left alone, still running: ${line}`);
  for (const line of report.actions) say(`janitor: ${line}`);
  for (const line of report.failures) say(`janitor: FAILED ${line}`);
  const lockLine = await releaseStaleClusterLock(client).catch((err: Error) => { report.failures.push(`cluster lock: ${err.message}`); return undefined; });
  if (lockLine) { say(`janitor: ${lockLine}`); report.actions.push(lockLine); }
  if (!report.actions.length && !report.failures.length && !stale.length) say('janitor: nothing to clean');
  return report.failures.length ? EXIT.error : EXIT.passed;
}

async function main(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  const args = parseArgs(argv);
  if (args.own.help) { process.stdout.write(`${USAGE}\n`); return EXIT.passed; }
  if (args.own.janitor) return janitorMode(args);

  markDrivenByCli();
  // docker answers, and the API server's TLS handshake happens, while cucumber loads the features; a dry run asks neither.
  const host = args.own.dryRun ? undefined : probeHost();
  if (host) void prewarmKubeClient(args.own.context);
  const environment: IRunEnvironment = { cwd, stdout: process.stdout, stderr: process.stderr, env: process.env };
  let runConfiguration: IRunConfiguration;
  try {
    ({ runConfiguration } = await loadConfiguration({ file: args.configFile ?? defaultConfigFile(), profiles: args.profiles, provided: args.cucumber }, environment));
  } catch (err) {
    throw new UsageError(`cannot load the cucumber configuration: ${(err as Error).message}`);
  }
  withKubeproofSupport(runConfiguration);
  // CLI paths replace the profile's paths (cucumber 13 would merge them and run both).
  if (args.paths.length) runConfiguration.sources.paths = args.paths;
  givenPaths = args.paths;
  const capabilityOverrides = parseCapabilityOverrides((runConfiguration.runtime.worldParameters as Record<string, unknown>).capabilities);

  let sources: Awaited<ReturnType<typeof loadSources>>;
  try {
    sources = await loadSources(runConfiguration.sources, { ...environment, stdout: nullStream() });
  } catch (err) {
    // e.g. a malformed --tags expression ("@a and ("): the parser's own words (cucumber wraps them), in one line.
    let inner: unknown = err;
    while ((inner as Error)?.cause) inner = (inner as Error).cause;
    throw new UsageError(`cannot select scenarios: ${String((inner as Error)?.message ?? inner).split('\n')[0]}`);
  }
  const parseError = sources.errors[0];
  if (parseError) throw new UsageError(`malformed feature file ${showUri(parseError.uri)} line ${parseError.location.line}: ${parseError.message.split('\n').pop()?.trim() ?? parseError.message}`);
  if (sources.plan.length === 0) {
    const tags = runConfiguration.sources.tagExpression;
    throw new UsageError(`no scenario matched${tags ? ` the tag expression "${tags}"` : ''}${runConfiguration.sources.names.length ? ` and names ${runConfiguration.sources.names.join(', ')}` : ''} in ${runConfiguration.sources.paths.join(', ')}`);
  }
  // Step files are ES modules: a second import in this process would not run them again, so both
  // cucumber runs (dry pass and real run) share one loaded support library.
  const support = await loadSupport({ sources: runConfiguration.sources, support: runConfiguration.support }, environment);
  const dry = await dryPass({ ...runConfiguration, support }, environment);
  const firstUndefined = dry.undefinedSteps[0];
  if (firstUndefined) {
    const [line, ...snippet] = firstUndefined.split('\n');
    throw new UsageError(line ?? firstUndefined, snippet.join('\n') + (dry.undefinedSteps.length > 1 ? `\n(${dry.undefinedSteps.length - 1} more undefined step${dry.undefinedSteps.length > 2 ? 's' : ''})` : ''));
  }
  checkManifests(dry.scenarios);
  const definitions = definitionsOfLibrary(support);
  // A probe fault that cannot work on what the scenario deploys (an exec probe) is refused up front.
  const probeProblem = probeFaultProblem(dry.scenarios, (text) => faultOf(definitions, text), cwd);
  if (probeProblem) throw new UsageError(probeProblem);
  // A load above the caps is refused before anything runs, dry run included.
  for (const s of dry.scenarios) {
    for (const t of s.steps) {
      const problem = loadStepProblem(definitions, t, cwd);
      if (problem) throw new UsageError(`${s.uri}:${s.line} (${s.name}): ${problem}`);
    }
  }
  // Loads come from this machine on kind, from the cluster beyond it (or as --load-from says).
  const loadFrom = args.own.loadFrom ?? (args.own.allowContext ? 'cluster' : 'host');
  if (args.own.dryRun) { printDryRun(dry.scenarios, args.own.seed ?? newSeed(), support, loadFrom); return EXIT.passed; }

  // From here on the cluster is touched.
  const { parameters, client, version, runDir, lock } = await startRun({
    cwd, context: args.own.context, allowContext: args.own.allowContext, seed: args.own.seed, keep: args.own.keep,
    scenarios: dry.scenarios, loadTools: loadToolsOf(definitions, dry.scenarios.flatMap((s) => s.steps), loadFrom), loadFrom,
    provision: 'create', replayHint: (seed) => `--seed ${seed}`, capabilityOverrides, say,
    purpose: process.env.KUBEPROOF_RUN_PURPOSE ?? 'npm run chaos', lockWaitMs: args.own.lockWaitMs, host,
  });

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    say(`\n${signal}: undoing journalled faults of run ${parameters.runId} before exiting…`);
    // Undo first (the cluster matters more than the report), then build whatever report the results allow.
    void revertRun(client, runDir, say)
      .then((failed) => lock.release().then(() => failed))
      .then((failed) => generateAllureReport(cwd, 'reports/allure-results').then((f) => say(`partial report: ${f}`), () => {}).then(() => reportLeftovers(failed, runDir, say)))
      .finally(() => process.exit(EXIT.error));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // A fresh report per run; a class's grades (npm run grade) are the teacher's and survive other runs.
  for (const entry of existsSync(resolve(cwd, 'reports')) ? readdirSync(resolve(cwd, 'reports')) : []) {
    if (entry !== 'grades') rmSync(resolve(cwd, 'reports', entry), { recursive: true, force: true });
  }
  runConfiguration.runtime.worldParameters = {
    ...runConfiguration.runtime.worldParameters, ...parameters,
  } as unknown as typeof runConfiguration.runtime.worldParameters;
  runConfiguration.formats.options = {
    ...runConfiguration.formats.options,
    environmentInfo: { ...(runConfiguration.formats.options.environmentInfo as object), kubeContext: client.contextName, kubernetes: version, seed: String(parameters.seed), runId: parameters.runId },
    kubeproofFeaturePaths: [...givenPaths],
  };
  const model = createRunModel({ displayUri: showUri });
  let runError: unknown;
  let runException: string | undefined;
  try {
    await runCucumber({ ...runConfiguration, support }, environment, (e) => {
      model.ingest(e);
      // Cucumber itself failed (e.g. a --parallel worker could not load the steps): no scenario says so.
      if (e.testRunFinished?.exception) runException = e.testRunFinished.exception.message ?? e.testRunFinished.exception.type;
    });
  } catch (err) {
    runError = err;
  }
  // Safety net: anything a crashed After hook (or a failed undo) left pending is retried here.
  const leftovers = await revertRun(client, runDir, say);
  await lock.release();

  await finishReports(cwd, model, { seed: parameters.seed, runId: parameters.runId, elapsedMs: performance.now() - started }, say, 'at-exit');
  reportLeftovers(leftovers, runDir, say);
  const counts = model.counts();
  if (runError) { say(`error: ${(runError as Error).message}`); return EXIT.error; }
  // A run that left the cluster changed is a tooling error, whatever the scenarios said.
  if (leftovers.length) return EXIT.error;
  if (runException !== undefined) { say(`error: the test run failed: ${runException.split('\n')[0]}`); return EXIT.error; }
  if (model.hookErrors().length) { say(`error: ${model.hookErrors()[0]}`); return EXIT.error; }
  if (counts.ERROR > 0) return EXIT.error;
  if (counts.FAIL > 0) return EXIT.failed;
  return EXIT.passed;
}

/** Cucumber's own config file names (cucumber's locate_file.js), looked for in the working directory. */
const CONFIG_FILES = ['cucumber.js', 'cucumber.cjs', 'cucumber.mjs', 'cucumber.json', 'cucumber.yaml', 'cucumber.yml'];

/** A project without a cucumber config of its own (one that depends on kubeproof) runs with kubeproof's cucumber.mjs. */
function defaultConfigFile(): string | undefined {
  // Relative: cucumber joins the working directory and the file name.
  return CONFIG_FILES.some((f) => existsSync(join(cwd, f))) ? undefined : relative(cwd, join(PACKAGE_ROOT, 'cucumber.mjs'));
}

/** kubeproof's steps and plugins, added to a project's own cucumber config when it does not list them. */
function withKubeproofSupport(config: IRunConfiguration): void {
  const steps = join(PACKAGE_ROOT, 'steps', '**', '*.ts');
  const own = (p: string): boolean => resolve(cwd, p) === steps || (cwd === PACKAGE_ROOT && p === 'steps/**/*.ts');
  const importPaths = (config.support.importPaths ??= []);
  if (!importPaths.some(own)) importPaths.push(steps);
  const plugins = ['exclusive-last-plugin.ts', 'cucumber-js-plugin.ts'].map((f) => pathToFileURL(join(PACKAGE_ROOT, 'src', 'cli', f)).href);
  const listed = (config.plugins?.specifiers ?? []).map((p) => (p.startsWith('.') ? pathToFileURL(resolve(cwd, p)).href : p));
  const missing = plugins.filter((p) => !listed.includes(p));
  if (missing.length) config.plugins = { ...config.plugins, specifiers: [...(config.plugins?.specifiers ?? []), ...missing], options: config.plugins?.options ?? {} };
  // Installed inside node_modules, kubeproof's .ts files need our type-stripping hooks in --parallel workers too.
  const stripTypes = pathToFileURL(join(PACKAGE_ROOT, 'bin', 'strip-types.mjs')).href;
  const loaders = (config.support.loaders ??= []);
  if (PACKAGE_ROOT.split(sep).includes('node_modules') && !loaders.includes(stripTypes)) loaders.push(stripTypes);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`kubeproof: ${err.message}\n`);
      if (err.details) process.stderr.write(`${err.details}\n`);
    } else {
      process.stderr.write(`kubeproof: tooling error: ${(err as Error)?.stack ?? String(err)}\n`);
    }
    process.exitCode = EXIT.error;
  },
);
