/**
 * node-drain: `kubectl drain`, scoped to the scenario's namespace. The node is cordoned first
 * (node-cordon.ts journals the uncordon, so --janitor undoes it after a killed run), then every pod
 * of the scenario namespace on it is evicted through the Eviction API (policy/v1, pods/eviction),
 * which is what makes PodDisruptionBudgets apply: a refused eviction (HTTP 429) is retried, like
 * kubectl drain does, until it is allowed or the drain's budget runs out.
 *
 * Why only the scenario's namespace: a real drain also evicts kube-system pods (CoreDNS, metrics)
 * and the pods of every other user of the cluster; a test runner must not disturb those.
 * DaemonSet pods and mirror (static) pods are skipped, as kubectl drain skips them.
 */
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import type { Condition } from '../conditions/condition.ts';
import { deploymentReadyReplicas } from '../conditions/deployment-ready.ts';
import { now } from '../conditions/engine.ts';
import type { EngineContext, WaitResult } from '../conditions/engine.ts';
import { ConditionError } from '../conditions/failure-message.ts';
import { holdsWhile } from '../conditions/holds-while.ts';
import { noPodOnNode } from '../conditions/pod-placement.ts';
import { sleep } from '../util/clock.ts';
import { formatMs } from '../util/duration.ts';
import { FaultError } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';
import { cordonNode, nodeRunningMost } from './node-cordon.ts';

/** How long a drain may take, evictions refused by PodDisruptionBudgets included. */
export const DRAIN_BUDGET_MS = 90_000;
/** Cucumber timeout of the drain steps: the budget plus room for our own failure message. */
export const DRAIN_STEP_CAP_MS = DRAIN_BUDGET_MS + 10_000;
/** Pause between two attempts at a refused eviction (kubectl drain waits 5 s; shorter shows recovery sooner). */
const RETRY_INTERVAL_MS = 1_000;

/** Annotation the kubelet puts on the API copy (mirror) of a static pod. */
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** The pods a drain of `node` evicts, by name: everything on it except DaemonSet and mirror pods. */
export function drainVictims(pods: readonly KubeObject[], node: string): KubeObject[] {
  return pods
    .filter((p) => p.spec?.nodeName === node)
    .filter((p) => !(p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.controller))
    .filter((p) => !p.metadata?.annotations?.[MIRROR_ANNOTATION])
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** metav1.LabelSelector semantics: all terms must hold; an empty selector matches everything. */
export function labelSelectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!selector) return false; // a PDB without selector selects nothing (policy/v1)
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabel && (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key] ?? '';
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(value);
      case 'NotIn': return !has || !(e.values ?? []).includes(value);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** PodDisruptionBudgets of a namespace (raw GET: PDBs are not a kind the runner watches). */
export async function listPdbs(client: ClusterClient, namespace: string): Promise<KubeObject[]> {
  const res = await client.getRaw(`/apis/policy/v1/namespaces/${encodeURIComponent(namespace)}/poddisruptionbudgets`);
  if (res.status !== 200) throw new Error(`listing PodDisruptionBudgets in ${namespace} failed with HTTP ${res.status}`);
  return ((JSON.parse(res.body) as { items?: KubeObject[] }).items ?? []);
}

/** "PodDisruptionBudget web (minAvailable 3; 3 healthy of 3 needed, 0 disruptions allowed)". */
export function describePdb(pdb: KubeObject): string {
  const rule = pdb.spec?.minAvailable !== undefined ? `minAvailable ${pdb.spec.minAvailable}` : pdb.spec?.maxUnavailable !== undefined ? `maxUnavailable ${pdb.spec.maxUnavailable}` : 'no rule';
  const s = pdb.status ?? {};
  const state = s.currentHealthy === undefined ? 'status not computed yet' : `${s.currentHealthy} healthy of ${s.desiredHealthy} needed, ${s.disruptionsAllowed} disruption${s.disruptionsAllowed === 1 ? '' : 's'} allowed`;
  return `PodDisruptionBudget ${pdb.metadata?.name} (${rule}; ${state})`;
}

/** Outcome of evicting one pod. */
export interface EvictionResult {
  pod: string;
  outcome: 'evicted' | 'gone' | 'blocked';
  /** How many times the API refused with 429 (a disruption budget, or API throttling). */
  refusals: number;
  lastRefusal?: string;
}

/** Options of {@link evictUntilAllowed}. */
export interface EvictOptions {
  /** Give up (outcome "blocked") when the next attempt would start after this Date.now() value. */
  deadline: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called on each 429, with the API's message and the attempt number (1-based). */
  onRefused?: (message: string, attempt: number) => void | Promise<void>;
}

