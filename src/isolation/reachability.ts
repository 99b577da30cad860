/**
 * "Then network access is:" — every row of the table becomes one short-lived probe pod, all started
 * at once; each reports a curl-style exit code (probe-result.ts) that tells a policy block (timeout)
 * from a refused connection or a DNS failure. Waiting is watch-driven with one deadline for the batch.
 */
import { randomBytes } from 'node:crypto';
import { podLabelSets, serviceCause } from '../cluster/causes.ts';
import { isNodeReady, isPodLive } from '../cluster/predicates.ts';
import type { ClusterClient, KubeObject, ObjectStore } from '../cluster/types.ts';
import { waitUntil } from '../conditions/wait.ts';
import { BUDGETS } from '../config/defaults.ts';
import { ConditionError, FaultError } from '../failure/failure.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { formatMs } from '../util/duration.ts';
import { describePath, parseAccessTable } from './access-table.ts';
import type { AccessPath } from './access-table.ts';
import { describePolicy, describePolicySelectingNoPod, policiesSelecting, policiesSelectingNoPod } from './policies.ts';
import { PROBE_BATCH_LABEL, PROBE_WINDOW_S, probePod } from './probe-pod.ts';
import { interpretProbeExit, matchesExpectation } from './probe-result.ts';
import type { ProbeVerdict } from './probe-result.ts';

/** What probing needs from the scenario. */
export interface ProbeEnv {
  client: ClusterClient;
  timeline: Timeline;
  /** The scenario's namespace (services and pods in "to" live there). */
  namespace: string;
  /** Real name of a namespace alias ("partner"); undefined means the scenario's namespace. */
  resolveNamespace(alias: string | undefined): string;
}

/** The outcome of one path. */
export interface PathResult {
  path: AccessPath;
  exitCode: number;
  verdict: ProbeVerdict;
  /** The probe's own log (one line per attempt), for the report. */
  log: string;
  probe: string;
  /** Set when the first probe pod was lost (evicted, its node NotReady) and a fresh one ran instead. */
  retried?: string;
}

/** The probes could not run (image missing, pod never finished): a tooling problem (ERROR), not a FAIL. */
const probeError = (message: string): FaultError => new FaultError(message);

const STUCK_REASONS = ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName'];

async function resolveHost(env: ProbeEnv, path: AccessPath): Promise<string> {
  const t = path.to;
  if (t.kind === 'service') return `${t.name}.${env.namespace}.svc.cluster.local`;
  if (t.kind === 'host') return t.name;
  const pod = await env.client.get('Pod', t.name, env.namespace);
  const ip = pod?.status?.podIP as string | undefined;
  if (!ip) throw probeError(`row ${path.row}: pod "${t.name}" ${pod ? `has no IP yet (phase ${pod.status?.phase ?? 'unknown'})` : `does not exist in namespace ${env.namespace}`}, so there is nothing to probe`);
  return ip;
}

function terminated(pod: KubeObject | undefined): number | undefined {
  const state = pod?.status?.containerStatuses?.[0]?.state?.terminated;
  return state ? Number(state.exitCode) : undefined;
}

function stuckReason(pod: KubeObject | undefined): string | undefined {
  const waiting = pod?.status?.containerStatuses?.[0]?.state?.waiting;
  return waiting && STUCK_REASONS.includes(waiting.reason) ? `${waiting.reason}: ${waiting.message ?? ''}`.trim() : undefined;
}

/** A probe pod that disappeared before producing a result, and why (its node, to avoid on a retry). */
export interface LostProbe {
  reason: string;
  node?: string;
}

/** What became of a batch: exit codes of finished probes, and the probes lost to their node. */
export interface BatchOutcome {
  exits: Map<string, number>;
  lost: Map<string, LostProbe>;
}

/** Why an unfinished probe will never report (evicted, or its node stopped answering), or undefined while it still may. */
function lostReason(p: { ns: string; name: string }, pod: KubeObject | undefined, nodes: ObjectStore | undefined): LostProbe | undefined {
  const node = pod?.spec?.nodeName as string | undefined;
  if (pod?.status?.reason === 'Evicted' || (pod?.status?.phase === 'Failed' && terminated(pod) === undefined)) {
    return { reason: `probe pod ${p.ns}/${p.name} was evicted on ${node ?? 'no node'} (${pod?.status?.reason ?? 'Failed'}${pod?.status?.message ? `: ${pod.status.message}` : ''})`, node };
  }
  const n = node && nodes ? nodes.get(node) : undefined;
  if (terminated(pod) === undefined && n && !isNodeReady(n)) return { reason: `probe pod ${p.ns}/${p.name} was stranded: its node ${node} went NotReady before it finished`, node };
  return undefined;
}

