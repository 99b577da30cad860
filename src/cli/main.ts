#!/usr/bin/env node
/**
 * `npm run chaos -- …`: parse → check input (features, steps, manifests) → preflight → run cucumber
 * through its JS API → reports → exit code. Bad input stops before the cluster is touched.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSources, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import type { IRunConfiguration, IRunEnvironment, IRunOptions } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { needsNetpolCanary } from '../capabilities.ts';
import type { Capabilities } from '../capabilities.ts';
import { checkManifestDir } from '../cluster/manifests.ts';
import { createKubeClient, currentContextName } from '../cluster/kube-client.ts';
import type { ClusterClient } from '../cluster/types.ts';
import { kindNodeAccess } from '../cluster/kind-access.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import { DEFAULT_JOURNAL_DIR, openScope, registerRun, removeRunIfClean, runDirOf, scopeFiles } from '../journal/journal.ts';
import { runJanitor } from '../journal/janitor.ts';
import { revertScope } from '../journal/revert.ts';
import { UNDOS } from '../registry.ts';
import { generateAllureReport } from '../report/allure.ts';
import { createRunModel } from '../report/run-model.ts';
import { displayUri } from '../util/display-path.ts';
import { formatMs } from '../util/duration.ts';
import { newSeed } from '../util/rng.ts';
import { ensureFixtureImages, ensureLoadImage, ensureOwnCluster, fixturesUsed, targetsOwnCluster } from '../testbed/own-cluster.ts';
import { parseArgs, USAGE } from './args.ts';
import type { ParsedArgs } from './args.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { checkCluster, checkTools, describeCapabilities, measureCapabilities } from './preflight.ts';
import { acquireClusterLock, ClusterBusyError, releaseStaleClusterLock } from '../run/cluster-lock.ts';
import type { HeldLock } from '../run/cluster-lock.ts';
import { basename } from 'node:path';
import { describeFaultStep, describeLoadStep, faultOf, loadGenerator, loadSource, loadStepProblem } from './dry-run.ts';
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
}

/** Runs cucumber in dry-run mode to learn tags and steps of the selected scenarios and find undefined steps. */
async function dryPass(config: IRunOptions, environment: IRunEnvironment): Promise<{ scenarios: PlannedScenario[]; undefinedSteps: string[] }> {
  const envelopes: Envelope[] = [];
  const dryConfig: IRunOptions = {
    ...config,
    runtime: { ...config.runtime, dryRun: true, parallel: 0 },
    formats: { ...config.formats, stdout: 'summary', files: {}, publish: false },
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
      scenarios.set(p.id, { name: p.name, uri: showUri(p.uri), line: lineOf.get(p.astNodeIds[0] ?? '') ?? 0, tags: p.tags.map((t) => t.name), steps: p.steps.map((s) => s.text) });
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
      if (fixture && checkManifestDir(`fixtures/${fixture}/manifests`, cwd)?.includes('invalid')) dirs.add(`fixtures/${fixture}/manifests`);
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
  for (const line of report.skippedLiveRuns) say(`janitor: left alone, still running: ${line}`);
  for (const line of report.actions) say(`janitor: ${line}`);
  for (const line of report.failures) say(`janitor: FAILED ${line}`);
  const lockLine = await releaseStaleClusterLock(client).catch((err: Error) => { report.failures.push(`cluster lock: ${err.message}`); return undefined; });
  if (lockLine) { say(`janitor: ${lockLine}`); report.actions.push(lockLine); }
  if (!report.actions.length && !report.failures.length) say('janitor: nothing to clean');
  return report.failures.length ? EXIT.error : EXIT.passed;
}

/** Replays every pending undo of this run (SIGINT/SIGTERM, or a run that crashed); returns the ones that failed. */
async function revertRun(client: ClusterClient, runDir: string): Promise<string[]> {
  const failed: string[] = [];
  for (const file of scopeFiles(runDir)) {
    const results = await revertScope(UNDOS, { client, nodes: kindNodeAccess }, openScope(runDir, basename(file, '.jsonl')));
    for (const r of results) say(`  ${r.ok ? 'undone' : 'FAILED'}: ${r.message}`);
    failed.push(...results.filter((r) => !r.ok).map((r) => r.message));
  }
  removeRunIfClean(runDir);
  return failed;
}

/** A run that could not undo everything says so last and loudly: what is left, and the command that retries it. */
function reportLeftovers(failed: readonly string[], runDir: string): void {
  if (!failed.length) return;
  say('');
  say(`kubeproof: CLEANUP FAILED — ${failed.length} undo${failed.length === 1 ? '' : 's'} could not be run; the cluster still carries what ${failed.length === 1 ? 'it' : 'they'} should have removed:`);
  for (const f of failed) say(`  - ${f}`);
  say(`  They stay journalled in ${runDir}: run "npm run chaos -- --janitor" to retry them.`);
}

async function main(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  const args = parseArgs(argv);
  if (args.own.help) { process.stdout.write(`${USAGE}\n`); return EXIT.passed; }
  if (args.own.janitor) return janitorMode(args);

  const environment: IRunEnvironment = { cwd, stdout: process.stdout, stderr: process.stderr, env: process.env };
  let runConfiguration: IRunConfiguration;
  try {
    ({ runConfiguration } = await loadConfiguration({ file: args.configFile, profiles: args.profiles, provided: args.cucumber }, environment));
  } catch (err) {
    throw new UsageError(`cannot load the cucumber configuration: ${(err as Error).message}`);
  }
  // CLI paths replace the profile's paths (cucumber 13 would merge them and run both).
  if (args.paths.length) runConfiguration.sources.paths = args.paths;
  givenPaths = args.paths;

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
  // A probe fault that cannot work on what the scenario deploys (an exec probe) is refused up front.
  const probeProblem = probeFaultProblem(dry.scenarios, (text) => faultOf(support, text), cwd);
  if (probeProblem) throw new UsageError(probeProblem);
  const seed = args.own.seed ?? newSeed();
  // A load above the caps is refused before anything runs, dry run included.
  for (const s of dry.scenarios) {
    for (const t of s.steps) {
      const problem = loadStepProblem(support, t);
      if (problem) throw new UsageError(`${s.uri}:${s.line} (${s.name}): ${problem}`);
    }
  }
  // Loads come from this machine on kind, from the cluster beyond it (or as --load-from says).
  const loadFrom = args.own.loadFrom ?? (args.own.allowContext ? 'cluster' : 'host');
  const loadOrigins = new Set(dry.scenarios.flatMap((s) => s.steps.map((t) => loadSource(support, t, loadFrom))));
  if (args.own.dryRun) { printDryRun(dry.scenarios, seed, support, loadFrom); return EXIT.passed; }

  // From here on the cluster is touched.
  const runId = randomBytes(3).toString('hex');
  const journalDir = resolve(cwd, DEFAULT_JOURNAL_DIR);
  const allTags = dry.scenarios.flatMap((s) => s.tags);
  const steps = dry.scenarios.flatMap((s) => s.steps);
  // vegeta runs on this machine only for loads sent from it; in-cluster loads run it in their pods.
  const hostVegeta = steps.some((t) => loadGenerator(support, t) === 'vegeta' && loadSource(support, t, loadFrom) === 'host');
  await checkTools({ vegeta: hostVegeta, k6: steps.some((t) => loadGenerator(support, t) === 'k6'), say });
  // A fresh clone has no cluster yet: our own kind cluster (and the fixtures' images) come up on demand.
  if (targetsOwnCluster(args.own.context, currentContextName())) {
    try {
      await ensureOwnCluster(cwd, say);
      for (const fixture of fixturesUsed(dry.scenarios.flatMap((s) => s.steps), cwd)) await ensureFixtureImages(fixture, cwd, say);
      if (loadOrigins.has('cluster')) await ensureLoadImage(cwd, say);
    } catch (err) {
      throw new UsageError(`could not prepare the kind cluster "kubeproof": ${(err as Error).message} (output above; retry with: npm run cluster:up)`);
    }
  }
  let client: ClusterClient;
  try {
    client = createKubeClient(args.own.context);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const runDir = runDirOf(journalDir, runId);
  // The run's own scope (canary namespace) is opened only once preflight passed: a rejected run leaves no journal.
  let runScope: ScopeJournal | undefined;
  const needs = {
    allowContext: args.own.allowContext, netpolCanary: needsNetpolCanary(allTags), vegeta: false, runId,
    onCanaryNamespace: (name: string) => { runScope?.record('namespace.delete', { name }, `delete namespace ${name}`); },
  };
  const version = await checkCluster(client, needs);
  // One run at a time per cluster (a Lease in kubeproof-system): two runs' faults must never interleave.
  let lock: HeldLock;
  try {
    lock = await acquireClusterLock(client, { runId, purpose: process.env.KUBEPROOF_RUN_PURPOSE ?? 'npm run chaos' }, {
      waitMs: args.own.lockWaitMs, say, onLost: (why) => say(`warning: ${why}; its faults may now interleave with this run's`),
    });
  } catch (err) {
    if (err instanceof ClusterBusyError) throw new UsageError(err.message);
    throw err;
  }
  registerRun(journalDir, { runId, context: client.contextName, startedAt: new Date().toISOString(), seed });
  runScope = openScope(runDir, 'run');
  say(`kubeproof run ${runId}: context ${client.contextName} (Kubernetes ${version}), seed ${seed} (replay with --seed ${seed}), ${dry.scenarios.length} scenario${dry.scenarios.length === 1 ? '' : 's'}`);
  const capabilities: Capabilities = await measureCapabilities(client, needs);
  await revertScope(UNDOS, { client, nodes: kindNodeAccess }, runScope);
  describeCapabilities(capabilities).forEach((l) => say(l));

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    say(`\n${signal}: undoing journalled faults of run ${runId} before exiting…`);
    // Undo first (the cluster matters more than the report), then build whatever report the results allow.
    void revertRun(client, runDir)
      .then((failed) => lock.release().then(() => failed))
      .then((failed) => generateAllureReport(cwd, 'reports/allure-results').then((f) => say(`partial report: ${f}`), () => {}).then(() => reportLeftovers(failed, runDir)))
      .finally(() => process.exit(EXIT.error));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // A fresh report per run; a class's grades (npm run grade) are the teacher's and survive other runs.
  for (const entry of existsSync(resolve(cwd, 'reports')) ? readdirSync(resolve(cwd, 'reports')) : []) {
    if (entry !== 'grades') rmSync(resolve(cwd, 'reports', entry), { recursive: true, force: true });
  }
  runConfiguration.runtime.worldParameters = {
    ...runConfiguration.runtime.worldParameters,
    runId, seed, context: client.contextName, journalDir, keep: args.own.keep, cwd, capabilities, loadFrom,
  } as unknown as typeof runConfiguration.runtime.worldParameters;
  runConfiguration.formats.options = {
    ...runConfiguration.formats.options,
    environmentInfo: { ...(runConfiguration.formats.options.environmentInfo as object), kubeContext: client.contextName, kubernetes: version, seed: String(seed), runId },
    kubeproofFeaturePaths: [...givenPaths],
  };
  const model = createRunModel({ displayUri: showUri });
  let runError: unknown;
  try {
    await runCucumber({ ...runConfiguration, support }, environment, (e) => model.ingest(e));
  } catch (err) {
    runError = err;
  }
  // Safety net: anything a crashed After hook (or a failed undo) left pending is retried here.
  const leftovers = await revertRun(client, runDir);
  await lock.release();

  let allure = '';
  try {
    allure = await generateAllureReport(cwd, 'reports/allure-results');
  } catch (err) {
    say(`warning: the Allure report could not be generated: ${(err as Error).message}`);
  }
  const counts = model.counts();
  const total = model.results().length;
  say('');
  say(`kubeproof: ${total} scenario${total === 1 ? '' : 's'} — ${counts.PASS} PASS, ${counts.FAIL} FAIL, ${counts.INCONCLUSIVE} INCONCLUSIVE, ${counts.ERROR} ERROR  (seed ${seed}, run ${runId}, ${formatMs(performance.now() - started)})`);
  for (const r of model.results().filter((x) => x.verdict === 'INCONCLUSIVE')) say(`  INCONCLUSIVE ${r.name}: ${r.message}`);
  say(`reports: ${[allure, 'reports/cucumber-report.html', 'reports/junit.xml', 'reports/messages.ndjson'].filter(Boolean).join(', ')}`);
  reportLeftovers(leftovers, runDir);
  if (runError) { say(`error: ${(runError as Error).message}`); return EXIT.error; }
  // A run that left the cluster changed is a tooling error, whatever the scenarios said.
  if (leftovers.length) return EXIT.error;
  if (model.hookErrors().length) { say(`error: ${model.hookErrors()[0]}`); return EXIT.error; }
  if (counts.ERROR > 0) return EXIT.error;
  if (counts.FAIL > 0) return EXIT.failed;
  return EXIT.passed;
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
