/**
 * The isolation operations of one scenario: extra namespaces it owns (aliases → generated names),
 * the reachability matrix, and the namespace cut-off fault. scenario.ts builds one per scenario.
 */
import { namespaceObject } from '../cluster/namespaces.ts';
import type { ClusterClient } from '../cluster/types.ts';
import type { NamespaceView } from '../cluster/view.ts';
import { resolveBudget } from '../conditions/deadline.ts';
import { eventually } from '../conditions/engine.ts';
import type { EngineContext } from '../conditions/engine.ts';
import { CONDITION_STEP_CAP_MS } from '../config/defaults.ts';
import { CUTOFF_POLICY, cutOffNamespace } from '../faults/namespace-cutoff.ts';
import { FaultError } from '../faults/fault.ts';
import type { FaultOutcome } from '../faults/fault.ts';
import { loadManifestDir, ManifestError } from '../cluster/manifests.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import { executeUndo } from '../journal/undo-kinds.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { AccessTableError } from './access-table.ts';
import { deletePod, podReplacedAndReady } from './pod-replaced.ts';
import { expectAdmitted, expectLimitRangeDefaults, expectRejectedByLimitRange, expectRejectedByQuota } from './quota.ts';
import { expectAnsweredFrom } from './answered-from.ts';
import { expectAccessReview, expectRealRequest, parseAction } from '../rbac/access-review.ts';
import { expectAccess, formatResults, RETRY_MIN_MS } from './reachability.ts';
import type { ProbeEnv } from './reachability.ts';

/** What the isolation operations need from the scenario. */
export interface IsolationDeps {
  client: ClusterClient;
  namespace: string;
  runId: string;
  scenarioName: string;
  journal: ScopeJournal;
  timeline: Timeline;
  view: NamespaceView;
  engine: EngineContext;
  /** Folder manifest paths are relative to (default: the process's). */
  cwd?: string;
}

/** Budget for a whole probe batch: pods start in ~2 s, each probe retries for 6 s at most. */
export const PROBE_BATCH_BUDGET_MS = 60_000;

/** Isolation steps' entry points. */
export interface IsolationOps {
  /** Creates a namespace owned by the scenario (deleted with it), optionally labelled "k=v,k2=v2". */
  anotherNamespace(alias: string, labels?: string): Promise<string>;
  /** Probes every row of a "network access is:" table; throws a ConditionError naming unexpected paths, else returns one line per path. */
  expectAccess(rows: ReadonlyArray<Record<string, string>>): Promise<string>;
  /** Injects a deny-all ingress+egress policy into the scenario's namespace, or into an alias. */
  cutOff(alias?: string): Promise<FaultOutcome>;
  /** Lifts this scenario's cut-off early: runs its journalled undo now and marks it done (After does not repeat it). */
  reconnect(alias?: string): Promise<FaultOutcome>;
  /** Applies a folder of manifests into namespace alias `alias` (like the scenario's own step). */
  applyIn(dir: string, alias: string): Promise<number>;
  /** A probe pod in namespace alias `fromAlias` GETs `url`; the answer must come from namespace alias `expectedAlias`. */
  expectAnsweredFrom(fromAlias: string, url: string, expectedAlias: string): Promise<string>;
  /** Deletes a controller-managed pod of the scenario namespace (e.g. postgres-0). */
  deletePod(name: string): Promise<FaultOutcome>;
  /** Waits until pod `name` is Ready again — a new instance if this scenario deleted it. */
  expectPodReady(name: string, within: { ms: number; text: string }): Promise<void>;
  /** RBAC: can/cannot, by SubjectAccessReview or (withToken) by a real GET with the account's own token. */
  expectServiceAccount(account: string, can: boolean, verb: string, resource: string, withToken: boolean): Promise<string>;
  /** A pod requesting `cpu` is rejected, naming quota `quota` (scenario namespace, or an alias). */
  expectQuotaRejects(cpu: string, quota: string, alias?: string): Promise<string>;
  /** A container asking for `amount` of `resource` (cpu|memory) is rejected by LimitRange `limitRange`'s max. */
  expectLimitRangeRejects(amount: string, resource: string, limitRange: string): Promise<string>;
  /** A container without resources is admitted with LimitRange `limitRange`'s defaults. */
  expectLimitRangeDefaults(limitRange: string): Promise<string>;
  /** A pod requesting `cpu` is admitted in namespace alias `alias`. */
  expectAdmitted(cpu: string, alias: string): Promise<string>;
}

/** "kp-abc123-scenario-42" + "partner" → "kp-abc123-scenario-42-partner" (≤ 63 characters). */
export function aliasNamespaceName(scenarioNamespace: string, alias: string): string {
  return `${scenarioNamespace.slice(0, 62 - alias.length).replace(/-+$/, '')}-${alias}`;
}

function parseNamespaceLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const term of (text ?? '').split(',').map((t) => t.trim()).filter(Boolean)) {
    const [k, v, extra] = term.split('=');
    if (!k || v === undefined || extra !== undefined) throw new AccessTableError(`namespace label "${term}" is not key=value (example: team=trusted)`);
    labels[k.trim()] = v.trim();
  }
  return labels;
}