/**
 * Waits (watch-driven) until every probe pod of `probes` either terminated or was lost (deleted or
 * evicted before finishing, or its node went NotReady); rejects at the deadline or when a probe cannot start.
 */
export async function awaitExits(stores: ReadonlyMap<string, ObjectStore>, probes: ReadonlyArray<{ ns: string; name: string }>, deadlineMs: number, nodes?: ObjectStore): Promise<BatchOutcome> {
  const deleted = new Map<string, LostProbe>();
  const names = new Set(probes.map((p) => p.name));
  // Nobody but us deletes probes while they run: the node lifecycle controller evicts pods of a node that
  // stopped answering. A deletion is only seen as an event, so it is remembered here.
  const unsubscribers = [...stores.values()].map((s) => s.onChange((type, obj) => {
    const name = obj.metadata?.name ?? '';
    if (type === 'delete' && names.has(name) && terminated(obj) === undefined) {
      deleted.set(name, { reason: `probe pod ${obj.metadata?.namespace}/${name} was deleted before it finished (it ran on ${obj.spec?.nodeName ?? 'no node'}; a node that stops answering gets its pods evicted)`, node: obj.spec?.nodeName });
    }
  }));
  const settled = (): BatchOutcome | undefined => {
    const exits = new Map<string, number>();
    const lost = new Map<string, LostProbe>(deleted);
    for (const p of probes) {
      if (lost.has(p.name)) continue;
      const pod = stores.get(p.ns)?.get(p.name);
      const stuck = stuckReason(pod);
      if (stuck) throw probeError(`probe pod ${p.ns}/${p.name} cannot start (${stuck}); the probe image must be on every node (npm run cluster:up loads it)`);
      const code = terminated(pod);
      if (code !== undefined && pod?.status?.reason !== 'Evicted') { exits.set(p.name, code); continue; }
      const gone = lostReason(p, pod, nodes);
      if (gone) lost.set(p.name, gone);
    }
    return exits.size + lost.size === probes.length ? { exits, lost } : undefined;
  };
  try {
    const outcome = await waitUntil([...stores.values(), ...(nodes ? [nodes] : [])], settled, { timeoutMs: deadlineMs });
    if (outcome.met) return outcome.value;
  } finally {
    unsubscribers.forEach((u) => u());
  }
  const pending = probes.filter((p) => terminated(stores.get(p.ns)?.get(p.name)) === undefined).map((p) => {
    const pod = stores.get(p.ns)?.get(p.name);
    return `${p.ns}/${p.name} (${pod ? `${pod.status?.phase ?? 'unknown'} on ${pod.spec?.nodeName ?? 'no node yet'}` : 'not seen by the watch'})`;
  });
  // Usually a node that stopped answering (e.g. a node fault running at the same time): its kubelet never starts the probe.
  throw probeError(`probe pods did not finish within ${formatMs(deadlineMs)}: ${pending.join(', ')}; check that their nodes are Ready`);
}


/** A planned probe pod: where it runs, what it calls, and (after a retry) why the first one was lost. */
interface PlannedProbe {
  path: AccessPath;
  ns: string;
  name: string;
  host: string;
  retried?: string;
}

function createProbe(env: ProbeEnv, p: PlannedProbe, batch: string, avoidNode?: string): Promise<KubeObject> {
  const pod = probePod(p.name, batch, p.path.from.labels, p.host, p.path.port);
  if (avoidNode) {
    // The node that lost the first probe may not be tainted yet: keep the retry off it.
    pod.spec = { ...pod.spec, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [avoidNode] }] }] } } } };
  }
  return env.client.create({ ...pod, metadata: { ...pod.metadata, namespace: p.ns } });
}

/**
 * Runs one probe pod per path, in parallel, and returns each path's verdict. A probe lost before it
 * reported (evicted, deleted, its node NotReady — e.g. a node fault running at the same time) is
 * retried once with a fresh pod kept off that node, and the result says so. Probe pods are deleted afterwards.
 */
