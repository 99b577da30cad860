/**
 * Starting a run, the same for both entry points (`npm run chaos` and plain `cucumber-js`): tools,
 * the kind cluster (brought up on demand, or refused), reachability and context safety, the cluster
 * lock, the run's journal, capabilities — then the world parameters every scenario gets. Problems
 * that make the run impossible throw UsageError (one line).
 */
import { randomBytes } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { needsNetpolCanary } from '../capabilities.ts';
import type { Capabilities, Needs } from '../capabilities.ts';
import { createKubeClient, currentContextName } from '../cluster/kube-client.ts';
import { kindNodeAccess } from '../cluster/kind-access.ts';
import type { ClusterClient } from '../cluster/types.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import { DEFAULT_JOURNAL_DIR, openScope, registerRun, removeRunIfClean, runDirOf, scopeFiles } from '../journal/journal.ts';
import { revertScope } from '../journal/revert.ts';
import { UNDOS } from '../registry.ts';
import { ensureFixtureImages, ensureLoadImage, ensureOwnCluster, fixturesUsed, loadImageMissing, missingFixtureImages, ownClusterNodes, targetsOwnCluster } from '../testbed/own-cluster.ts';
import { newSeed } from '../util/rng.ts';
import { UsageError } from '../util/usage-error.ts';
import { acquireClusterLock, ClusterBusyError } from './cluster-lock.ts';
import type { HeldLock } from './cluster-lock.ts';
import { checkCluster, checkTools, describeCapabilities, measureCapabilities } from './preflight.ts';
import { probeHost } from './host-probe.ts';
import type { HostProbe } from './host-probe.ts';

/** World parameters of a started run: what every scenario gets (scenario.ts's RunParameters plus the capabilities). */
export interface RunWorldParameters {
  runId: string;
  seed: number;
  context: string;
  journalDir: string;
  keep: boolean;
  cwd: string;
  capabilities: Capabilities;
  /** How to replay this run's victim choices with the entry point that started it, e.g. "--seed 42". */
  replay: string;
  /** Where loads without their own `from …` come from. */
  loadFrom: 'host' | 'cluster';
}

/** A selected scenario, as far as starting the run cares. */
export interface SelectedScenario {
  tags: readonly string[];
  steps: readonly string[];
  needs: Needs;
}

/** What the caller asks for. */
export interface RunRequest {
  /** The project's directory: features, manifests, reports and the journal live here. */
  cwd: string;
  context: string | undefined;
  allowContext: boolean;
  seed: number | undefined;
  keep: boolean;
  journalDir?: string | undefined;
  scenarios: readonly SelectedScenario[];
  /** The load generators the selected scenarios' steps need (step-facts.ts loadToolsOf): found, or the run is refused; in-cluster loads need the load image. */
  loadTools: { vegeta: boolean; k6: boolean; inCluster?: boolean };
  /** Where loads without their own `from …` come from (--load-from; default this machine). */
  loadFrom?: 'host' | 'cluster' | undefined;
  /** `create`: bring our kind cluster and the fixtures' images up when missing (our CLI); `refuse`: say how, in one line. */
  provision: 'create' | 'refuse';
  /** How to replay this run's seed with this entry point, e.g. "--seed 42". */
  replayHint: (seed: number) => string;
  /** What the run is, for whoever waits for the cluster lock ("npm run chaos", "cucumber-js"). */
  purpose: string;
  /** How long to wait for another run's cluster lock (default: the lock's own, 30 minutes). */
  lockWaitMs?: number | undefined;
  /** Capabilities the user lowers or raises on purpose (world parameter `capabilities`), already validated. */
  capabilityOverrides?: CapabilityOverrides | undefined;
  say: (line: string) => void;
  /** Host probes started earlier (npm run chaos starts them with its command line); else started here. */
  host?: HostProbe | undefined;
}

/** A run that passed preflight. */
export interface StartedRun {
  parameters: RunWorldParameters;
  client: ClusterClient;
  version: string;
  runDir: string;
  /** The cluster lock (one run at a time per cluster): release it once the run's faults are undone. */
  lock: HeldLock;
}

