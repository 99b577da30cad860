/**
 * ScenarioContext: everything one scenario owns — its namespaces, watches, timeline, journal scope,
 * seeded Rng and redactor — composed from per-capability operation factories `(deps) => ops`. Steps
 * make one call here; this module holds no capability logic and is imported by none of the layers.
 */
import { kindNodeAccess } from './cluster/kind-access.ts';
import type { NodeAccess } from './cluster/kind-access.ts';
import { createKubeClient } from './cluster/kube-client.ts';
import { namespaceName } from './cluster/namespaces.ts';
import type { ClusterClient } from './cluster/types.ts';
import { createNamespaceView } from './cluster/view.ts';
import { BUDGETS } from './config/defaults.ts';
import { createExpectations } from './conditions/expect.ts';
import type { ScenarioDeps } from './deps.ts';
import { collectEvidence } from './evidence/collect.ts';
import { createFaultOps } from './faults/operations.ts';
import type { FaultOps } from './faults/operations.ts';
import { createIsolationOps } from './isolation/isolation.ts';
import type { IsolationOps } from './isolation/isolation.ts';
import { openScope, runDirOf } from './journal/journal.ts';
import { revertScope } from './journal/revert.ts';
import { createLoadOps } from './load/load.ts';
import type { LoadOps } from './load/load.ts';
import { UNDOS } from './registry.ts';
import { createAutoscalingOps } from './autoscaling/autoscaling.ts';
import { createSubmissionOps } from './grading/deploy.ts';
import type { GradingParameters, SubmissionOps } from './grading/deploy.ts';
import { studentOf } from './grading/suite.ts';
import type { AutoscalingOps } from './autoscaling/autoscaling.ts';
import { createRedactor } from './report/redact.ts';
import { createDiscoveryOps } from './discovery/discovery.ts';
import type { DiscoveryOps } from './discovery/discovery.ts';
import { createIngressOps } from './ingress/ingress.ts';
import type { IngressOps } from './ingress/ingress.ts';
import { createInsideOps } from './inside/inside.ts';
import type { InsideOps } from './inside/inside.ts';
import { createSchedulingOps } from './scheduling/scheduling.ts';
import type { SchedulingOps } from './scheduling/scheduling.ts';
import { createShutdownOps } from './shutdown/shutdown.ts';
import type { ShutdownOps } from './shutdown/shutdown.ts';
import { createRolloutOps } from './rollouts/rollouts.ts';
import type { RolloutOps } from './rollouts/rollouts.ts';
import { renderTimelineChart } from './report/timeline-chart.ts';
import { createContainerCrashOps } from './self-healing/container-crash.ts';
import type { ContainerCrashOps } from './self-healing/container-crash.ts';
import { createProbeOps } from './self-healing/probes.ts';
import type { ProbeOps } from './self-healing/probes.ts';
import { createRestartOps } from './self-healing/restarts.ts';
import type { RestartOps } from './self-healing/restarts.ts';
import { recordStores } from './timeline/recorder.ts';
import { createTimeline } from './timeline/timeline.ts';
import type { Timeline } from './timeline/timeline.ts';
import { systemClock } from './util/clock.ts';
import type { Clock } from './util/clock.ts';
import { formatMs } from './util/duration.ts';
import { createRng, hashString } from './util/rng.ts';
import { createNamespaceRegistry } from './workloads/namespaces.ts';
import { createWorkloadOps } from './workloads/workloads.ts';
import type { WorkloadOps } from './workloads/workloads.ts';

/** Run-wide settings every scenario receives (cucumber world parameters; JSON only). */
export interface RunParameters {
  runId: string;
  seed: number;
  context: string;
  journalDir: string;
  keep: boolean;
  cwd: string;
  /** Set by npm run grade: the class's submissions, by student id (scenarios carry @student:<id>). */
  grading?: GradingParameters;
  /** --load-from: where loads come from unless their step says (default: this machine). */
  loadFrom?: 'host' | 'cluster';
}

/** Sends an attachment to the report (the World's attach, behind the redaction boundary). */
export type AttachFn = (body: string, mediaType: string, fileName: string) => void;

/** Identity of the scenario, from cucumber's pickle. */
export interface ScenarioIdentity {
  id: string;
  name: string;
  uri: string;
  /** Unique per attempt (retries get a fresh namespace). */
  attemptId: string;
  /** The pickle's tags (grading reads @student:<id>). */
  tags?: readonly string[];
}

/** Options for starting a scenario (tests inject a fake client, clock and node access). */
export interface StartOptions {
  client?: ClusterClient;
  clock?: Clock;
  nodes?: NodeAccess;
}

let sharedClient: ClusterClient | undefined;
function clientFor(context: string): ClusterClient {
  // One client per worker: the HTTPS agent is cached per cluster/user, so watches share connections.
  sharedClient ??= createKubeClient(context);
  return sharedClient;
}