export async function probePaths(env: ProbeEnv, paths: readonly AccessPath[], deadlineMs: number): Promise<PathResult[]> {
  const batch = randomBytes(3).toString('hex');
  const started = Date.now();
  const planned: PlannedProbe[] = await Promise.all(paths.map(async (path) => ({
    path,
    ns: env.resolveNamespace(path.from.namespaceAlias),
    name: `probe-${batch}-${path.row}`,
    host: await resolveHost(env, path),
  })));
  const created: Array<{ ns: string; name: string }> = [];
  const stores = new Map<string, ObjectStore>();
  for (const p of planned) if (!stores.has(p.ns)) stores.set(p.ns, env.client.watch('Pod', p.ns, `${PROBE_BATCH_LABEL}=${batch}`));
  const nodes = env.client.watch('Node');
  try {
    await Promise.all([...stores.values(), nodes].map((s) => s.ready));
    env.timeline.record({ kind: 'marker', label: `probing ${paths.length} network path(s) (batch ${batch})` });
    created.push(...planned);
    await Promise.all(planned.map((p) => createProbe(env, p, batch)));
    const first = await awaitExits(stores, planned, deadlineMs, nodes);
    const exits = new Map(first.exits);
    if (first.lost.size > 0) {
      const retries: PlannedProbe[] = [];
      for (const [name, loss] of first.lost) {
        const i = planned.findIndex((p) => p.name === name);
        const old = planned[i]!;
        const fresh: PlannedProbe = { ...old, name: `${old.name}-r`, retried: `${loss.reason}; retried as ${old.ns}/${old.name}-r` };
        planned[i] = fresh;
        retries.push(fresh);
        env.timeline.record({ kind: 'marker', label: fresh.retried! });
        created.push(fresh);
        await createProbe(env, fresh, batch, loss.node);
      }
      const second = await awaitExits(stores, retries, Math.max(deadlineMs - (Date.now() - started), BUDGETS.probeRetry), nodes);
      if (second.lost.size > 0) {
        const why = [...second.lost.entries()].map(([name, loss]) => `${planned.find((p) => p.name === name)?.retried}, and the retry was lost too: ${loss.reason}`);
        throw probeError(`probe pods were lost twice, so these paths were not tested: ${why.join('; ')}; check that the nodes are Ready (is a node fault running at the same time?)`);
      }
      for (const [name, code] of second.exits) exits.set(name, code);
    }
    return await Promise.all(planned.map(async (p) => {
      const exitCode = exits.get(p.name) ?? -1;
      const log = await env.client.podLog(p.ns, p.name, { tailLines: 20 }).catch((err: Error) => `(log unavailable: ${err.message})`);
      return { path: p.path, exitCode, verdict: interpretProbeExit(exitCode), log: log.trim(), probe: `${p.ns}/${p.name}`, ...(p.retried ? { retried: p.retried } : {}) };
    }));
  } finally {
    await Promise.allSettled([...stores.values(), nodes].map((s) => s.stop()));
    await Promise.allSettled(created.map((p) => env.client.delete('Pod', p.name, p.ns, { gracePeriodSeconds: 0 })));
  }
}

/** "4 of 6 paths as expected" — counted over the table's rows, whatever the probes' retries. */
export function accessSummary(results: readonly PathResult[]): string {
  const ok = results.filter((r) => matchesExpectation(r.verdict.state, r.path.expect)).length;
  return `${ok} of ${results.length} path${results.length === 1 ? '' : 's'} as expected`;
}

/** The report: the summary line, then one line per path (verdict, exit code, attempts from the probe's log). */
export function formatResults(results: readonly PathResult[]): string {
  const lines = results.map((r) => {
    const attempts = r.log.split('\n').filter((l) => l.startsWith('attempt ')).length;
    const mark = matchesExpectation(r.verdict.state, r.path.expect) ? '✔' : '✘';
    return `${mark} ${describePath(r.path)} ${r.verdict.state} (expected ${r.path.expect}; exit ${r.exitCode} after ${attempts} attempt${attempts === 1 ? '' : 's'})${r.retried ? `; ${r.retried}` : ''}`;
  });
  return [accessSummary(results), ...lines].join('\n');
}

/** What the failure message reads about one namespace: its NetworkPolicies and its pods (probe pods left out). */
interface NamespaceFacts {
  policies: KubeObject[];
  pods: KubeObject[];
}

function factsReader(env: ProbeEnv): (namespace: string) => Promise<NamespaceFacts> {
  const cache = new Map<string, Promise<NamespaceFacts>>();
  return (namespace) => {
    let facts = cache.get(namespace);
    if (!facts) {
      facts = Promise.all([env.client.list('NetworkPolicy', { namespace }), env.client.list('Pod', { namespace })])
        .then(([policies, pods]) => ({ policies, pods: pods.filter((p) => isPodLive(p) && !p.metadata?.labels?.[PROBE_BATCH_LABEL]) }));
      cache.set(namespace, facts);
    }
    return facts;
  };
}

/**
 * The policies that decide a path, in words (ingress policies on the target, egress policies on the
 * source), and the likeliest cause of the unexpected outcome: a target Service with no ready endpoint,
 * or — for a path meant to be blocked that is open — a policy whose podSelector matches no pod.
 */
