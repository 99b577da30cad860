/** Autoscaling conditions over the watched HPAs and the Deployment they scale. */
import { workloadCause } from '../cluster/causes.ts';
import { describeHpa, hpaBlocked, hpaState, missingRequest } from '../cluster/hpa.ts';
import { objectRef } from '../cluster/kinds.ts';
import { isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition, Observation } from './condition.ts';

/** The stores an HPA condition reads. */
export interface HpaStores {
  hpas: ObjectStore;
  deployments: ObjectStore;
  pods: ObjectStore;
  events: ObjectStore;
}

function missing(stores: HpaStores, namespace: string, name: string): Observation {
  const others = stores.hpas.list().map((h) => h.metadata?.name).join(', ');
  return { ok: false, received: `no HorizontalPodAutoscaler "${name}" in namespace ${namespace}${others ? ` (it has: ${others})` : ' (it has none)'}` };
}

/** "HPA X reaches at least N replicas": the HPA wants N or more. Final when it is capped below N, or cannot read CPU for lack of requests. */
export function hpaReaches(stores: HpaStores, namespace: string, name: string, atLeast: number): Condition {
  return {
    subject: objectRef('HorizontalPodAutoscaler', name, namespace),
    matcher: `toWant(>= ${atLeast})`,
    expectation: `desired replicas at least ${atLeast}`,
    stores: [stores.hpas],
    observe() {
      const hpa = stores.hpas.get(name);
      if (!hpa) return missing(stores, namespace, name);
      const s = hpaState(hpa);
      const blocked = hpaBlocked(s);
      const ok = s.desired >= atLeast;
      const belowMax = s.max < atLeast ? `maxReplicas is ${s.max}${s.min === s.max ? ' (= minReplicas)' : ''}, so it can never want ${atLeast}` : undefined;
      // Below its maximum, the wait ends as soon as the HPA itself reports the cap (its words are the lesson), not before.
      const final = ok ? undefined : belowMax && blocked?.kind === 'capped' ? belowMax : missingRequest(s) ? 'the HPA cannot compute CPU utilisation: the pods request no CPU' : undefined;
      const cause = ok ? undefined : blocked?.cause ?? belowMax;
      return { ok, received: describeHpa(s), ...(cause ? { cause } : {}), ...(final ? { final } : {}) };
    },
  };
}

/** "HPA X returns to N replicas": it wants N and has N. */
export function hpaSettlesAt(stores: HpaStores, namespace: string, name: string, replicas: number): Condition {
  return {
    subject: objectRef('HorizontalPodAutoscaler', name, namespace),
    matcher: `toSettleAt(${replicas})`,
    expectation: `desired and current replicas back at ${replicas}`,
    stores: [stores.hpas],
    observe() {
      const hpa = stores.hpas.get(name);
      if (!hpa) return missing(stores, namespace, name);
      const s = hpaState(hpa);
      const final = s.min > replicas ? `minReplicas is ${s.min}, so it never goes down to ${replicas}` : undefined;
      return { ok: s.desired === replicas && s.current === replicas, received: describeHpa(s), ...(final ? { final } : {}) };
    },
  };
}

/** "deployment D has as many ready replicas as HPA X wants": ready pods (and status) equal the HPA's desired count. */
export function readyAsHpaWants(stores: HpaStores, namespace: string, deployment: string, hpaName: string): Condition {
  return {
    subject: objectRef('Deployment', deployment, namespace),
    matcher: `toHaveReadyReplicasAsWantedBy(${hpaName})`,
    expectation: `as many ready replicas as HPA ${hpaName} wants`,
    stores: [stores.hpas, stores.deployments, stores.pods, stores.events],
    observe() {
      const hpa = stores.hpas.get(hpaName);
      if (!hpa) return missing(stores, namespace, hpaName);
      const d = stores.deployments.get(deployment);
      if (!d) return { ok: false, received: `no deployment "${deployment}" in namespace ${namespace}` };
      const wanted = hpaState(hpa).desired;
      const pods = podsSelectedBy(d, stores.pods.list()).filter(isPodLive);
      const ready = pods.filter(isPodReady).length;
      const statusReady = Number(d.status?.readyReplicas ?? 0);
      const ok = wanted > 0 && ready === wanted && statusReady === wanted;
      const cause = ok ? undefined : workloadCause(d, pods, stores.events.list());
      return { ok, received: `HPA wants ${wanted}; ${ready} ready pod${ready === 1 ? '' : 's'} (Deployment status ${statusReady}, spec ${d.spec?.replicas})`, ...(cause ? { cause } : {}) };
    },
  };
}
