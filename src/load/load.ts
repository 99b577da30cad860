/**
 * The load of one scenario: vegeta sends an open-model, constant-rate (or staged) load from this machine
 * to a Service's NodePort on 127.0.0.1; every result lands in a bounded recorder; judgements read the
 * phases from the timeline — before the fault, during it, after recovery, during a rollout or a scale —
 * and a judgement that would pass on a saturated generator is INCONCLUSIVE, never PASS.
 */
import type { StepDuration } from '../conditions/expect.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, InconclusiveError, InputError, KubeproofError } from '../failure/failure.ts';
import { defineUndo } from '../journal/undo.ts';
import { serviceCause } from '../cluster/causes.ts';
import { checkSteadyState } from '../conditions/steady-state.ts';
import { formatMs, formatOffset } from '../util/duration.ts';
import { PACKAGE_ROOT } from '../util/package-root.ts';
import { progressLine } from '../util/progress.ts';
import { judgeGenerator } from './honesty.ts';
import { findK6, K6_MISSING, K6ThresholdError, runK6Script } from './k6-script.ts';
import { createLoadPlan, describePlan, hostTargetUrl, LOAD_LIMITS, parseStageTable } from './plan.ts';
import type { LoadPlan } from './plan.ts';
import { createLoadRecorder } from './recorder.ts';
import type { LoadRecorder, LoadStats } from './recorder.ts';
import { wallClockToOffset } from './sample.ts';
import { loadStopParams, LOAD_STOP_UNDO_KIND, stopLoadProcesses } from './stop-processes.ts';
import { describeLoadStats, formatLoadSummary, formatProgress } from './summary.ts';
import { checkLoadLabels, clusterServiceHost, deleteLoadJob, loadPods, parseLabels, startClusterLoad } from './in-cluster.ts';
import type { ClusterLoadOptions } from './in-cluster.ts';
import { resolveHostTarget, servicePortOf } from './target.ts';
import type { LoadPhase } from './summary.ts';
import { defaultVegetaLookup, resolveVegeta } from './vegeta-binary.ts';
import type { VegetaResolution } from './vegeta-binary.ts';
import { startVegetaLoad } from './vegeta-runner.ts';
import type { LoadRun, LoadRunEnd, VegetaLoadOptions } from './vegeta-runner.ts';
import type { ProcessIdentity } from '../util/exec.ts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

/** Where the load comes from: vegeta, found and started; injectable so unit tests drive the recorder themselves. */
export interface LoadEngine {
  find(repoDir: string): Promise<VegetaResolution>;
  /** Milliseconds until `url` first gave any HTTP answer, or undefined if none came within `timeoutMs`. */
  firstAnswer(url: string, timeoutMs: number): Promise<number | undefined>;
  start(options: VegetaLoadOptions): Promise<LoadRun>;
  /** k6 on PATH, if any (only a user's own k6 script needs it). */
  findK6(): string | undefined;
  /** A user's own k6 script instead of vegeta (its schedule is the script's; see k6-script.ts). */
  startK6(options: K6StartOptions): Promise<K6Run>;
  /** In-cluster mode: a Job of vegeta pods (in-cluster.ts). */
  startInCluster(options: ClusterLoadOptions): Promise<LoadRun>;
}

/** What {@link LoadEngine.startK6} needs. */
export interface K6StartOptions {
  script: string;
  port: number;
  recorder: LoadRecorder;
  offsetNow: () => number;
  toOffset: (wallMs: number) => number;
  /** Journal the undo here: k6 starts when it returns. */
  beforeStart: (processes: readonly ProcessIdentity[]) => void;
}

/** A k6 run seen as a load run, plus why it failed (thresholds → FAIL, anything else → ERROR). */
export interface K6Run extends LoadRun {
  failure(): KubeproofError | undefined;
}

