/**
 * Rollouts, the way kubectl reads them. A Deployment's revisions: each ReplicaSet it controls carries
 * its revision in an annotation; `kubectl rollout history` lists them, `kubectl rollout undo` copies a
 * revision's pod template back into the Deployment (there is no rollback API since apps/v1: these pure
 * functions compute the JSON patch kubectl would send). And `kubectl rollout status`: when a rollout is
 * complete, and when the controller has declared it stuck.
 */
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../failure/failure.ts';
import type { JsonPatchOp, KubeObject } from './types.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** Label the Deployment controller adds to each ReplicaSet's template (and pods). */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Annotations kubectl never copies from a ReplicaSet back to its Deployment on rollback. */
const ANNOTATIONS_KEPT_FROM_DEPLOYMENT = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

/** The revision number of a ReplicaSet (0 when it has none). */
export function revisionOf(rs: KubeObject): number {
  const n = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The ReplicaSets `deployment` controls (by its uid when known, else by name), oldest revision first. */
export function replicaSetsOf(deployment: KubeObject, replicaSets: readonly KubeObject[]): KubeObject[] {
  const uid = deployment.metadata?.uid;
  const name = deployment.metadata?.name;
  return replicaSets
    .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.controller && o.kind === 'Deployment' && (uid ? o.uid === uid : o.name === name)))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

/** A pod template without the controller's hash label, for comparisons (kubectl's equalIgnoreHash). */
export function templateWithoutHash(template: KubeObject | undefined): KubeObject {
  const copy = structuredClone(template ?? {}) as KubeObject;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
  }
  return copy;
}

/** The ReplicaSet whose template is the Deployment's current one (the rollout's new ReplicaSet), if it exists yet. */
export function currentReplicaSet(deployment: KubeObject, replicaSets: readonly KubeObject[]): KubeObject | undefined {
  const wanted = templateWithoutHash(deployment.spec?.template);
  return replicaSetsOf(deployment, replicaSets).reverse().find((rs) => isDeepStrictEqual(templateWithoutHash(rs.spec?.template), wanted));
}

/** Images of a pod template's containers, "name=image" when there are several. */
export function templateImages(template: KubeObject | undefined): string {
  const containers = (template?.spec?.containers ?? []) as Array<{ name: string; image: string }>;
  return containers.length === 1 ? containers[0]?.image ?? '' : containers.map((c) => `${c.name}=${c.image}`).join(', ');
}

/** One line of `kubectl rollout history`. */
export interface HistoryEntry {
  revision: number;
  images: string;
  changeCause: string | undefined;
  current: boolean;
}

/** The revision history, oldest first (what `kubectl rollout history` prints, plus the images). */
export function revisionHistory(deployment: KubeObject, replicaSets: readonly KubeObject[]): HistoryEntry[] {
  const current = currentReplicaSet(deployment, replicaSets);
  return replicaSetsOf(deployment, replicaSets).filter((rs) => revisionOf(rs) > 0).map((rs) => ({
    revision: revisionOf(rs),
    images: templateImages(rs.spec?.template),
    changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
    current: rs === current,
  }));
}

/** What a rollback does: the revision it restores and the JSON patch that does it, or why it is skipped. */
export type RollbackPlan =
  | { kind: 'patch'; toRevision: number; fromRevision: number; images: string; ops: JsonPatchOp[] }
  | { kind: 'skip'; toRevision: number; reason: string };

/**
 * `kubectl rollout undo [--to-revision=N]`: without a revision, the previous one (the second highest);
 * the target ReplicaSet's template (without its hash label) replaces the Deployment's, and its
 * annotations (change-cause among them) replace the Deployment's, except the ones kubectl keeps from
 * the Deployment. A resourceVersion test makes the patch fail instead of overwriting a concurrent change.
 * @throws InputError when the revision is not in the history
 */
export function rollbackPlan(deployment: KubeObject, replicaSets: readonly KubeObject[], toRevision?: number): RollbackPlan {
  const owned = replicaSetsOf(deployment, replicaSets).filter((rs) => revisionOf(rs) > 0);
  const revisions = owned.map(revisionOf);
  const latest = Math.max(0, ...revisions);
  const wanted = toRevision ?? Math.max(0, ...revisions.filter((r) => r < latest));
  const target = owned.find((rs) => revisionOf(rs) === wanted);
  const name = deployment.metadata?.name;
  if (!target) {
    throw new InputError(toRevision === undefined
      ? `deployment "${name}" has no previous revision to roll back to (history: ${revisions.join(', ') || 'empty'})`
      : `deployment "${name}" has no revision ${toRevision} (history: ${revisions.join(', ') || 'empty'}; spec.revisionHistoryLimit keeps only the latest ones)`);
  }
  const template = templateWithoutHash(target.spec?.template);
  if (isDeepStrictEqual(template, templateWithoutHash(deployment.spec?.template))) {
    return { kind: 'skip', toRevision: wanted, reason: `the current template already matches revision ${wanted}` };
  }
  const annotations: Record<string, string> = {};
  const own = deployment.metadata?.annotations ?? {};
  for (const key of ANNOTATIONS_KEPT_FROM_DEPLOYMENT) if (own[key] !== undefined) annotations[key] = own[key];
  for (const [key, value] of Object.entries(target.metadata?.annotations ?? {})) if (!ANNOTATIONS_KEPT_FROM_DEPLOYMENT.includes(key)) annotations[key] = value;
  return {
    kind: 'patch',
    toRevision: wanted,
    fromRevision: latest,
    images: templateImages(template),
    ops: [
      ...(deployment.metadata?.resourceVersion ? [{ op: 'test' as const, path: '/metadata/resourceVersion', value: deployment.metadata.resourceVersion }] : []),
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

interface DeploymentCondition { type: string; status: string; reason?: string; message?: string }

/** The Deployment's Progressing condition. */
export function progressing(deployment: KubeObject): DeploymentCondition | undefined {
  return ((deployment.status?.conditions ?? []) as DeploymentCondition[]).find((c) => c.type === 'Progressing');
}

/** The controller gave up on the rollout (spec.progressDeadlineSeconds passed without progress). */
export function deadlineExceeded(deployment: KubeObject): boolean {
  const p = progressing(deployment);
  return p?.status === 'False' && p.reason === 'ProgressDeadlineExceeded';
}

/**
 * `kubectl rollout status`: done when the controller has seen the latest spec (observedGeneration),
 * every desired replica is updated, no old replica is left, and the updated ones are available — plus
 * ready, as the definition asks. Returns undefined when complete, else what is still pending.
 */
export function rolloutPending(deployment: KubeObject, atLeastGeneration = 0): string | undefined {
  const s = deployment.status ?? {};
  const desired = Number(deployment.spec?.replicas ?? 1);
  // `atLeastGeneration`: the generation a change of ours produced; a cached copy from before it is stale.
  const generation = Math.max(Number(deployment.metadata?.generation ?? 0), atLeastGeneration);
  if (generation > Number(s.observedGeneration ?? 0)) return 'waiting for the controller to observe the new spec';
  const updated = Number(s.updatedReplicas ?? 0);
  if (updated < desired) return `${updated} of ${desired} new replicas updated`;
  const total = Number(s.replicas ?? 0);
  if (total > updated) return `${total - updated} old replica${total - updated === 1 ? '' : 's'} pending termination`;
  const available = Number(s.availableReplicas ?? 0);
  if (available < updated) return `${available} of ${updated} updated replicas available`;
  const ready = Number(s.readyReplicas ?? 0);
  if (ready < updated) return `${ready} of ${updated} updated replicas ready`;
  return undefined;
}