/** Capability values a user may set through the world parameter `capabilities` (e.g. to see how a suite behaves on one worker). */
export interface CapabilityOverrides {
  workers?: number;
  metrics?: boolean;
  netpol?: 'enforced' | 'not-enforced' | 'unknown';
  nodeLossEvictionS?: number;
}

/**
 * Validates the world parameter `capabilities`.
 * @throws UsageError naming the bad key
 */
export function parseCapabilityOverrides(value: unknown): CapabilityOverrides | undefined {
  if (value === undefined) return undefined;
  const known = 'workers (whole number), metrics (true/false), netpol ("enforced", "not-enforced", "unknown"), nodeLossEvictionS (seconds)';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`world parameter "capabilities" must be an object with any of: ${known}`);
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    const ok = key === 'workers' || key === 'nodeLossEvictionS' ? Number.isInteger(v) && (v as number) >= 0
      : key === 'metrics' ? typeof v === 'boolean'
        : key === 'netpol' ? ['enforced', 'not-enforced', 'unknown'].includes(v as string) : false;
    if (!ok) throw new UsageError(`world parameter "capabilities.${key}" ${['workers', 'nodeLossEvictionS', 'metrics', 'netpol'].includes(key) ? `has a bad value ${JSON.stringify(v)}` : 'is unknown'}; use any of: ${known}`);
  }
  return o as CapabilityOverrides;
}

/** Measured capabilities with the user's overrides applied, and one line per overridden value. */
export function applyCapabilityOverrides(measured: Capabilities, o: CapabilityOverrides | undefined): { capabilities: Capabilities; notes: string[] } {
  if (!o) return { capabilities: measured, notes: [] };
  const c: Capabilities = { ...measured };
  const notes: string[] = [];
  const why = 'set by the world parameter "capabilities"';
  if (o.workers !== undefined) { c.workers = o.workers; notes.push(`workers ${o.workers} (measured ${measured.workers})`); }
  if (o.metrics !== undefined) { c.metrics = { ok: o.metrics, detail: why }; notes.push(`metrics API ${o.metrics ? 'yes' : 'no'} (measured ${measured.metrics.ok ? 'yes' : 'no'})`); }
  if (o.netpol !== undefined) { c.netpol = { state: o.netpol, detail: why }; notes.push(`NetworkPolicy ${o.netpol} (measured ${measured.netpol.state})`); }
  if (o.nodeLossEvictionS !== undefined) {
    c.nodeLoss = { evictionAfterS: o.nodeLossEvictionS, detail: why };
    notes.push(`node loss eviction ${o.nodeLossEvictionS}s (measured ${measured.nodeLoss?.evictionAfterS ?? '?'}s)`);
  }
  return { capabilities: c, notes };
}

