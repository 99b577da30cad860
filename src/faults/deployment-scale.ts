/** deployment-scale: sets spec.replicas; the previous value is journalled so it can be restored. */
import { FaultError } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';

/** Scales deployment `name` to `replicas`. */
export async function scaleDeployment(ctx: FaultContext, name: string, replicas: number): Promise<FaultOutcome> {
  const namespace = ctx.view.namespace;
  const current = await ctx.client.get('Deployment', name, namespace);
  if (!current) throw new FaultError(`cannot scale deployment "${name}": it does not exist in namespace ${namespace}`);
  const before = Number(current.spec?.replicas ?? 1);
  ctx.journal.record('deployment.scale', { name, namespace, replicas: before }, `scale deployment ${namespace}/${name} back to ${before}`);
  await ctx.client.patchMerge('Deployment', name, namespace, { spec: { replicas } });
  ctx.timeline.record({ kind: 'fault.injected', fault: 'deployment-scale', target: `deployment/${name}`, detail: `${before} → ${replicas} replicas` });
  return { fault: 'deployment-scale', target: `deployment/${name}`, detail: `${before} → ${replicas}` };
}
