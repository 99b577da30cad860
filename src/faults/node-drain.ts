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
import { labelSelectorMatches, labelsOf } from '../cluster/predicates.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { deploymentReadyReplicas } from '../conditions/deployment-ready.ts';
import { holdsWhile } from '../conditions/engine.ts';
import { waitUntil } from '../conditions/wait.ts';
import { BUDGETS } from '../config/defaults.ts';
import { ConditionError, FaultError } from '../failure/failure.ts';
import { sleep } from '../util/clock.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault, plural } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';
import { cordonNode, uncordon } from './node-cordon.ts';
import { nodeRunningMost } from './node-victim.ts';

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
    const labels = labelsOf(pod);
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
export async function drainNode(ctx: FaultContext, node: string, options: DrainOptions = {}): Promise<FaultOutcome<undefined>> {
  const started = Date.now();
  const deadline = started + (options.budgetMs ?? BUDGETS.drain);
  const ns = ctx.view.namespace;
  await cordonNode(ctx, node, 'node-drain');
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
  const allGone = waitUntil([ctx.view.pods], () => (victims.every(isGone) ? true : undefined), { timeoutMs: Math.max(0, deadline - Date.now()), signal });
  allGone.catch(() => {}); // awaited below only when every eviction went through
  try {
    return await evictAll();
  } finally {
    local.abort(new Error('drain ended'));
  }

  async function evictAll(): Promise<FaultOutcome<undefined>> {
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
      throw new FaultError(`drain of node ${node} did not finish within ${formatMs(deadline - started)}: ${blocked.length} pod(s) of namespace ${ns} still on it: ${details.join('; ')}. a PodDisruptionBudget whose minAvailable equals the replicas (or maxUnavailable 0) blocks every drain: leave room for one disruption`, 'fail');
    }
    if (!(await allGone).met) {
      const left = victims.filter((v) => !isGone(v)).map((v) => v.name);
      throw new FaultError(`drain of node ${node}: evicted ${left.join(', ')} but the API still showed them after ${formatMs(deadline - started)} (a long terminationGracePeriodSeconds?)`, 'fail');
    }
    const outcome = { fault: 'node-drain', target: `node/${node}`, detail: `evicted ${names.length} pod(s) in ${formatMs(Date.now() - started)}${refused ? `, after ${refused} refused eviction(s)` : ''}: ${names.join(', ') || 'none'}`, state: undefined };
    ctx.timeline.record({ kind: 'marker', label: `drain of node ${node} finished: ${outcome.detail}` });
    return outcome;
  }
}

/** What the PodDisruptionBudgets of the namespace say about the deployment's pods, for the failure message. */
async function pdbHint(fault: FaultContext, deployment: string): Promise<string> {
  const ns = fault.view.namespace;
  const d = fault.view.deployments.get(deployment);
  const labels = (d?.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  try {
    const pdbs = (await listPdbs(fault.client, ns)).filter((p) => labelSelectorMatches(p.spec?.selector, labels));
    if (!pdbs.length) return `no PodDisruptionBudget protects deployment "${deployment}" (none in namespace ${ns} selects its pods), so a drain may evict all of its pods at once`;
    return `${pdbs.map(describePdb).join(', ')} selects the pods of deployment "${deployment}"; check its minAvailable/maxUnavailable against the replicas`;
  } catch (err) {
    return `could not read the PodDisruptionBudgets of namespace ${ns}: ${(err as Error).message}`;
  }
}

/** "I drain the node running the most X pods [while deployment G keeps at least N ready replicas]". */
export interface DrainArgs {
  deployment: string;
  guard?: { deployment: string; atLeast: number };
}

export const nodeDrain = defineFault<DrainArgs, { node: string }>({
  name: 'node-drain',
  describe: (a, seed) => `node-drain: cordon the node running the most "${a.deployment}" pods (ties broken with seed ${seed}), then evict the scenario namespace's pods on it through the Eviction API, retrying while a PodDisruptionBudget refuses${a.guard ? `; deployment "${a.guard.deployment}" must keep at least ${plural(a.guard.atLeast, 'ready replica')} throughout` : ''} (uncordoned afterwards)`,
  undos: [uncordon],
  async inject(ctx, a) {
    const node = await nodeRunningMost(ctx, a.deployment);
    const drained = (outcome: FaultOutcome<undefined>): FaultOutcome<{ node: string }> => ({ ...outcome, state: { node } });
    if (!a.guard) return drained(await drainNode(ctx, node));
    const condition = deploymentReadyReplicas({ deployments: ctx.view.deployments, pods: ctx.view.pods }, ctx.view.namespace, a.guard.deployment, a.guard.atLeast, 'at least');
    try {
      return drained(await holdsWhile(condition, `while node ${node} is drained`, (signal) => drainNode(ctx, node, { signal }), ctx.engine));
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      throw err.withHint(await pdbHint(ctx, a.guard.deployment));
    }
  },
});
