/**
 * Rollout conditions over watched Deployments, ReplicaSets and pods: complete (kubectl rollout status's
 * definition), stuck (the controller's own ProgressDeadlineExceeded), and every ready pod on an image.
 */
import { podCause, workloadCause } from '../cluster/causes.ts';
import { describePod } from '../cluster/describe.ts';
import { objectRef } from '../cluster/kinds.ts';
import { isPodLive, isPodReady, podsSelectedBy } from '../cluster/predicates.ts';
import type { KubeObject, ObjectStore } from '../cluster/types.ts';
import type { Condition, Observation } from '../conditions/condition.ts';
import { currentReplicaSet, deadlineExceeded, progressing, revisionOf, rolloutPending } from '../cluster/rollout.ts';

/** The stores a rollout condition reads. */
export interface RolloutStores {
  deployments: ObjectStore;
  replicaSets: ObjectStore;
  pods: ObjectStore;
  events: ObjectStore;
}

function missing(stores: RolloutStores, namespace: string, name: string): Observation {
  const others = stores.deployments.list().map((d) => d.metadata?.name).join(', ');
  return { ok: false, received: `no deployment "${name}" in namespace ${namespace}${others ? ` (it has: ${others})` : ' (it has none)'}` };
}

/** The new ReplicaSet's pods, described, with the likeliest cause for those not serving. */
function newPods(stores: RolloutStores, deployment: KubeObject): { text: string; cause: string | undefined; rs: KubeObject | undefined } {
  const rs = currentReplicaSet(deployment, stores.replicaSets.list());
  const pods = rs ? podsSelectedBy(rs, stores.pods.list()).filter(isPodLive) : [];
  const cause = pods.map((p) => podCause(p, stores.events.list())).find(Boolean);
  return { rs, cause, text: rs ? `new ReplicaSet ${rs.metadata?.name} (revision ${revisionOf(rs)}): ${pods.length ? pods.map(describePod).join(', ') : 'no pods yet'}` : 'no ReplicaSet for the new template yet' };
}

/**
 * "the rollout of deployment X completes": final (fails at once) when the controller declares it stuck.
 * `generation`: the Deployment's generation after the change that started the rollout (0: any).
 */
export function rolloutComplete(stores: RolloutStores, namespace: string, name: string, generation = 0): Condition {
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: 'toCompleteRollout()',
    expectation: 'rollout complete (observedGeneration current, every replica updated, available and ready, no old replica left)',
    stores: [stores.deployments, stores.replicaSets, stores.pods, stores.events],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) return missing(stores, namespace, name);
      const pending = rolloutPending(deployment, generation);
      if (!pending) return { ok: true, received: 'rollout complete' };
      const fresh = newPods(stores, deployment);
      const cause = fresh.cause ?? workloadCause(deployment, [], stores.events.list());
      const stuck = deadlineExceeded(deployment) && Number(deployment.status?.observedGeneration ?? 0) >= generation ? `the controller marked the rollout ProgressDeadlineExceeded: ${progressing(deployment)?.message ?? ''}`.trim() : undefined;
      return { ok: false, received: `${pending}; ${fresh.text}`, ...(cause ? { cause } : {}), ...(stuck ? { final: stuck } : {}) };
    },
    hint: 'a rollout stalls when its new pods never become Ready: look at their image, their readiness probe and their logs (kubectl rollout status, kubectl describe pod)',
  };
}

/** "the rollout of deployment X is stuck": the controller's own verdict, ProgressDeadlineExceeded, about the latest change (`generation`). */
export function rolloutStuck(stores: RolloutStores, namespace: string, name: string, generation = 0): Condition {
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: 'toBeStuck()',
    expectation: 'rollout stuck: Progressing=False, reason ProgressDeadlineExceeded',
    stores: [stores.deployments, stores.replicaSets, stores.pods, stores.events],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) return missing(stores, namespace, name);
      const p = progressing(deployment);
      const fresh = newPods(stores, deployment);
      const state = p ? `Progressing=${p.status} (${p.reason ?? 'no reason'}${p.message ? `: ${p.message}` : ''})` : 'no Progressing condition';
      const observed = Number(deployment.status?.observedGeneration ?? 0) >= generation;
      if (observed && deadlineExceeded(deployment)) return { ok: true, received: `${state}; ${fresh.text}`, ...(fresh.cause ? { cause: fresh.cause } : {}) };
      // A rollout that completed can no longer get stuck: nothing is left to progress.
      const pending = rolloutPending(deployment, generation);
      return { ok: false, received: `${state}; ${pending ?? 'rollout complete'}; ${fresh.text}`, ...(pending === undefined ? { final: 'the rollout completed, so it is not stuck' } : {}) };
    },
  };
}

/** "all ready pods of deployment X run image Y": every ready, live pod (at least the desired count) on that image. */
export function podsRunImage(stores: Pick<RolloutStores, 'deployments' | 'pods'>, namespace: string, name: string, image: string, container?: string): Condition {
  return {
    subject: objectRef('Deployment', name, namespace),
    matcher: `toRunImage(${image})`,
    expectation: `every ready pod runs ${image}${container ? ` in container ${container}` : ''}, as many as desired`,
    stores: [stores.deployments, stores.pods],
    observe() {
      const deployment = stores.deployments.get(name);
      if (!deployment) return { ok: false, received: `no deployment "${name}" in namespace ${namespace}` };
      const desired = Number(deployment.spec?.replicas ?? 1);
      const ready = podsSelectedBy(deployment, stores.pods.list()).filter((p) => isPodLive(p) && isPodReady(p));
      const imageOf = (p: KubeObject): string => {
        const containers = (p.spec?.containers ?? []) as Array<{ name: string; image: string }>;
        return (container ? containers.find((c) => c.name === container) : containers[0])?.image ?? '?';
      };
      const wrong = ready.filter((p) => imageOf(p) !== image);
      const list = ready.map((p) => `${p.metadata?.name} ${imageOf(p)}`).join(', ') || 'no ready pod';
      return { ok: wrong.length === 0 && ready.length >= desired, received: `${ready.length - wrong.length}/${desired} ready pods on ${image} (${list})` };
    },
  };
}
