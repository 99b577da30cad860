/**
 * ScenarioContext: everything one scenario owns — its namespace, watches, timeline, journal scope,
 * seeded Rng and redactor — and the operations steps call. Steps make one call here; this module
 * composes the layers and is imported by none of them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyApiError } from './cluster/api-errors.ts';
import { loadManifestDir, ManifestError } from './cluster/manifests.ts';
import { createKubeClient, loadKubeConfig } from './cluster/kube-client.ts';
import { namespaceName, namespaceObject } from './cluster/namespaces.ts';
import { applyWaitingForNodePorts } from './cluster/node-ports.ts';
import type { ClusterClient } from './cluster/types.ts';
import { createNamespaceView } from './cluster/view.ts';
import type { NamespaceView } from './cluster/view.ts';
import { BUDGETS, CONDITION_STEP_CAP_MS } from './config/defaults.ts';
import { deploymentReadyReplicas } from './conditions/deployment-ready.ts';
import type { ReplicaComparison } from './conditions/deployment-ready.ts';
import { resolveBudget } from './conditions/deadline.ts';
import { eventually, never, now, throughout } from './conditions/engine.ts';
import { noPodOnNode } from './conditions/pod-placement.ts';
import type { WaitResult } from './conditions/engine.ts';
import type { Condition } from './conditions/condition.ts';
import { collectEvidence } from './evidence/collect.ts';
import { cordonNode, nodeRunningMost } from './faults/node-cordon.ts';
import { scaleDeployment } from './faults/deployment-scale.ts';
import { killPercent, killPods } from './faults/pod-kill.ts';
import { createIsolation } from './isolation/isolation.ts';
import type { IsolationOps } from './isolation/isolation.ts';
import { createTraffic } from './load/traffic.ts';
import type { TrafficOps } from './load/traffic.ts';
import { createNodeDeath } from './self-healing/node-death.ts';
import type { NodeDeathOps } from './self-healing/node-death.ts';
import { createContainerCrash } from './self-healing/container-crash.ts';
import { createProbes } from './self-healing/probes.ts';
import type { ProbeOps } from './self-healing/probes.ts';
import type { ContainerCrashOps } from './self-healing/container-crash.ts';
import { createNodeDrain } from './faults/node-drain.ts';
import type { NodeDrainOps } from './faults/node-drain.ts';
import type { FaultContext, FaultOutcome } from './faults/fault.ts';
import { openScope, runDirOf } from './journal/journal.ts';
import type { ScopeJournal } from './journal/journal.ts';
import { revertScope } from './journal/revert.ts';
import { createRedactor } from './report/redact.ts';
import { timelineChart } from './report/timeline-chart.ts';
import type { Redactor } from './report/redact.ts';
import { recordStores } from './timeline/recorder.ts';
import { createTimeline, timeToRecover } from './timeline/timeline.ts';
import type { Timeline } from './timeline/timeline.ts';
import { systemClock } from './util/clock.ts';
import type { Clock } from './util/clock.ts';
import { formatMs } from './util/duration.ts';
import { createRng, hashString } from './util/rng.ts';
import type { Rng } from './util/rng.ts';

/** Run-wide settings every scenario receives (cucumber world parameters; JSON only). */
export interface RunParameters {
  runId: string;
  seed: number;
  context: string;
  journalDir: string;
  keep: boolean;
  cwd: string;
}

/** Sends an attachment to the report (the World's attach). */
export type AttachFn = (body: string, mediaType: string, fileName: string) => void;

/** Identity of the scenario, from cucumber's pickle. */
export interface ScenarioIdentity {
  id: string;
  name: string;
  uri: string;
  /** Unique per attempt (retries get a fresh namespace). */
  attemptId: string;
}

/** Options for starting a scenario (tests inject a fake client and clock). */
export interface StartOptions {
  client?: ClusterClient;
  clock?: Clock;
}

let sharedClient: ClusterClient | undefined;
function clientFor(context: string): ClusterClient {
  // One client per worker: the HTTPS agent is cached per cluster/user, so watches share connections.
  sharedClient ??= createKubeClient(loadKubeConfig(context));
  return sharedClient;
}