/** Runs a k6 script in the background; resolves once k6 runs (or rejects when it could not start). */
async function startK6(o: K6StartOptions): Promise<K6Run> {
  let processes: ProcessIdentity[] = [];
  let failure: KubeproofError | undefined;
  let began: () => void = () => {};
  const started = new Promise<void>((res) => { began = res; });
  const startedT = o.offsetNow();
  const outFile = join(tmpdir(), `kubeproof-k6-${process.pid}-${Math.round(startedT)}.json`);
  const result = runK6Script({ script: o.script, port: o.port, recorder: o.recorder, toOffset: o.toOffset, outFile, beforeStart: (p) => { processes = [...p]; o.beforeStart(p); began(); } });
  await Promise.race([started, result.then(() => undefined)]);
  const end = (outcome: LoadRunEnd['outcome'], notes: string[]): LoadRunEnd => ({ outcome, startedT, endedT: o.offsetNow(), stagesStarted: 1, undecodable: 0, notes });
  const done = result.then(
    (r) => end('completed', [`k6 recorded ${r.samples} requests`]),
    (err: unknown) => {
      failure = err instanceof KubeproofError ? err : new KubeproofError('error', `k6 failed: ${(err as Error).message}`);
      return end(err instanceof K6ThresholdError ? 'completed' : 'failed', [failure.message]);
    },
  );
  return {
    startedT,
    processes: () => processes,
    done,
    async stop() {
      await stopLoadProcesses(loadStopParams(processes));
      return done;
    },
    failure: () => failure,
  };
}

/** One GET every 250 ms (each allowed 1 s) until any HTTP status comes back. */
async function firstAnswer(url: string, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000), redirect: 'manual' });
      await res.body?.cancel();
      return performance.now() - started;
    } catch { /* not answering yet */ }
    await new Promise((res) => setTimeout(res, 250));
  }
  return undefined;
}

/** The real engine. */
export const VEGETA_ENGINE: LoadEngine = {
  find: (repoDir) => resolveVegeta(defaultVegetaLookup({ repoDir })),
  firstAnswer,
  findK6: () => findK6(),
  startK6,
  start: startVegetaLoad,
  startInCluster: startClusterLoad,
};

/**
 * How long a load waits for its target's first answer before it starts. A NodePort answers on 127.0.0.1
 * only once kube-proxy has programmed it (and docker's port forward resets connections until then); a
 * Service created a moment ago would otherwise open the load with failures that are no one's lesson.
 */
const FIRST_ANSWER_WAIT_MS = 30_000;

/** Stops the vegeta processes a load started (only those very processes; see stop-processes.ts). */
export const stopLoad = defineUndo<Record<string, unknown>>(LOAD_STOP_UNDO_KIND, (_deps, params) => stopLoadProcesses(params));

/** Fewer requests than this in a judged phase cannot tell 1 % from 0 %: the judgement says so instead of passing. */
export const MIN_REQUESTS_PER_PHASE = 10;
/** More failures than this share before the fault is no steady state. */
const STEADY_MAX_ERROR_RATE = 0.05;
/** k6's default per-request timeout (60 s): its answers settle no sooner. */
const K6_REQUEST_TIMEOUT_MS = 60_000;
/** How often a long load prints its progress. */
const PROGRESS_EVERY_MS = 10_000;
/** How often settled seconds of the load go onto the timeline (the HPA diagnosis and the chart read them). */
const SECONDS_EVERY_MS = 1_000;

/** What to look at when requests of a phase fail. */
const PHASE_HINTS: Record<LoadPhaseName, string> = {
  'during the rollout': 'requests fail during a rollout when pods leave before others are ready (maxUnavailable, Recreate) or receive traffic before they can answer (readiness probe)',
  'during the scale': 'requests fail during a scale when new pods receive traffic before they can answer (readiness probe) or leaving pods drop requests in flight (graceful shutdown, preStop)',
  'after recovery': 'failures after recovery come from pods that are Ready but do not answer (readiness probe too lax?) or a Service that selects the wrong pods: look at the endpoints',
  'during the fault': 'requests fail during a fault while the Service still sends traffic to pods that are gone or not ready: more replicas on more nodes, a readiness probe, a PodDisruptionBudget',
  'before the fault': 'requests failed before any fault: fix the system first, a fault proves nothing about a system that is already failing',
  'during the load': 'look at the error kinds: connection refused / reset means no pod (or a stray one) took the request, timeouts mean pods too slow or gone, HTTP 5xx come from the app',
};