/** Creates the isolation operations of one scenario. */
export function createIsolation(deps: IsolationDeps): IsolationOps {
  const aliases = new Map<string, string>();
  const deleted = new Map<string, string>();
  const resolveNamespace = (alias: string | undefined): string => {
    if (alias === undefined) return deps.namespace;
    const real = aliases.get(alias);
    if (!real) throw new AccessTableError(`namespace "${alias}" is unknown here: create it first with 'Given another namespace "${alias}"' (known: ${[...aliases.keys()].join(', ') || 'none'})`);
    return real;
  };
  const env: ProbeEnv = { client: deps.client, timeline: deps.timeline, namespace: deps.namespace, resolveNamespace };
  return {
    async anotherNamespace(alias, labels) {
      if (!/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/.test(alias)) throw new AccessTableError(`namespace alias "${alias}" must be a short lowercase name (up to 20 of a-z, 0-9, -)`);
      if (aliases.has(alias)) throw new AccessTableError(`namespace "${alias}" was already created in this scenario`);
      const name = aliasNamespaceName(deps.namespace, alias);
      const object = namespaceObject(name, deps.runId, `${deps.scenarioName} (namespace "${alias}")`);
      object.metadata = { ...object.metadata, labels: { ...parseNamespaceLabels(labels), ...object.metadata?.labels } };
      // Journalled first, like the scenario's own namespace: After, SIGINT and --janitor delete it.
      deps.journal.record('namespace.delete', { name }, `delete namespace ${name}`);
      await deps.client.create(object);
      aliases.set(alias, name);
      deps.timeline.record({ kind: 'marker', label: `namespace "${alias}" created as ${name}` });
      return name;
    },
    expectAccess: async (rows) => formatResults(await expectAccess(env, rows, PROBE_BATCH_BUDGET_MS)),
    cutOff: async (alias) => cutOffNamespace(deps, resolveNamespace(alias)),
    async reconnect(alias) {
      const namespace = resolveNamespace(alias);
      const record = deps.journal.pending().find((r) => r.kind === 'networkpolicy.delete' && r.params.namespace === namespace && r.params.name === CUTOFF_POLICY);
      if (!record) throw new FaultError(`namespace ${namespace} is not cut off by this scenario, so there is nothing to reconnect; write 'When ${alias ? `namespace "${alias}"` : 'the namespace'} is cut off' first`);
      // The same undo the After hook would run, run now; marked done so After does not run it again.
      const result = await executeUndo(deps.client, record);
      deps.timeline.record({ kind: 'fault.reverted', fault: 'namespace-cutoff', target: `namespace/${namespace}`, ok: result.ok, detail: result.message });
      if (!result.ok) throw new FaultError(`${result.message} (the undo stays journalled: the After hook and --janitor retry it)`);
      deps.journal.complete(record.id, true);
      return { fault: 'namespace-cutoff', target: `namespace/${namespace}`, detail: `reconnected: ${result.message}` };
    },
    async applyIn(dir, alias) {
      const namespace = resolveNamespace(alias);
      const manifests = loadManifestDir(dir, deps.cwd);
      const refused = manifests.find((m) => m.object.kind === 'Namespace');
      if (refused) throw new ManifestError(`${refused.file} line ${refused.line}: manifests must not create namespaces; kubeproof creates "${alias}" as ${namespace}`);
      for (const m of manifests) {
        try {
          await deps.client.apply({ ...m.object, metadata: { ...m.object.metadata, namespace } });
        } catch (err) {
          throw new ManifestError(`applying ${m.file} line ${m.line} (${m.object.kind} "${m.object.metadata?.name}") in namespace "${alias}" failed: ${(err as Error).message}`);
        }
      }
      deps.timeline.record({ kind: 'marker', label: `applied ${manifests.length} object(s) from ${dir} in namespace "${alias}"` });
      return manifests.length;
    },
    expectAnsweredFrom: async (fromAlias, url, expectedAlias) => expectAnsweredFrom(deps, { alias: fromAlias, name: resolveNamespace(fromAlias) }, url, { alias: expectedAlias, name: resolveNamespace(expectedAlias) }, PROBE_BATCH_BUDGET_MS),
    async deletePod(name) {
      const { uid, outcome } = await deletePod(deps.client, deps.timeline, deps.namespace, name);
      deleted.set(name, uid);
      return outcome;
    },
    async expectServiceAccount(account, can, verb, resource, withToken) {
      const check = withToken ? expectRealRequest : expectAccessReview;
      return check(deps.client, deps.namespace, account, parseAction(verb, resource), can);
    },
    expectQuotaRejects: async (cpu, quota, alias) => expectRejectedByQuota(deps.client, resolveNamespace(alias), cpu, quota),
    expectLimitRangeRejects: async (amount, resource, limitRange) => expectRejectedByLimitRange(deps.client, deps.namespace, amount, resource, limitRange),
    expectLimitRangeDefaults: async (limitRange) => expectLimitRangeDefaults(deps.client, deps.namespace, limitRange),
    expectAdmitted: async (cpu, alias) => expectAdmitted(deps.client, resolveNamespace(alias), cpu),
    async expectPodReady(name, within) {
      const budget = resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS);
      await eventually(podReplacedAndReady(deps.view.pods, deps.namespace, name, deleted.get(name)), budget, deps.engine);
    },
  };
}

/** Cucumber timeout of the matrix step: the batch budget, one retry of a lost probe, and time to list policies for the message. */
export const ISOLATION_STEP_CAP_MS = PROBE_BATCH_BUDGET_MS + RETRY_MIN_MS + 30_000;
