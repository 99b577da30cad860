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
import { cutOffNamespace } from '../faults/namespace-cutoff.ts';
import type { FaultOutcome } from '../faults/fault.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { AccessTableError } from './access-table.ts';
import { deletePod, podReplacedAndReady } from './pod-replaced.ts';
import { expectAdmitted, expectRejectedByQuota } from './quota.ts';
import { expectAccessReview, expectRealRequest, parseAction } from '../rbac/access-review.ts';
import { expectAccess, formatResults } from './reachability.ts';
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
  /** Deletes a controller-managed pod of the scenario namespace (e.g. postgres-0). */
  deletePod(name: string): Promise<FaultOutcome>;
  /** Waits until pod `name` is Ready again — a new instance if this scenario deleted it. */
  expectPodReady(name: string, within: { ms: number; text: string }): Promise<void>;
  /** RBAC: can/cannot, by SubjectAccessReview or (withToken) by a real GET with the account's own token. */
  expectServiceAccount(account: string, can: boolean, verb: string, resource: string, withToken: boolean): Promise<string>;
  /** A pod requesting `cpu` is rejected, naming quota `quota` (scenario namespace). */
  expectQuotaRejects(cpu: string, quota: string): Promise<string>;
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
    async deletePod(name) {
      const { uid, outcome } = await deletePod(deps.client, deps.timeline, deps.namespace, name);
      deleted.set(name, uid);
      return outcome;
    },
    async expectServiceAccount(account, can, verb, resource, withToken) {
      const check = withToken ? expectRealRequest : expectAccessReview;
      return check(deps.client, deps.namespace, account, parseAction(verb, resource), can);
    },
    expectQuotaRejects: async (cpu, quota) => expectRejectedByQuota(deps.client, deps.namespace, cpu, quota),
    expectAdmitted: async (cpu, alias) => expectAdmitted(deps.client, resolveNamespace(alias), cpu),
    async expectPodReady(name, within) {
      const budget = resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS);
      await eventually(podReplacedAndReady(deps.view.pods, deps.namespace, name, deleted.get(name)), budget, deps.engine);
    },
  };
}

/** Cucumber timeout of the matrix step: the batch budget plus time to list policies for the message. */
export const ISOLATION_STEP_CAP_MS = PROBE_BATCH_BUDGET_MS + 30_000;