/** The per-scenario facade. */
export interface ScenarioContext {
  readonly namespace: string;
  readonly timeline: Timeline;
  readonly redactor: Redactor;
  readonly seed: number;
  /** Applies every YAML under `dir` (relative to the project) into the scenario namespace. */
  applyManifests(dir: string): Promise<number>;
  /** Applies fixtures/<name>/manifests. */
  deployFixture(name: string): Promise<number>;
  expectReadyReplicas(name: string, replicas: number, within: { ms: number; text: string }, comparison?: ReplicaComparison): Promise<WaitResult>;
  expectReadyReplicasThroughout(name: string, atLeast: number, phase: { ms: number; text: string }): Promise<WaitResult>;
  expectNeverFewerReady(name: string, minimum: number, phase: { ms: number; text: string }): Promise<WaitResult>;
  killPods(name: string, count: number): Promise<FaultOutcome>;
  /** Kills P % of the deployment's desired replicas (rounded up), seeded like killPods. */
  killPercent(name: string, percent: number): Promise<FaultOutcome>;
  scale(name: string, replicas: number): Promise<FaultOutcome>;
  cordonNodeRunningMost(name: string): Promise<FaultOutcome>;
  /** NetworkPolicy reachability, extra namespaces, namespace cut-off, RBAC and quota checks (src/isolation/). */
  readonly isolation: IsolationOps;
  /** Node death by docker pause, and the checks after it (src/self-healing/node-death.ts). */
  readonly nodeDeath: NodeDeathOps;
  /** Container crash (SIGKILL through containerd) and the in-place restart check. */
  readonly containerCrash: ContainerCrashOps;
  /** Node drain (cordon + evictions that honour PodDisruptionBudgets), scoped to the scenario namespace. */
  readonly drain: NodeDrainOps;
  /** Checks, now, that no live pod of the deployment is on the node cordoned by this scenario. */
  expectNoPodOnCordonedNode(name: string): Promise<WaitResult>;
  /** Last measured time to recover (fault → recovery condition met), if any. */
  /** A pod's app stops being ready / becomes unhealthy, and what the probes must do (src/self-healing/probes.ts). */
  probes: ProbeOps;
  lastTimeToRecoverMs(): number | undefined;
  /** Steady traffic through a NodePort, judged by phase (src/load/traffic.ts). */
  traffic: TrafficOps;
  /** After hook: evidence on failure, timeline attachment, undos (LIFO), watches stopped. */
  finish(outcome: { failed: boolean }, attach: AttachFn): Promise<string[]>;
}

/** Wraps an operation so its error text is redacted and classified. */
async function guarded<T>(redactor: Redactor, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error) {
      err.message = redactor.text(err.message);
      if (err.stack) err.stack = redactor.text(err.stack);
    }
    throw err;
  }
}

