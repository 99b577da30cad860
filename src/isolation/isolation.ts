/**
 * The isolation operations of one scenario: extra namespaces it owns, the reachability matrix, the
 * namespace cut-off and its early undo, names answered per namespace, RBAC, quotas and LimitRanges.
 * scenario.ts builds one per scenario.
 */
import type { StepDuration } from '../conditions/expect.ts';
import { BUDGETS } from '../config/defaults.ts';
import type { ScenarioDeps } from '../deps.ts';
import { CUTOFF_POLICY, deleteNetworkPolicy } from '../faults/namespace-cutoff.ts';
import { expectAccessReview, expectRealRequest, parseAction } from '../rbac/access-review.ts';
import { expectAnsweredFrom } from './answered-from.ts';
import { podReplacedAndReady } from './pod-replaced.ts';
import { expectAdmitted, expectLimitRangeDefaults, expectRejectedByLimitRange, expectRejectedByQuota } from './quota.ts';
import { expectAccess, formatResults } from './reachability.ts';
import type { ProbeEnv } from './reachability.ts';

/** Isolation steps' entry points. */
export interface IsolationOps {
  /** Creates a namespace owned by the scenario (deleted with it), optionally labelled "k=v,k2=v2". */
  anotherNamespace(alias: string, labels?: string): Promise<string>;
  /** Probes every row of a "network access is:" table; throws a ConditionError naming unexpected paths, else returns one line per path. */
  expectAccess(rows: ReadonlyArray<Record<string, string>>): Promise<string>;
  /** Lifts this scenario's cut-off early: runs its journalled undo now (After does not repeat it). */
  reconnect(alias?: string): Promise<string>;
  /** A probe pod in namespace alias `fromAlias` GETs `url`; the answer must come from namespace alias `expectedAlias`. */
  expectAnsweredFrom(fromAlias: string, url: string, expectedAlias: string): Promise<string>;
  /** Waits until pod `name` is Ready again — a new instance if this scenario deleted it. */
  expectPodReady(name: string, within: StepDuration): Promise<void>;
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

/** Creates the isolation operations of one scenario. */
export function createIsolationOps(deps: ScenarioDeps): IsolationOps {
  const { client, namespaces, view } = deps;
  const ns = namespaces.main;
  const env: ProbeEnv = { client, timeline: deps.timeline, namespace: ns, resolveNamespace: (alias) => namespaces.resolve(alias) };
  const named = (alias: string): { alias: string; name: string } => ({ alias, name: namespaces.resolve(alias) });
  return {
    anotherNamespace: (alias, labels) => namespaces.createAlias(alias, labels),
    expectAccess: async (rows) => formatResults(await expectAccess(env, rows, BUDGETS.probeBatch)),
    async reconnect(alias) {
      const namespace = namespaces.resolve(alias);
      const what = alias ? `namespace "${alias}"` : 'the namespace';
      return `reconnected: ${await deps.faults.undoEarly('namespace-cutoff', deleteNetworkPolicy.kind, { namespace, name: CUTOFF_POLICY },
        `${what} (${namespace}) is not cut off by this scenario, so there is nothing to reconnect; write 'When ${what} is cut off' first`)}`;
    },
    expectAnsweredFrom: (fromAlias, url, expectedAlias) => expectAnsweredFrom(deps, named(fromAlias), url, named(expectedAlias), BUDGETS.probeBatch),
    async expectServiceAccount(account, can, verb, resource, withToken) {
      const action = parseAction(verb, resource);
      return withToken
        ? expectRealRequest(client, ns, account, action, can, (token) => deps.redactor.learnValue(token))
        : expectAccessReview(client, ns, account, action, can);
    },
    expectQuotaRejects: (cpu, quota, alias) => expectRejectedByQuota(client, namespaces.resolve(alias), cpu, quota),
    expectLimitRangeRejects: (amount, resource, limitRange) => expectRejectedByLimitRange(client, ns, amount, resource, limitRange),
    expectLimitRangeDefaults: (limitRange) => expectLimitRangeDefaults(client, ns, limitRange),
    expectAdmitted: (cpu, alias) => expectAdmitted(client, namespaces.resolve(alias), cpu),
    async expectPodReady(name, within) {
      const deleted = deps.faults.latest(['pod-delete']);
      const uid = deleted?.pod === name ? deleted.uid : undefined;
      await deps.expect.eventually(podReplacedAndReady(view.pods, ns, name, uid), within);
    },
  };
}
