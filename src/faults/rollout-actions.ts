/**
 * Rollout actions a scenario performs on a Deployment, as faults (journalled nothing: the change lives
 * in the scenario's own namespace, which is deleted with it): set an image (`kubectl set image`),
 * restart (`kubectl rollout restart`), roll back (`kubectl rollout undo`). Each records the rollout's
 * start on the timeline (`fault.injected`, so load phases and time to recover see it) and a snapshot
 * of the namespace's Service addresses, for "service … keeps its ClusterIP".
 */
import { InputError } from '../failure/failure.ts';
import { rollbackPlan } from '../cluster/rollout.ts';
import { defineFault, requireDeployment } from './fault.ts';
import type { FaultContext } from './fault.ts';

/** What a rollout action leaves for the checks after it. */
export interface RolloutStarted {
  deployment: string;
  /**
   * The Deployment's metadata.generation after the change: the rollout it starts is only judged once
   * the controller has observed it (status.observedGeneration), never on the watch's older copy.
   */
  generation: number;
  /** ClusterIP of every Service of the namespace when the rollout started. */
  clusterIPs: Record<string, string>;
}

async function clusterIPs(ctx: FaultContext): Promise<Record<string, string>> {
  const services = await ctx.client.list('Service', { namespace: ctx.view.namespace });
  return Object.fromEntries(services.map((s) => [s.metadata?.name ?? '', String(s.spec?.clusterIP ?? '')]));
}

/** `kubectl set image deployment/X [container=]image`. */
export const setImage = defineFault<{ deployment: string; image: string; container?: string }, RolloutStarted>({
  name: 'set-image',
  describe: (a) => `set-image: deployment "${a.deployment}"${a.container ? ` container "${a.container}"` : ''} to image ${a.image} (a rolling update)`,
  async inject(ctx, a) {
    await ctx.view.ready();
    const deployment = requireDeployment(ctx, a.deployment);
    const containers = (deployment.spec?.template?.spec?.containers ?? []) as Array<{ name: string; image: string }>;
    const index = a.container ? containers.findIndex((c) => c.name === a.container) : containers.length === 1 ? 0 : -1;
    if (index < 0) {
      const names = containers.map((c) => c.name).join(', ');
      throw new InputError(a.container
        ? `deployment "${a.deployment}" has no container "${a.container}" (it has: ${names})`
        : `deployment "${a.deployment}" has ${containers.length} containers (${names}): name one, e.g. 'I set the image of container "${containers[0]?.name}" of deployment "${a.deployment}" to "${a.image}"'`);
    }
    const before = containers[index]?.image;
    const snapshot = await clusterIPs(ctx);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'set-image', target: `deployment/${a.deployment}`, detail: `${containers[index]?.name}: ${before} → ${a.image}` });
    const patched = await ctx.client.patchJson('Deployment', a.deployment, ctx.view.namespace, [{ op: 'replace', path: `/spec/template/spec/containers/${index}/image`, value: a.image }]);
    return { fault: 'set-image', target: `deployment/${a.deployment}`, detail: `${containers[index]?.name}: ${before} → ${a.image}`, state: { deployment: a.deployment, clusterIPs: snapshot, generation: Number(patched.metadata?.generation ?? 0) } };
  },
});

/** `kubectl rollout restart`: a new template annotation, so every pod is replaced by a rolling update. */
export const restart = defineFault<{ deployment: string }, RolloutStarted>({
  name: 'restart',
  describe: (a) => `restart: deployment "${a.deployment}" (kubectl rollout restart: every pod replaced by a rolling update)`,
  async inject(ctx, a) {
    await ctx.view.ready();
    requireDeployment(ctx, a.deployment);
    const snapshot = await clusterIPs(ctx);
    const at = new Date().toISOString();
    ctx.timeline.record({ kind: 'fault.injected', fault: 'restart', target: `deployment/${a.deployment}`, detail: `restartedAt ${at}` });
    const patched = await ctx.client.patchMerge('Deployment', a.deployment, ctx.view.namespace, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });
    return { fault: 'restart', target: `deployment/${a.deployment}`, detail: `restarted at ${at}`, state: { deployment: a.deployment, clusterIPs: snapshot, generation: Number(patched.metadata?.generation ?? 0) } };
  },
});

/** `kubectl rollout undo [--to-revision=N]`, computed by rollouts/revisions.ts. */
export const rollback = defineFault<{ deployment: string; toRevision?: number }, RolloutStarted & { toRevision: number }>({
  name: 'rollback',
  describe: (a) => `rollback: deployment "${a.deployment}" to ${a.toRevision === undefined ? 'its previous revision' : `revision ${a.toRevision}`} (kubectl rollout undo)`,
  async inject(ctx, a) {
    await ctx.view.ready();
    // The freshest objects: a rollback computed from a stale cache would restore the wrong template.
    const deployment = await ctx.client.get('Deployment', a.deployment, ctx.view.namespace);
    if (!deployment) requireDeployment(ctx, a.deployment);
    const replicaSets = await ctx.client.list('ReplicaSet', { namespace: ctx.view.namespace });
    const plan = rollbackPlan(deployment!, replicaSets, a.toRevision);
    const snapshot = await clusterIPs(ctx);
    const state = { deployment: a.deployment, clusterIPs: snapshot, toRevision: plan.toRevision, generation: Number(deployment?.metadata?.generation ?? 0) };
    if (plan.kind === 'skip') {
      ctx.timeline.record({ kind: 'marker', label: `rollback of deployment ${a.deployment} skipped: ${plan.reason}` });
      return { fault: 'rollback', target: `deployment/${a.deployment}`, detail: `skipped: ${plan.reason}`, state };
    }
    const detail = `revision ${plan.fromRevision} → revision ${plan.toRevision} (${plan.images})`;
    ctx.timeline.record({ kind: 'fault.injected', fault: 'rollback', target: `deployment/${a.deployment}`, detail });
    const patched = await ctx.client.patchJson('Deployment', a.deployment, ctx.view.namespace, plan.ops);
    return { fault: 'rollback', target: `deployment/${a.deployment}`, detail: `rolled back: ${detail}`, state: { ...state, generation: Number(patched.metadata?.generation ?? 0) } };
  },
});

/** Changes one key of a ConfigMap (what a rollout does not revert). */
export const configMapEdit = defineFault<{ configMap: string; key: string; value: string }, { configMap: string; key: string; before: string | undefined }>({
  name: 'configmap-edit',
  describe: (a) => `configmap-edit: key "${a.key}" of ConfigMap "${a.configMap}" set to "${a.value}"`,
  async inject(ctx, a) {
    const cm = await ctx.client.get('ConfigMap', a.configMap, ctx.view.namespace);
    if (!cm) throw new InputError(`no ConfigMap "${a.configMap}" in namespace ${ctx.view.namespace}`);
    const before = (cm.data as Record<string, string> | undefined)?.[a.key];
    ctx.timeline.record({ kind: 'marker', label: `ConfigMap ${a.configMap}: ${a.key} changed` });
    await ctx.client.patchMerge('ConfigMap', a.configMap, ctx.view.namespace, { data: { [a.key]: a.value } });
    return { fault: 'configmap-edit', target: `configmap/${a.configMap}`, detail: `${a.key} changed`, state: { configMap: a.configMap, key: a.key, before } };
  },
});

