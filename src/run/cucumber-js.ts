/**
 * A run started by plain `cucumber-js` (or cucumber's JS API) instead of `npm run chaos`: the same
 * preflight, journal, capabilities and world parameters, prepared once per run by a BeforeAll hook on
 * the coordinator (steps/hooks.ts), handed to `--parallel` workers through a file (worker threads do not
 * share module state, and their environment is copied before any hook runs), undone by an AfterAll hook
 * and on SIGINT/SIGTERM. Our cucumber plugin (src/cli/cucumber-plugin.ts) records which scenarios were
 * selected (hooks never see that) and prints the summary and the Allure report at the end.
 *
 * Our CLI prepares its runs itself and marks the process (`markDrivenByCli`): then all of this stands down.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClusterClient } from '../cluster/types.ts';
import type { HeldLock } from './cluster-lock.ts';
import { UsageError } from '../util/usage-error.ts';
import { parseCapabilityOverrides, reportLeftovers, revertRun, startRun } from './start-run.ts';
import type { RunWorldParameters } from './start-run.ts';
import { scenarioNeeds } from './needs.ts';
import { definitionsOfBuilder, loadStepProblem, loadToolsOf } from './step-facts.ts';

/** A selected scenario as our plugin records it (from cucumber's pickles). */
export interface RecordedScenario {
  name: string;
  uri: string;
  tags: readonly string[];
  steps: readonly string[];
}

/** The cucumber-js run of this process, once prepared. */
export interface CucumberJsRun {
  parameters: RunWorldParameters;
  client: ClusterClient;
  runDir: string;
  lock: HeldLock;
  startedAt: number;
}

/** How long a cucumber-js run waits for another run's cluster lock (our CLI: --lock-wait, default 30 minutes). */
export const CUCUMBER_JS_LOCK_WAIT_MS = 25 * 60_000;

/** Budget of the BeforeAll that prepares a cucumber-js run: waiting for the cluster lock, preflight, the NetworkPolicy canary when a scenario needs it. */
export const PREPARE_RUN_TIMEOUT_MS = CUCUMBER_JS_LOCK_WAIT_MS + 300_000;

let drivenByCli = false;
let selection: readonly RecordedScenario[] | undefined;
let current: CucumberJsRun | undefined;
let removeSignalHandlers: (() => void) | undefined;

const say = (line: string): void => { process.stderr.write(`${line}\n`); };

/** Our CLI prepares the run itself: the cucumber-js hooks and plugin stand down in this process. */
export function markDrivenByCli(): void {
  drivenByCli = true;
}

/** Whether our CLI drives cucumber in this process. */
export function isDrivenByCli(): boolean {
  return drivenByCli;
}

/** Records the scenarios cucumber selected (called by our plugin, before any hook runs). */
export function recordSelection(scenarios: readonly RecordedScenario[]): void {
  selection = scenarios;
}

/** The prepared cucumber-js run of this process, if any. */
export function currentCucumberJsRun(): CucumberJsRun | undefined {
  return current;
}

/** World parameters that only our CLI can act on, with the command to use instead. */
const CLI_ONLY: Record<string, string> = {
  janitor: 'cleaning up after killed runs is not a test run: use npm run chaos -- --janitor (or npx kubeproof --janitor)',
  dryRun: 'use cucumber-js --dry-run, or npm run chaos -- --dry-run to also see the faults and targets',
  runId: 'the run id is chosen by kubeproof for each run',
};

/** The file through which the coordinator hands the prepared world parameters to this process's worker threads. */
export function publishedRunFile(cwd: string, pid = process.pid): string {
  return join(cwd, '.kubeproof', `cucumber-js-run-${pid}.json`);
}

/**
 * BeforeAll on the coordinator: preflight, journal and capabilities for a plain cucumber-js run; fills
 * `parameters` (the object cucumber hands to every World of this thread) with the run's world parameters.
 * @param builder cucumber's `supportCodeLibraryBuilder` (the step definitions tell what each scenario needs)
 * @throws UsageError (one line) when the run cannot start
 */