/** What a load step asks for. */
export interface LoadRequest {
  service: string;
  /** The Service's port to load (its first when absent). */
  port?: number;
  path?: string;
  /** In-cluster load (a Job of vegeta pods) instead of this machine: how many pods, and labels they carry ("k=v,k2=v2"). */
  from?: { pods?: number; labels?: string };
  rate?: number;
  duration?: StepDuration;
  /** Gherkin table rows `| rate | for |`, header first. */
  stages?: readonly (readonly string[])[];
  /** A user's k6 script (path from the project root) instead of vegeta's constant rate. */
  k6Script?: string;
}

/** The plan of a request (without its Service's port, which only the cluster knows): throws the LoadInputError a step would. */
export function planOf(request: LoadRequest, port: number): LoadPlan {
  return createLoadPlan({ port, path: request.path, ...(request.stages ? { stages: parseStageTable(request.stages) } : { rate: request.rate, durationMs: request.duration?.ms }) });
}

/**
 * Checks what a load step says before the cluster is touched (rate and duration within the caps, a path
 * starting with "/"); a staged load's table is checked when it runs. Returns the one-line reason, or undefined.
 */
export function loadRequestProblem(request: LoadRequest, cwd = process.cwd()): string | undefined {
  if (request.k6Script !== undefined) {
    return existsSync(resolve(cwd, request.k6Script)) ? undefined : `the k6 script "${request.k6Script}" does not exist (paths are relative to ${cwd})`;
  }
  if (!request.stages && request.rate === undefined) return undefined;
  try {
    const plan = planOf(request, 1);
    if (request.from?.labels !== undefined) parseLabels(request.from.labels);
    if (request.from) loadPods(plan, request.from.pods);
    return undefined;
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
}

/** The phases a judgement can name. */
export type LoadPhaseName = 'after recovery' | 'during the load' | 'during the fault' | 'before the fault' | 'during the rollout' | 'during the scale';

/** Load steps' entry points. */
export interface LoadOps {
  start(request: LoadRequest): Promise<string>;
  /** "When the load stops": ends it early; judgements use what was sent. */
  stop(): Promise<string>;
  /** The error rate of a phase is below `maxPercent` (0: no request fails); `service`, when given, must be the one under load. */
  expectErrorRate(phase: LoadPhaseName, maxPercent: number, service?: string): Promise<string>;
  expectP95(phase: LoadPhaseName, maxMs: number): Promise<string>;
  /** "the load is steady for T": the last T of load before any fault answers (the baseline a fault is judged against). */
  expectSteady(window: StepDuration): Promise<string>;
  /** "the k6 thresholds pass": waits for the user's k6 script to end; its failed thresholds FAIL. */
  expectK6Thresholds(): Promise<string>;
  /** Scenario end: stops the load, puts its per-second series on the timeline, returns the summary. */
  finish(): Promise<string | undefined>;
}

interface Running {
  service: string;
  /** vegeta's plan; for a k6 script a plan without stages (the script owns its schedule). */
  plan: LoadPlan;
  k6?: K6Run;
  /** How the summary names the load when it is not vegeta's plan (a k6 script). */
  describe?: string;
  target: string;
  recorder: LoadRecorder;
  run: LoadRun;
  end: LoadRunEnd | undefined;
  ticker: ReturnType<typeof setInterval>;
  /** Seconds before this offset are on the timeline as load.second entries. */
  recordedUntilT: number;
}

/** Builds the load operations of one scenario. */
export function createLoadOps(deps: ScenarioDeps, engine: LoadEngine = VEGETA_ENGINE): LoadOps {
  const { timeline, client, view } = deps;
  let current: Running | undefined;

  /** Puts the load's seconds before `untilT` on the timeline, once each (a second is settled once its requests' timeout has passed). */
  const recordSeconds = (r: Running, untilT: number): void => {
    // Relative to the load.started entry, which is what the chart places the seconds from.
    const startT = timeline.last('load.started', (e) => e.target === r.target)?.t ?? r.run.startedT;
    for (const s of r.recorder.series(r.recordedUntilT, untilT)) {
      if (s.t + 1000 > untilT) break;
      // The second's position from the load's start (a fraction: seconds are aligned to the timeline, not the load).
      timeline.record({ kind: 'load.second', target: r.target, second: Math.round(s.t - startT) / 1000, requests: s.requests, errors: s.errors, ...(s.p95Ms !== undefined ? { p95Ms: s.p95Ms } : {}) });
      r.recordedUntilT = s.t + 1000;
    }
  };

  /** Waits until the timeline reaches offset `t` or the load has ended. */
  const untilOffset = async (r: Running, t: number): Promise<void> => {
    while (!r.end && timeline.offsetNow() < t) await Promise.race([r.run.done, new Promise((res) => setTimeout(res, Math.min(250, Math.max(0, t - timeline.offsetNow()))))]);
  };

  const ended = async (r: Running): Promise<LoadRunEnd> => {
    r.end ??= await r.run.done;
    clearInterval(r.ticker);
    if (!timeline.last('load.stopped', (e) => e.target === r.target)) {
      const all = r.recorder.stats();
      timeline.record({ kind: 'load.stopped', target: r.target, detail: `${r.end.outcome}: ${describeLoadStats(all)}` });
    }
    // Every answer is in: the remaining seconds are settled.
    recordSeconds(r, Number.POSITIVE_INFINITY);
    return r.end;
  };

  /** `[from, to)` of a phase, from the timeline. */
  const phaseWindow = (r: Running, phase: LoadPhaseName): { fromT: number; toT: number } | string => {
    const startT = r.run.startedT;
    const endT = r.end?.endedT ?? timeline.offsetNow();
    const faults = timeline.events().filter((e) => e.kind === 'fault.injected' && e.t >= startT);
    const firstFault = faults[0];
    const recoveries = timeline.events().filter((e) => e.kind === 'recovered' && e.t >= (firstFault?.t ?? startT));
    const lastRecovery = recoveries.at(-1);
    const lastLift = timeline.events().filter((e) => e.kind === 'fault.reverted' && e.t >= (firstFault?.t ?? startT)).at(-1);
    const actionPhase = (names: readonly string[], what: string): { fromT: number; toT: number } | string => {
      const action = [...faults].reverse().find((e) => e.kind === 'fault.injected' && names.includes(e.fault));
      if (!action) return `no ${what} started while the load ran`;
      const done = timeline.events().find((e) => e.kind === 'recovered' && e.t >= action.t);
      return { fromT: action.t, toT: done?.t ?? endT };
    };
    switch (phase) {
      case 'during the load': return { fromT: startT, toT: endT };
      case 'before the fault': return { fromT: startT, toT: firstFault?.t ?? endT };
      // A fault "for T" that lifted itself ends there, unless a recovery was awaited after it.
      case 'during the fault': return firstFault ? { fromT: firstFault.t, toT: lastRecovery?.t ?? lastLift?.t ?? endT } : 'no fault was injected while the load ran';
      case 'after recovery':
        if (!firstFault) return 'no fault was injected while the load ran: put a fault step after the load step';
        return lastRecovery ? { fromT: lastRecovery.t, toT: endT } : `no recovery after the fault at ${formatOffset(firstFault.t)} was observed: put a "within" expectation after the fault`;
      case 'during the rollout': return actionPhase(['set-image', 'restart', 'rollback'], 'rollout');
      case 'during the scale': return actionPhase(['deployment-scale'], 'scale');
    }
  };

  /** The window's stats once every request sent in it can have been answered (or the load ended). */
  const settledStats = async (r: Running, phase: LoadPhaseName): Promise<{ stats: LoadStats; window: { fromT: number; toT: number } }> => {
    const first = phaseWindow(r, phase);
    // Phases that end with the load need its end; others only their own requests' answers.
    if (typeof first === 'string' || first.toT >= timeline.offsetNow() - 1) {
      await ended(r);
    } else {
      await untilOffset(r, first.toT + r.plan.timeoutMs + 1_000);
    }
    if (r.k6) await ended(r); // k6's requests are read once it ends
    if (r.end?.outcome === 'failed') throw r.k6?.failure() ?? new KubeproofError('error', `the load generator failed, so the load cannot be judged: ${r.end.notes.join('; ') || 'no reason given'}`);
    const window = phaseWindow(r, phase);
    if (typeof window === 'string') throw new InputError(`cannot judge the load ${phase}: ${window}`);
    return { stats: r.recorder.stats(window.fromT, window.toT), window };
  };

  const requireRunning = (service?: string): Running => {
    if (!current) throw new InputError(`no load runs in this scenario: start one first, e.g. 'Given a load of 20 requests per second on service "${service ?? 'api'}" for 2 minutes'`);
    if (service !== undefined && current.service !== service) throw new InputError(`the load of this scenario goes to service "${current.service}", not "${service}": name that service, or start the load on "${service}"`);
    return current;
  };

  /** The phases of the summary, as far as the timeline has them; a rollout or scale replaces the "fault" of the same window. */
  const summaryPhases = (r: Running): LoadPhase[] => {
    const phases = (['before the fault', 'during the rollout', 'during the scale', 'during the fault', 'after recovery'] as const).flatMap((name) => {
      const w = phaseWindow(r, name);
      return typeof w === 'string' ? [] : [{ name, fromT: w.fromT, toT: w.toT }];
    });
    return phases.filter((p, i) => !phases.slice(0, i).some((q) => q.fromT === p.fromT && q.toT === p.toT));
  };

  /** The summary lines a failure message carries (settled part only while the load still runs). */
  const summaryLines = (r: Running): string[] => formatLoadSummary({
    target: r.target, plan: r.plan, recorder: r.recorder, phases: summaryPhases(r), ...(r.describe ? { planText: r.describe } : {}),
    ...(r.end ? { notes: r.end.notes } : { untilT: timeline.offsetNow() - r.plan.timeoutMs - 500 }),
  }).split('\n');

  /** A judgement that would pass on a saturated generator is INCONCLUSIVE; one that fails for the generator's own failures too. */
  const honest = (stats: LoadStats, phase: string, wouldPass: boolean): void => {
    const verdict = judgeGenerator(stats, phase);
    if (!verdict.saturated) return;
    const onlyOwnFailures = stats.failed > 0 && verdict.generatorFailures >= stats.failed;
    if (wouldPass || onlyOwnFailures) throw new InconclusiveError(verdict.reason ?? 'load generator saturated');
  };

  /** Waits for the target's first answer; the note for the step's log. */
  const waitForFirstAnswer = async (url: string): Promise<string> => {
    const answeredAfter = await engine.firstAnswer(url, FIRST_ANSWER_WAIT_MS);
    if (answeredAfter === undefined) return `; it gave no answer within ${formatMs(FIRST_ANSWER_WAIT_MS)}, so the load starts anyway`;
    return answeredAfter > 1_000 ? `; first answer after ${formatMs(answeredAfter)}` : '';
  };

  /** The user's own k6 script against the Service's NodePort; its requests are read when k6 ends. */
  const startK6Script = async (request: LoadRequest, script: string, nodePort: number, target: string): Promise<string> => {
    const path = resolve(deps.cwd, script);
    // The script owns its schedule: no stages, so no rate to be "saturated" against; k6's default request timeout.
    const plan: LoadPlan = { url: hostTargetUrl({ port: nodePort, path: '/' }), stages: [], totalMs: LOAD_LIMITS.maxTotalMs, plannedRequests: 0, timeoutMs: K6_REQUEST_TIMEOUT_MS, connections: 'keepalive', maxBodyBytes: 0 };
    const readiness = await waitForFirstAnswer(plan.url);
    const recorder = createLoadRecorder();
    const detail = `k6 script ${script} (its own schedule, BASE_URL=${plan.url.replace(/\/$/, '')})`;
    timeline.record({ kind: 'load.started', target, detail });
    const k6 = await engine.startK6({
      script: path, port: nodePort, recorder,
      offsetNow: () => timeline.offsetNow(),
      toOffset: wallClockToOffset(() => timeline.offsetNow()),
      beforeStart: (processes) => { stopLoad.record(deps.journal, loadStopParams(processes), `stop k6 (pid ${processes.map((p) => p.pid).join(', ')})`); },
    });
    // k6's requests are read from its output once it ends: nothing to show per second before that.
    const ticker = setInterval(() => {}, 60_000);
    ticker.unref();
    const r: Running = { service: request.service, plan, k6, describe: detail, target, recorder, run: k6, end: undefined, ticker, recordedUntilT: Number.NEGATIVE_INFINITY };
    current = r;
    void k6.done.then(() => ended(r));
    return `load on ${target}: ${detail}${readiness}`;
  };

  return {
    async start(request) {
      if (current) throw new InputError('a load already runs in this scenario: one load per scenario (use a staged load for several rates)');
      // Checked before any Service or Job is created for it.
      if (request.k6Script === undefined) planOf(request, 1);
      const fromCluster = request.k6Script === undefined && (request.from !== undefined || deps.loadFrom === 'cluster');
      if (request.k6Script !== undefined) {
        // What cannot work is refused before a mirror Service is created for it.
        if (!existsSync(resolve(deps.cwd, request.k6Script))) throw new InputError(`the k6 script "${request.k6Script}" does not exist (paths are relative to ${deps.cwd})`);
        if (!engine.findK6()) throw new InputError(K6_MISSING);
        const host = await resolveHostTarget(deps, request.service, request.port);
        return startK6Script(request, request.k6Script, host.port, host.label);
      }
      const recorder = createLoadRecorder();
      let plan: LoadPlan;
      let target: string;
      let run: LoadRun;
      let readiness = '';
      if (fromCluster) {
        const svc = await client.get('Service', request.service, view.namespace);
        if (!svc) throw new InputError(`no service "${request.service}" in namespace ${view.namespace}`);
        const port = servicePortOf(svc, request.service, request.port);
        plan = createLoadPlan({ clusterHost: clusterServiceHost(request.service, view.namespace), port: port.port, path: request.path, ...(request.stages ? { stages: parseStageTable(request.stages) } : { rate: request.rate, durationMs: request.duration?.ms }) });
        const labels = request.from?.labels !== undefined ? parseLabels(request.from.labels) : {};
        checkLoadLabels(labels, await client.list('Service', { namespace: view.namespace }));
        const pods = loadPods(plan, request.from?.pods);
        target = `service/${request.service} (${new URL(plan.url).host}, from ${pods} pod${pods === 1 ? '' : 's'} in the cluster${Object.keys(labels).length ? ` labelled ${request.from?.labels}` : ''})`;
        timeline.record({ kind: 'load.started', target, detail: describePlan(plan) });
        run = await engine.startInCluster({
          client, namespace: view.namespace, plan, pods, labels, recorder,
          offsetNow: () => timeline.offsetNow(),
          toOffset: wallClockToOffset(() => timeline.offsetNow()),
          // Journalled before the Job exists: After, SIGINT and --janitor delete it.
          beforeCreate: (name) => { deleteLoadJob.record(deps.journal, { namespace: view.namespace, name }, `delete the load job ${name}`); },
        });
      } else {
        // The testbed (versions.env, build-binaries.sh) ships with kubeproof, not with a project that depends on it.
        const vegeta = await engine.find(PACKAGE_ROOT);
        if (!vegeta.ok) throw new InputError(vegeta.reason);
        const host = await resolveHostTarget(deps, request.service, request.port);
        plan = planOf(request, host.port);
        target = host.label;
        readiness = await waitForFirstAnswer(plan.url);
        timeline.record({ kind: 'load.started', target, detail: describePlan(plan) });
        run = await engine.start({
          plan, vegetaPath: vegeta.path, recorder,
          offsetNow: () => timeline.offsetNow(),
          toOffset: wallClockToOffset(() => timeline.offsetNow()),
          // Journalled before the stage sends anything: After, SIGINT and --janitor stop exactly these processes.
          beforeStage: (processes, stage) => { stopLoad.record(deps.journal, loadStopParams(processes), `stop the load generator of stage ${stage.index + 1} (pid ${processes.map((p) => p.pid).join(', ')})`); },
        });
      }
      let ticks = 0;
      const ticker = setInterval(() => {
        const r = current;
        if (!r) return;
        recordSeconds(r, timeline.offsetNow() - plan.timeoutMs - 500);
        if (++ticks % (PROGRESS_EVERY_MS / SECONDS_EVERY_MS) === 0) progressLine(`${target}: ${formatProgress({ recorder, plan, startedT: run.startedT, nowT: timeline.offsetNow(), settleMs: plan.timeoutMs + 500 })}`);
      }, SECONDS_EVERY_MS);
      ticker.unref();
      const r: Running = { service: request.service, plan, target, recorder, run, end: undefined, ticker, recordedUntilT: Number.NEGATIVE_INFINITY };
      current = r;
      // A load that ends by itself is on the timeline when it ends (the HPA's scale-in is timed from it).
      void run.done.then(() => ended(r));
      return `load on ${target}: ${describePlan(plan)}${readiness}`;
    },

    async stop() {
      const r = requireRunning();
      const end = r.end ?? await r.run.stop();
      r.end = end;
      await ended(r);
      return `load stopped (${end.outcome}): ${describeLoadStats(r.recorder.stats())}`;
    },

    async expectErrorRate(phase, maxPercent, service) {
      const r = requireRunning(service);
      const { stats, window } = await settledStats(r, phase);
      if (stats.requests < MIN_REQUESTS_PER_PHASE) {
        throw new InconclusiveError(`only ${stats.requests} requests were sent ${phase} (${formatOffset(window.fromT)} → ${formatOffset(window.toT)}); at least ${MIN_REQUESTS_PER_PHASE} are needed to judge an error rate: make the load last longer or send more per second`);
      }
      const percent = stats.errorRate * 100;
      const ok = maxPercent === 0 ? stats.failed === 0 : percent < maxPercent;
      honest(stats, phase, ok);
      const summary = `${phase}: ${describeLoadStats(stats)}`;
      if (ok) return summary;
      // The cluster's own words first when the Service itself is why requests fail (it selects no ready pod).
      const svc = await client.get('Service', r.service, view.namespace);
      if (svc) await view.ready();
      const cause = svc ? serviceCause(svc, view.pods.list(), view.events.list()) : undefined;
      throw new ConditionError({
        ...(cause ? { cause } : {}),
        subject: r.target,
        matcher: maxPercent === 0 ? `noFailures(${phase})` : `errorRate(${phase}, < ${maxPercent}%)`,
        expected: maxPercent === 0 ? `no request sent ${phase} (${formatOffset(window.fromT)} → ${formatOffset(window.toT)}) fails` : `fewer than ${maxPercent}% of the requests sent ${phase} (${formatOffset(window.fromT)} → ${formatOffset(window.toT)}) fail`,
        received: describeLoadStats(stats),
        since: stats.lastFailureT ?? window.fromT,
        verdict: stats.firstFailureT !== undefined ? `Failures: first at ${formatOffset(stats.firstFailureT)}, last at ${formatOffset(stats.lastFailureT ?? stats.firstFailureT)}` : undefined,
        hint: PHASE_HINTS[phase],
        timeline: { title: 'Load by phase', lines: summaryLines(r) },
      });
    },

    async expectP95(phase, maxMs) {
      const r = requireRunning();
      const { stats, window } = await settledStats(r, phase);
      if (stats.requests < MIN_REQUESTS_PER_PHASE || !stats.latencyMs) throw new InconclusiveError(`only ${stats.requests} requests were sent ${phase}: too few to judge a p95`);
      // A failed request has no answer time: when more than 5 % failed, the 95th percentile was never answered.
      const unanswered = stats.failed / stats.requests > 0.05;
      const ok = !unanswered && stats.latencyMs.p95 < maxMs;
      honest(stats, phase, ok);
      if (ok) return `${phase}: p95 ${stats.latencyMs.p95.toFixed(1)} ms (${describeLoadStats(stats)})`;
      throw new ConditionError({
        subject: r.target, matcher: `p95(${phase}, < ${maxMs} ms)`,
        expected: `p95 latency below ${maxMs} ms for the requests sent ${phase} (${formatOffset(window.fromT)} → ${formatOffset(window.toT)})`,
        received: describeLoadStats(stats),
        hint: unanswered
          ? `${stats.failed} of ${stats.requests} requests got no answer (more than 5 %), so no p95 of answers exists: fix what makes them fail first`
          : 'slow answers come from saturated pods (CPU limits, too few replicas) or a backend they wait for',
        timeline: { title: 'Load by phase', lines: summaryLines(r) },
      });
    },

    async expectSteady(window) {
      const r = requireRunning();
      if (timeline.events().some((e) => e.kind === 'fault.injected' && e.t >= r.run.startedT)) throw new InputError('"the load is steady" judges the load before any fault: put it before the fault step');
      // Wait until the window is full of answered requests (vegeta's first request comes one interval in).
      await untilOffset(r, r.run.startedT + window.ms + r.plan.timeoutMs);
      const toT = Math.min(timeline.offsetNow() - r.plan.timeoutMs, r.end?.endedT ?? Number.POSITIVE_INFINITY);
      const stats = r.recorder.stats(toT - window.ms, toT);
      const service = r.service;
      const slices = await client.list('EndpointSlice', { namespace: view.namespace, labelSelector: `kubernetes.io/service-name=${service}` });
      const readyEndpoints = slices.flatMap((s) => (s.endpoints ?? []) as Array<{ conditions?: { ready?: boolean } }>).filter((e) => e.conditions?.ready !== false).length;
      const svc = readyEndpoints === 0 ? await client.get('Service', service, view.namespace) : undefined;
      if (svc) await view.ready();
      const cause = svc ? serviceCause(svc, view.pods.list(), view.events.list()) : undefined;
      const unhealthy = checkSteadyState(
        { target: r.target, service, readyEndpoints, ...(cause ? { cause } : {}), requests: stats.requests, failed: stats.failed, failures: stats.failures, fromT: stats.fromT, toT: stats.toT },
        { maxErrorRate: STEADY_MAX_ERROR_RATE, minRequests: MIN_REQUESTS_PER_PHASE },
      );
      if (unhealthy) throw unhealthy;
      honest(stats, 'the steady window', true);
      timeline.record({ kind: 'marker', label: `steady state: ${describeLoadStats(stats)}` });
      return `steady for ${window.text}: ${describeLoadStats(stats)}`;
    },

    async expectK6Thresholds() {
      const r = requireRunning();
      if (!r.k6) throw new InputError('"the k6 thresholds pass" needs a k6 script step before it: \'Given the k6 script "load/checkout.js" runs against service "api"\'');
      await ended(r);
      const failure = r.k6.failure();
      if (failure) throw failure;
      return `k6 thresholds passed: ${describeLoadStats(r.recorder.stats())}`;
    },

    async finish() {
      const r = current;
      if (!r) return undefined;
      if (!r.end) r.end = await r.run.stop();
      await ended(r);
      return formatLoadSummary({ target: r.target, plan: r.plan, recorder: r.recorder, phases: summaryPhases(r), notes: r.end.notes, ...(r.describe ? { planText: r.describe } : {}) });
    },
  };
}