/** The per-scenario facade. */
export interface ScenarioContext {
  readonly namespace: string;
  readonly timeline: Timeline;
  readonly seed: number;
  /** Masks every Secret value this scenario has met: the one redaction boundary (steps/boundary.ts) calls it. */
  redact(text: string): string;
  readonly workloads: WorkloadOps;
  readonly faults: FaultOps;
  readonly containerCrash: ContainerCrashOps;
  readonly probes: ProbeOps;
  readonly restarts: RestartOps;
  readonly isolation: IsolationOps;
  readonly rollouts: RolloutOps;
  readonly autoscaling: AutoscalingOps;
  readonly load: LoadOps;
  /** The graded student's submission (npm run grade). */
  readonly submission: SubmissionOps;
  /** Looking inside running containers: security context in force, config values, data on volumes. */
  readonly inside: InsideOps;
  readonly discovery: DiscoveryOps;
  readonly scheduling: SchedulingOps;
  readonly shutdown: ShutdownOps;
  readonly ingress: IngressOps;
  /** After hook: evidence on failure, timeline attachment, undos (LIFO), watches stopped; returns notes for the log. */
  finish(outcome: { failed: boolean }, attach: AttachFn): Promise<string[]>;
}

/** Creates the namespace (undo journalled first), starts watches and the timeline. */
export async function startScenario(params: RunParameters, identity: ScenarioIdentity, options: StartOptions = {}): Promise<ScenarioContext> {
  const client = options.client ?? clientFor(params.context);
  const clock = options.clock ?? systemClock;
  const nodes = options.nodes ?? kindNodeAccess;
  const main = namespaceName(params.runId, identity.name, hashString(`${identity.id}/${identity.attemptId}`) % 100_000);
  const journal = openScope(runDirOf(params.journalDir, params.runId), main);
  const redactor = createRedactor();
  const timeline = createTimeline(clock);
  const namespaces = createNamespaceRegistry(main, { client, journal, timeline, redactor, runId: params.runId, scenarioName: identity.name });
  await namespaces.createMain();
  // A lost watch reconnects by itself; the timeline says so, so a gap in what was seen is never silent.
  const view = createNamespaceView(client, main, (store, err) => timeline.record({ kind: 'watch.lost', store, detail: (err as Error)?.message ?? String(err) }));
  const stopRecording = recordStores(timeline, view.all());
  await Promise.race([
    Promise.all([view.ready(), namespaces.secretsLearnt()]),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`watches on namespace ${main} did not start within ${BUDGETS.setup / 1000}s`)), BUDGETS.setup).unref()),
  ]);
  timeline.record({ kind: 'marker', label: `scenario started in namespace ${main} (seed ${params.seed})` });

  const engine = { clock, timeline };
  const undoDeps = { client, nodes };
  const base = { client, view, timeline, journal, rng: createRng(params.seed, `${identity.uri}:${identity.name}`), nodes, engine, namespaces };
  const faults = createFaultOps(base, UNDOS, undoDeps);
  const deps: ScenarioDeps = { ...base, expect: createExpectations(engine), faults, redactor, cwd: params.cwd, runId: params.runId, scenarioName: identity.name, ...(params.loadFrom ? { loadFrom: params.loadFrom } : {}) };
  const load = createLoadOps(deps);

  return {
    namespace: main,
    timeline,
    seed: params.seed,
    redact: (text) => redactor.text(text),
    workloads: createWorkloadOps(deps),
    faults,
    containerCrash: createContainerCrashOps(deps),
    probes: createProbeOps(deps),
    restarts: createRestartOps(deps),
    isolation: createIsolationOps(deps),
    rollouts: createRolloutOps(deps),
    autoscaling: createAutoscalingOps(deps),
    load,
    submission: createSubmissionOps(deps, params.grading?.students[studentOf(identity.tags ?? []) ?? '']),
    inside: createInsideOps(deps),
    discovery: createDiscoveryOps(deps),
    scheduling: createSchedulingOps(deps),
    shutdown: createShutdownOps(deps),
    ingress: createIngressOps(deps),
    async finish(outcome, attach) {
      const notes: string[] = [];
      const loadSummary = await load.finish();
      // What cleanup does after this moment is not the scenario's behaviour: the chart ends here.
      const stepsEndedT = timeline.offsetNow();
      if (loadSummary) attach(loadSummary, 'text/plain', 'load.txt');
      if (outcome.failed) {
        for (const item of await collectEvidence(client, namespaces.all())) attach(item.body, item.mediaType, item.name);
      }
      const keepNamespace = outcome.failed && params.keep;
      await faults.settle();
      const results = await revertScope(UNDOS, undoDeps, journal, { timeoutMs: BUDGETS.undo, skipKinds: keepNamespace ? ['namespace.delete'] : [] });
      for (const r of results) {
        if (r.record.kind !== 'namespace.delete') timeline.record({ kind: 'fault.reverted', fault: r.record.kind, target: String(r.record.params.name ?? ''), ok: r.ok, detail: r.message });
        if (!r.ok) notes.push(`cleanup failed: ${r.message} (run "npm run chaos -- --janitor" to retry)`);
      }
      if (keepNamespace) notes.push(`namespace ${namespaces.all().join(', ')} kept for inspection (--keep); delete it with "npm run chaos -- --janitor"`);
      stopRecording();
      await Promise.all([view.stop(), namespaces.stop()]);
      const recovered = timeline.last('recovered');
      const summary = { namespace: main, seed: params.seed, timeToRecoverMs: recovered?.afterMs ?? null, timeToRecover: recovered ? formatMs(recovered.afterMs) : null, ...timeline.toJSON() };
      attach(JSON.stringify(redactor.object(summary), null, 2), 'application/json', 'timeline.json');
      const chart = await renderTimelineChart(timeline.events(), { endMs: stepsEndedT });
      if (chart) attach(chart, 'image/svg+xml', 'timeline.svg');
      return notes;
    },
  };
}