export async function prepareCucumberJsRun(parameters: Record<string, unknown>, builder: unknown): Promise<void> {
  if (drivenByCli) return;
  for (const key of Object.keys(CLI_ONLY)) {
    if (key in parameters) throw oneLine(new UsageError(`world parameter "${key}" is not for cucumber-js: ${CLI_ONLY[key]}`));
  }
  if (!selection) {
    throw oneLine(new UsageError('kubeproof\'s cucumber plugin is not loaded, so the selected scenarios are unknown: keep its "plugin" entry from kubeproof\'s cucumber.mjs, or run npm run chaos'));
  }
  if (selection.length === 0) return; // nothing to run (our plugin said so): no preflight, no journal
  try {
    const definitions = definitionsOfBuilder(builder);
    const cwd = typeof parameters.cwd === 'string' ? parameters.cwd : process.cwd();
    // A load above the caps (or a missing k6 script) is refused before the cluster is touched, as npm run chaos does.
    for (const s of selection) {
      for (const t of s.steps) {
        const problem = loadStepProblem(definitions, t, cwd);
        if (problem) throw new UsageError(`${s.uri} (${s.name}): ${problem}`);
      }
    }
    const loadFrom = parameters.loadFrom === 'cluster' || (parameters.loadFrom === undefined && parameters.allowContext === true) ? 'cluster' : 'host';
    const started = await startRun({
      cwd,
      context: typeof parameters.context === 'string' ? parameters.context : undefined,
      allowContext: parameters.allowContext === true,
      seed: seedOf(parameters.seed),
      keep: parameters.keep === true,
      journalDir: typeof parameters.journalDir === 'string' ? parameters.journalDir : undefined,
      scenarios: selection.map((s) => ({ tags: s.tags, steps: s.steps, needs: scenarioNeeds(s.tags, s.steps, definitions) })),
      loadTools: loadToolsOf(definitions, selection.flatMap((s) => s.steps), loadFrom), loadFrom,
      provision: 'refuse',
      replayHint: (seed) => `--world-parameters '{"seed":${seed}}'`,
      purpose: process.env.KUBEPROOF_RUN_PURPOSE ?? 'cucumber-js',
      lockWaitMs: CUCUMBER_JS_LOCK_WAIT_MS,
      capabilityOverrides: parseCapabilityOverrides(parameters.capabilities),
      say,
    });
    Object.assign(parameters, started.parameters);
    const file = publishedRunFile(cwd);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(started.parameters));
    current = { parameters: started.parameters, client: started.client, runDir: started.runDir, lock: started.lock, startedAt: performance.now() };
    removeSignalHandlers = onSignalsUndo(current);
  } catch (err) {
    throw err instanceof UsageError ? oneLine(err) : err;
  }
}

/** BeforeAll on a `--parallel` worker: takes over the world parameters the coordinator prepared. */
export function adoptPublishedRun(parameters: Record<string, unknown>): void {
  if (typeof parameters.runId === 'string') return; // prepared already (our CLI passes complete world parameters)
  const file = publishedRunFile(typeof parameters.cwd === 'string' ? parameters.cwd : process.cwd());
  // No file: our CLI drives the run (its world parameters are complete), or the coordinator's preflight
  // failed (cucumber then runs no scenario and our plugin prints why).
  if (!existsSync(file)) return;
  Object.assign(parameters, JSON.parse(readFileSync(file, 'utf8')) as RunWorldParameters);
}

/** AfterAll on the coordinator: undoes whatever a crashed After hook left pending, frees the cluster lock and forgets the run's hand-over file. */
export async function finishCucumberJsRun(): Promise<void> {
  if (!current) return;
  removeSignalHandlers?.();
  rmSync(publishedRunFile(current.parameters.cwd), { force: true });
  const leftovers = await revertRun(current.client, current.runDir, say);
  await current.lock.release();
  reportLeftovers(leftovers, current.runDir, say);
}

function seedOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw oneLine(new UsageError(`world parameter "seed" must be a whole number, got ${JSON.stringify(value)}`));
}

/** Cucumber prints a hook's error with its stack; ours is one line, like our CLI's. */
function oneLine(err: UsageError): UsageError {
  err.stack = `${err.name}: ${err.message}`;
  return err;
}

/**
 * Ctrl-C or a kill under cucumber-js (which has no handler of its own and would just die): undo the
 * run's journalled faults first, then exit 130 (SIGINT) or 143 (SIGTERM). A SIGKILL cannot be caught:
 * `npm run chaos -- --janitor` replays what such a run left.
 */
function onSignalsUndo(run: CucumberJsRun): () => void {
  let interrupted = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    say(`\n${signal}: undoing journalled faults of run ${run.parameters.runId} before exiting…`);
    rmSync(publishedRunFile(run.parameters.cwd), { force: true });
    void revertRun(run.client, run.runDir, say).then(() => run.lock.release()).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); };
}