async function policyContext(env: ProbeEnv, r: PathResult, factsOf: (namespace: string) => Promise<NamespaceFacts>): Promise<{ context: string; cause?: string }> {
  const parts: string[] = [];
  const causes: string[] = [];
  const t = r.path.to;
  const here = await factsOf(env.namespace);
  if (t.kind === 'host') {
    parts.push(`"${t.name}" is a DNS name, so kubeproof did not look up the policies selecting it`);
  } else {
    const target = await env.client.get(t.kind === 'service' ? 'Service' : 'Pod', t.name, env.namespace);
    const labels: Record<string, string> | undefined = t.kind === 'service' ? target?.spec?.selector : target?.metadata?.labels;
    const empty = target && t.kind === 'service' ? serviceCause(target, here.pods) : undefined;
    if (empty) causes.push(empty);
    if (!labels) parts.push(`${t.text} ${target ? 'has no selector' : 'does not exist'}`);
    else {
      const selecting = policiesSelecting(here.policies, labels, 'Ingress');
      parts.push(`policies selecting ${t.name}: ${selecting.length ? selecting.map(describePolicy).join('; ') : 'none (every ingress is allowed)'}`);
    }
  }
  const sourceNs = env.resolveNamespace(r.path.from.namespaceAlias);
  const there = sourceNs === env.namespace ? here : await factsOf(sourceNs);
  const egress = policiesSelecting(there.policies, r.path.from.labels, 'Egress');
  if (egress.length) parts.push(`egress policies selecting the source: ${egress.map(describePolicy).join('; ')}`);
  if (r.verdict.state === 'allowed' && r.path.expect === 'blocked') {
    const namespaces = sourceNs === env.namespace ? [[env.namespace, here] as const] : [[env.namespace, here] as const, [sourceNs, there] as const];
    for (const [ns, facts] of namespaces) {
      for (const policy of policiesSelectingNoPod(facts.policies, facts.pods)) {
        const line = describePolicySelectingNoPod(policy, ns, podLabelSets(facts.pods));
        parts.push(line);
        causes.push(line);
      }
    }
  }
  return { context: parts.join('; '), ...(causes[0] ? { cause: causes[0] } : {}) };
}

/** Probes the table's paths; throws a ConditionError naming every path that did not behave as expected. */
export async function expectAccess(env: ProbeEnv, rows: ReadonlyArray<Record<string, string>>, deadlineMs: number): Promise<PathResult[]> {
  const paths = parseAccessTable(rows);
  const startT = env.timeline.offsetNow();
  const results = await probePaths(env, paths, deadlineMs);
  const endT = env.timeline.offsetNow();
  const wrong = results.filter((r) => !matchesExpectation(r.verdict.state, r.path.expect));
  const label = (r: PathResult): string => r.verdict.state === 'dns-failure' ? 'a DNS FAILURE' : r.verdict.state.toUpperCase();
  if (wrong.length === 0) {
    env.timeline.record({ kind: 'condition.met', subject: `network access in ${env.namespace}`, expectation: `all ${paths.length} path(s) as expected` });
    return results;
  }
  const factsOf = factsReader(env);
  const explained = await Promise.all(wrong.map(async (r) => {
    const { context, cause } = await policyContext(env, r, factsOf).catch((err: Error) => ({ context: `(policies could not be listed: ${err.message})`, cause: undefined }));
    return { line: `${describePath(r.path)} was ${label(r)}, expected ${r.path.expect} (exit ${r.exitCode}: ${r.verdict.meaning}); ${context}${r.retried ? `; ${r.retried}` : ''}`, cause };
  }));
  env.timeline.record({ kind: 'condition.failed', subject: `network access in ${env.namespace}`, expectation: `all ${paths.length} path(s) as expected` });
  const cause = explained.find((e) => e.cause)?.cause;
  const allowed = paths.filter((p) => p.expect === 'allowed').length;
  throw new ConditionError({
    subject: `networking.k8s.io/v1/NetworkPolicy ${env.namespace}/*`,
    matcher: `toMatchAccessTable(${paths.length} path${paths.length === 1 ? '' : 's'}: ${allowed} allowed, ${paths.length - allowed} blocked)`,
    expected: paths.map((p) => `${describePath(p)} ${p.expect}`).join('\n'),
    received: `${accessSummary(results)}; unexpected:\n${explained.map((e) => e.line).join('\n')}`,
    ...(cause ? { cause } : {}),
    since: endT,
    verdict: `Probed:   ${results.length} path${results.length === 1 ? '' : 's'} in parallel, each retried for ${PROBE_WINDOW_S}s (only a connect timeout counts as blocked)`,
    attempts: { count: results.length, lastT: endT },
    timeline: { title: 'Timeline (since the probes began)', lines: env.timeline.excerpt(startT) },
  });
}