/** Preflight, journal and capabilities; returns the world parameters. Throws UsageError (one line) when the run cannot start. */
export async function startRun(req: RunRequest): Promise<StartedRun> {
  const needs = req.scenarios.map((s) => s.needs);
  const host = req.host ?? probeHost();
  await checkTools({ vegeta: req.loadTools.vegeta, k6: req.loadTools.k6, say: req.say, host });
  if (targetsOwnCluster(req.context, currentContextName())) await provisionOwnCluster(req, host.ownNodes);
  let client: ClusterClient;
  try {
    client = createKubeClient(req.context);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const runId = randomBytes(3).toString('hex');
  const seed = req.seed ?? newSeed();
  const journalDir = resolve(req.cwd, req.journalDir ?? DEFAULT_JOURNAL_DIR);
  const runDir = runDirOf(journalDir, runId);
  // The run's own scope (canary namespace) is opened only once preflight passed: a rejected run leaves no journal.
  let runScope: ScopeJournal | undefined;
  const preflight = {
    allowContext: req.allowContext, netpolCanary: needsNetpolCanary(needs), vegeta: req.loadTools.vegeta, runId,
    onCanaryNamespace: (name: string) => { runScope?.record('namespace.delete', { name }, `delete namespace ${name}`); },
  };
  const version = await checkCluster(client, preflight);
  // One run at a time per cluster (a Lease in kubeproof-system): two runs' faults must never interleave.
  let lock: HeldLock;
  try {
    lock = await acquireClusterLock(client, { runId, purpose: req.purpose }, {
      ...(req.lockWaitMs !== undefined ? { waitMs: req.lockWaitMs } : {}),
      say: req.say, onLost: (why) => req.say(`warning: ${why}; its faults may now interleave with this run's`),
    });
  } catch (err) {
    if (err instanceof ClusterBusyError) throw new UsageError(err.message);
    throw err;
  }
  registerRun(journalDir, { runId, context: client.contextName, startedAt: new Date().toISOString(), seed });
  runScope = openScope(runDir, 'run');
  const n = req.scenarios.length;
  const replay = req.replayHint(seed);
  req.say(`kubeproof run ${runId}: context ${client.contextName} (Kubernetes ${version}), seed ${seed} (replay with ${replay}), ${n} scenario${n === 1 ? '' : 's'}`);
  const measured = await measureCapabilities(client, preflight);
  await revertScope(UNDOS, { client, nodes: kindNodeAccess }, runScope);
  const { capabilities, notes } = applyCapabilityOverrides(measured, req.capabilityOverrides);
  describeCapabilities(capabilities).forEach((l) => req.say(l));
  if (notes.length) req.say(`  overridden:     ${notes.join(', ')}`);
  return { parameters: { runId, seed, context: client.contextName, journalDir, keep: req.keep, cwd: req.cwd, capabilities, replay, loadFrom: req.loadFrom ?? 'host' }, client, version, runDir, lock };
}

/** Our own kind cluster: brought up (CLI) or its absence refused in one line (cucumber-js). */
async function provisionOwnCluster(req: RunRequest, listedNodes: Promise<string[]>): Promise<void> {
  const fixtures = fixturesUsed(req.scenarios.flatMap((s) => s.steps), req.cwd);
  if (req.provision === 'refuse') {
    const nodes = await ownClusterNodes(listedNodes);
    if (nodes.missing > 0) {
      throw new UsageError(`the kind cluster "kubeproof" is not running (${nodes.running}/${nodes.running + nodes.missing} nodes); start it with npm run cluster:up, or use npm run chaos, which brings it up`);
    }
    for (const fixture of fixtures) {
      const missing = await missingFixtureImages(fixture, req.cwd);
      if (missing.length) throw new UsageError(`fixture "${fixture}" needs ${missing.join(', ')} in the cluster; load them with npm run images:build, or use npm run chaos, which does it`);
    }
    if (req.loadTools.inCluster && await loadImageMissing()) {
      throw new UsageError('an in-cluster load needs the load image in the cluster; build and load it with npm run images:build, or use npm run chaos, which does it');
    }
    return;
  }
  try {
    await ensureOwnCluster(req.say, listedNodes);
    for (const fixture of fixtures) await ensureFixtureImages(fixture, req.cwd, req.say);
    if (req.loadTools.inCluster) await ensureLoadImage(req.say);
  } catch (err) {
    throw new UsageError(`could not prepare the kind cluster "kubeproof": ${(err as Error).message} (output above; retry with: npm run cluster:up)`);
  }
}

/**
 * Replays every pending undo of the run in `runDir` (all scopes), then removes its journal when nothing is
 * left. Returns the undos that failed (they stay journalled for --janitor).
 */
export async function revertRun(client: ClusterClient, runDir: string, say: (line: string) => void): Promise<string[]> {
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
export function reportLeftovers(failed: readonly string[], runDir: string, say: (line: string) => void): void {
  if (!failed.length) return;
  say('');
  say(`kubeproof: CLEANUP FAILED — ${failed.length} undo${failed.length === 1 ? '' : 's'} could not be run; the cluster still carries what ${failed.length === 1 ? 'it' : 'they'} should have removed:`);
  for (const f of failed) say(`  - ${f}`);
  say(`  They stay journalled in ${runDir}: run "npm run chaos -- --janitor" to retry them.`);
}