/** Creates the namespace (undo journalled first), starts watches and the timeline. */
export async function startScenario(params: RunParameters, identity: ScenarioIdentity, options: StartOptions = {}): Promise<ScenarioContext> {
  const client = options.client ?? clientFor(params.context);
  const clock = options.clock ?? systemClock;
  const namespace = namespaceName(params.runId, identity.name, hashString(`${identity.id}/${identity.attemptId}`) % 100_000);
  const journal: ScopeJournal = openScope(runDirOf(params.journalDir, params.runId), namespace);
  const redactor = createRedactor();
  const timeline = createTimeline(clock);
  const rng: Rng = createRng(params.seed, `${identity.uri}:${identity.name}`);
  let recoverMs: number | undefined;
  let recoveredAt: number | undefined;
  let cordoned: string | undefined;

  journal.record('namespace.delete', { name: namespace }, `delete namespace ${namespace}`);
  await client.create(namespaceObject(namespace, params.runId, identity.name));
  const view: NamespaceView = createNamespaceView(client, namespace);
  const stopRecording = recordStores(timeline, view.all());
  await Promise.race([
    view.ready(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`watches on namespace ${namespace} did not start within ${BUDGETS.setup / 1000}s`)), BUDGETS.setup).unref()),
  ]);
  timeline.record({ kind: 'marker', label: `scenario started in namespace ${namespace} (seed ${params.seed})` });

  const faultCtx: FaultContext = { client, view, timeline, journal, rng };
  const traffic = createTraffic({ client, namespace, timeline, recoveredAt: () => recoveredAt });
  const engine = { clock, timeline };

  const wait = async (mode: 'eventually' | 'throughout' | 'never', condition: Condition, d: { ms: number; text: string }): Promise<WaitResult> => {
    const budget = resolveBudget(d.ms, `${mode === 'eventually' ? 'within' : 'for'} ${d.text}`, CONDITION_STEP_CAP_MS);
    const run = mode === 'eventually' ? eventually : mode === 'throughout' ? throughout : never;
    const result = await run(condition, budget, engine);
    const ttr = mode === 'eventually' ? timeToRecover(timeline, result.t) : undefined;
    if (ttr !== undefined) { recoverMs = ttr; recoveredAt = result.t; }
    return result;
  };

  const apply = async (dir: string): Promise<number> => {
    const manifests = loadManifestDir(dir, params.cwd);
    for (const m of manifests) {
      if (m.object.kind === 'Namespace') {
        throw new ManifestError(`${m.file} line ${m.line}: manifests must not create namespaces; kubeproof gives each scenario its own (${namespace})`);
      }
      redactor.learnSecret(m.object);
    }
    for (const m of manifests) {
      const obj = { ...m.object, metadata: { ...m.object.metadata, namespace } };
      try {
        await applyWaitingForNodePorts(client, obj, BUDGETS.apply / 2);
      } catch (err) {
        const hint = classifyApiError(err) === 'terminal' ? '' : ' (the API server may be overloaded; retry the run)';
        // The API server's reason is already in the message; no cause chain, so students see one paragraph.
        throw new ManifestError(`applying ${m.file} line ${m.line} (${m.object.kind} "${m.object.metadata?.name}") failed: ${(err as Error).message}${hint}`);
      }
    }
    timeline.record({ kind: 'marker', label: `applied ${manifests.length} object${manifests.length === 1 ? '' : 's'} from ${dir}` });
    return manifests.length;
  };

  return {
    namespace,
    timeline,
    redactor,
    seed: params.seed,
    applyManifests: (dir) => guarded(redactor, () => apply(dir)),
    deployFixture: (name) => guarded(redactor, async () => {
      const dir = join('fixtures', name, 'manifests');
      if (!existsSync(join(params.cwd, dir))) {
        throw new ManifestError(`fixture "${name}" is not installed: expected its manifests in ${dir}/ (check the name, or add the fixture)`);
      }
      return apply(dir);
    }),
    expectReadyReplicas: (name, replicas, within, comparison) =>
      guarded(redactor, () => wait('eventually', deploymentReadyReplicas({ deployments: view.deployments, pods: view.pods }, namespace, name, replicas, comparison), within)),
    expectReadyReplicasThroughout: (name, atLeast, phase) =>
      guarded(redactor, () => wait('throughout', deploymentReadyReplicas({ deployments: view.deployments, pods: view.pods }, namespace, name, atLeast, 'at least'), phase)),
    expectNeverFewerReady: (name, minimum, phase) =>
      guarded(redactor, async () => {
        const atLeast = deploymentReadyReplicas({ deployments: view.deployments, pods: view.pods }, namespace, name, minimum, 'at least');
        const fewer: Condition = {
          ...atLeast,
          matcher: `toHaveFewerReadyReplicasThan(${minimum})`,
          expectation: `fewer than ${minimum} ready replica${minimum === 1 ? '' : 's'}`,
          observe: () => { const o = atLeast.observe(); return { ok: !o.ok, received: o.received }; },
        };
        return wait('never', fewer, phase);
      }),
    killPods: (name, count) => guarded(redactor, () => killPods(faultCtx, name, count)),
    killPercent: (name, percent) => guarded(redactor, () => killPercent(faultCtx, name, percent)),
    scale: (name, replicas) => guarded(redactor, () => scaleDeployment(faultCtx, name, replicas)),
    cordonNodeRunningMost: (name) => guarded(redactor, async () => {
      const node = await nodeRunningMost(faultCtx, name);
      const outcome = await cordonNode(faultCtx, node);
      cordoned = node;
      return outcome;
    }),
    expectNoPodOnCordonedNode: (name) => guarded(redactor, async () => {
      if (!cordoned) throw new Error('no node was cordoned earlier in this scenario (use "I cordon the node running the most … pods" first)');
      return now(noPodOnNode({ deployments: view.deployments, pods: view.pods }, namespace, name, cordoned), engine);
    }),
    nodeDeath: createNodeDeath(faultCtx, engine),
    containerCrash: createContainerCrash(faultCtx, engine),
    probes: createProbes(faultCtx, engine),
    drain: createNodeDrain(faultCtx, engine),
    isolation: createIsolation({ client, namespace, runId: params.runId, scenarioName: identity.name, journal, timeline, view, engine, cwd: params.cwd }),
    lastTimeToRecoverMs: () => recoverMs,
    traffic,
    async finish(outcome, attach) {
      const notes: string[] = [];
      const trafficSummary = await traffic.stop();
      if (trafficSummary) attach(trafficSummary, 'text/plain', 'traffic.txt');
      if (outcome.failed) {
        for (const item of await collectEvidence(client, namespace, redactor)) attach(item.body, item.mediaType, item.name);
      }
      const keepNamespace = outcome.failed && params.keep;
      const results = await revertScope(client, journal, { timeoutMs: BUDGETS.undo, skipKinds: keepNamespace ? ['namespace.delete'] : [] });
      for (const r of results) {
        if (r.record.kind !== 'namespace.delete') timeline.record({ kind: 'fault.reverted', fault: r.record.kind, target: String(r.record.params.name ?? ''), ok: r.ok, detail: r.message });
        if (!r.ok) notes.push(`cleanup failed: ${r.message} (run "npm run chaos -- --janitor" to retry)`);
      }
      if (keepNamespace) notes.push(`namespace ${namespace} kept for inspection (--keep); delete it with "npm run chaos -- --janitor"`);
      stopRecording();
      await view.stop();
      const summary = { namespace, seed: params.seed, timeToRecoverMs: recoverMs ?? null, timeToRecover: recoverMs === undefined ? null : formatMs(recoverMs), ...timeline.toJSON() };
      attach(JSON.stringify(redactor.object(summary), null, 2), 'application/json', 'timeline.json');
      const chart = timelineChart(timeline.events());
      if (chart) attach(redactor.text(chart), 'image/svg+xml', 'timeline.svg');
      return notes.map((n) => redactor.text(n));
    },
  };
}