const statusOf = (err: unknown): number | undefined => (err as { status?: unknown })?.status as number | undefined;

/**
 * Evicts one pod, retrying while the API answers 429 TooManyRequests — what it answers when a
 * PodDisruptionBudget forbids the disruption right now. 404 means the pod is already gone.
 */
export async function evictUntilAllowed(client: ClusterClient, namespace: string, pod: string, options: EvictOptions): Promise<EvictionResult> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/eviction`;
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } };
  let refusals = 0;
  let lastRefusal: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await client.postRaw(path, body);
      return { pod, outcome: 'evicted', refusals, lastRefusal };
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return { pod, outcome: 'gone', refusals, lastRefusal };
      if (status !== 429) throw new FaultError(`evicting pod ${namespace}/${pod} failed: ${(err as Error).message}`);
      refusals++;
      // "POST /api/v1/…/eviction failed with HTTP 429 (…): …" — the path is noise in a report.
      lastRefusal = (err as Error).message.replace(/^POST \S+ failed with /, '');
      await options.onRefused?.(lastRefusal, refusals);
    }
    const interval = options.intervalMs ?? RETRY_INTERVAL_MS;
    if (Date.now() + interval > options.deadline) return { pod, outcome: 'blocked', refusals, lastRefusal };
    await sleep(interval, options.signal);
  }
}

/** Options of {@link drainNode}. */
export interface DrainOptions {
  budgetMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/** The PDBs selecting `pod`, described; a lookup failure is named instead of failing the drain. */
async function pdbsOf(client: ClusterClient, namespace: string, pod: KubeObject | undefined): Promise<string> {
  try {
    const labels = pod?.metadata?.labels ?? {};
    const matching = (await listPdbs(client, namespace)).filter((p) => labelSelectorMatches(p.spec?.selector, labels));
    return matching.length ? matching.map(describePdb).join(', ') : 'no PodDisruptionBudget selects it (API throttling?)';
  } catch (err) {
    return `PodDisruptionBudgets unknown: ${(err as Error).message}`;
  }
}

/**
 * Cordons `node`, evicts the scenario namespace's pods on it (retrying refused evictions) and
 * returns once the watch shows them gone. Refusals go on the timeline, so the report shows the
 * PodDisruptionBudget at work.
 * @throws FaultError naming the pods still there and the budgets blocking them when time runs out
 */
export async function drainNode(ctx: FaultContext, node: string, options: DrainOptions = {}): Promise<FaultOutcome> {
  const started = Date.now();
  const deadline = started + (options.budgetMs ?? DRAIN_BUDGET_MS);
  const ns = ctx.view.namespace;
  await cordonNode(ctx, node);
  await ctx.view.ready();
  const victims = drainVictims(ctx.view.pods.list(), node).map((p) => ({ name: p.metadata?.name ?? '', uid: p.metadata?.uid }));
  const names = victims.map((v) => v.name);
  ctx.timeline.record({ kind: 'fault.injected', fault: 'node-drain', target: `node/${node}`, detail: `evicting ${names.length} pod(s) of namespace ${ns}: ${names.join(', ') || 'none'}` });

  // Watch-based: a pod is gone when the store no longer has it (or has a new pod of that name).
  const isGone = (v: { name: string; uid?: string }): boolean => {
    const p = ctx.view.pods.get(v.name);
    return !p || (v.uid !== undefined && p.metadata?.uid !== v.uid);
  };
  // Stopped when the drain ends early (a FaultError, or the caller's abort), so no timer outlives it.
  const local = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
  const allGone = waitFor(ctx, () => victims.every(isGone), deadline, signal);
  allGone.catch(() => {}); // awaited below only when every eviction went through
  try {
    return await evictAll();
  } finally {
    local.abort(new Error('drain ended'));
  }

  async function evictAll(): Promise<FaultOutcome> {
    const results = await Promise.all(victims.map((v) => evictUntilAllowed(ctx.client, ns, v.name, {
      deadline,
      intervalMs: options.intervalMs,
      signal,
      onRefused: async (message, attempt) => {
        // The first refusal of each pod, then every 10th: enough to see the budget hold, not a flood.
        if (attempt !== 1 && attempt % 10 !== 0) return;
        const pdbs = await pdbsOf(ctx.client, ns, ctx.view.pods.get(v.name));
        ctx.timeline.record({ kind: 'marker', label: `eviction of pod ${v.name} refused${attempt > 1 ? ` (attempt ${attempt})` : ''} by ${pdbs}: ${message}` });
      },
    })));

    const blocked = results.filter((r) => r.outcome === 'blocked');
    const refused = results.reduce((n, r) => n + r.refusals, 0);
    if (blocked.length) {
      const details = await Promise.all(blocked.map(async (r) => `${r.pod} (eviction refused ${r.refusals}× by ${await pdbsOf(ctx.client, ns, ctx.view.pods.get(r.pod))})`));
      throw new FaultError(`drain of node ${node} did not finish within ${formatMs(deadline - started)}: ${blocked.length} pod(s) of namespace ${ns} still on it: ${details.join('; ')}. a PodDisruptionBudget whose minAvailable equals the replicas (or maxUnavailable 0) blocks every drain: leave room for one disruption`);
    }
    try {
      await allGone;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const left = victims.filter((v) => !isGone(v)).map((v) => v.name);
      throw new FaultError(`drain of node ${node}: evicted ${left.join(', ')} but the API still showed them after ${formatMs(deadline - started)} (a long terminationGracePeriodSeconds?)`);
    }
    const outcome = { fault: 'node-drain', target: `node/${node}`, detail: `evicted ${names.length} pod(s) in ${formatMs(Date.now() - started)}${refused ? `, after ${refused} refused eviction(s)` : ''}: ${names.join(', ') || 'none'}` };
    ctx.timeline.record({ kind: 'marker', label: `drain of node ${node} finished: ${outcome.detail}` });
    return outcome;
  }
}

/** Resolves when `done()` holds, re-checked on every pod change; rejects at the deadline or on abort. */
function waitFor(ctx: FaultContext, done: () => boolean, deadline: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (err?: unknown): void => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err); else resolve();
    };
    const onAbort = (): void => finish(signal?.reason ?? new Error('aborted'));
    const unsubscribe = ctx.view.pods.onChange(() => { if (done()) finish(); });
    const timer = setTimeout(() => finish(new Error('deadline')), Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    else if (done()) finish();
  });
}

/** Drain steps' entry points (scenario.ts builds one per scenario). */
export interface NodeDrainOps {
  /**
   * "I drain the node running the most X pods": returns once every pod of the namespace on it is
   * evicted and gone. With `guard`, deployment guard.deployment must keep at least guard.atLeast
   * ready replicas for the whole drain (checked on every watch change; the drain stops at once if not).
   */
  drainNodeRunningMost(deployment: string, guard?: { deployment: string; atLeast: number }): Promise<FaultOutcome>;
  /** Checks, now, that no live pod of the deployment is on the node drained by this scenario. */
  expectNoPodOnDrainedNode(deployment: string): Promise<WaitResult>;
}

/** Builds the drain operations of one scenario. */
export function createNodeDrain(fault: FaultContext, engine: EngineContext, options: Omit<DrainOptions, 'signal'> = {}): NodeDrainOps {
  let drained: string | undefined;
  const stores = { deployments: fault.view.deployments, pods: fault.view.pods };
  return {
    async drainNodeRunningMost(deployment, guard) {
      const node = await nodeRunningMost(fault, deployment);
      drained = node;
      if (!guard) return drainNode(fault, node, options);
      const condition: Condition = deploymentReadyReplicas(stores, fault.view.namespace, guard.deployment, guard.atLeast, 'at least');
      try {
        return await holdsWhile(condition, `while node ${node} is drained`, (signal) => drainNode(fault, node, { ...options, signal }), engine);
      } catch (err) {
        if (!(err instanceof ConditionError)) throw err;
        throw new ConditionError({ ...err.details, verdictLine: `${err.details.verdictLine}\n${await pdbHint(fault, guard.deployment)}` });
      }
    },
    async expectNoPodOnDrainedNode(deployment) {
      if (!drained) throw new Error('no node was drained earlier in this scenario (use "I drain the node running the most … pods" first)');
      return now(noPodOnNode(stores, fault.view.namespace, deployment, drained), engine);
    },
  };
}

/** What the PodDisruptionBudgets of the namespace say about the deployment's pods, for the failure message. */
async function pdbHint(fault: FaultContext, deployment: string): Promise<string> {
  const ns = fault.view.namespace;
  const d = fault.view.deployments.get(deployment);
  const labels = (d?.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  try {
    const pdbs = (await listPdbs(fault.client, ns)).filter((p) => labelSelectorMatches(p.spec?.selector, labels));
    if (!pdbs.length) return `Hint:     no PodDisruptionBudget protects deployment "${deployment}" (none in namespace ${ns} selects its pods), so a drain may evict all of its pods at once`;
    return `Hint:     ${pdbs.map(describePdb).join(', ')} selects the pods of deployment "${deployment}"; check its minAvailable/maxUnavailable against the replicas`;
  } catch (err) {
    return `Hint:     could not read the PodDisruptionBudgets of namespace ${ns}: ${(err as Error).message}`;
  }
}
