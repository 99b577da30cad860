/** deployment-scale: sets spec.replicas; the previous value is journalled first so it can be restored. */
import { InputError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { defineFault, plural } from './fault.ts';

/** Restores a Deployment's replica count (a gone Deployment counts as done). */
export const restoreReplicas = defineUndo<{ name: string; namespace: string; replicas: number }>('deployment.scale', async ({ client }, p) => {
  const name = str(p, 'name');
  const namespace = str(p, 'namespace');
  if (!(await client.get('Deployment', name, namespace))) return `deployment ${namespace}/${name} is gone`;
  await client.patchMerge('Deployment', name, namespace, { spec: { replicas: Number(p.replicas) } });
  return `deployment ${namespace}/${name} scaled back to ${Number(p.replicas)}`;
});

export const deploymentScale = defineFault<{ deployment: string; replicas: number }, { before: number }>({
  name: 'deployment-scale',
  describe: (a) => `deployment-scale: deployment "${a.deployment}" to ${plural(a.replicas, 'replica')} (previous count restored afterwards)`,
  undos: [restoreReplicas],
  async inject(ctx, a) {
    const namespace = ctx.view.namespace;
    if (!Number.isInteger(a.replicas) || a.replicas < 0) throw new InputError(`cannot scale to ${a.replicas} replicas: give a whole number of at least 0`);
    const current = await ctx.client.get('Deployment', a.deployment, namespace);
    if (!current) throw new InputError(`cannot scale deployment "${a.deployment}": it does not exist in namespace ${namespace}`);
    const before = Number(current.spec?.replicas ?? 1);
    restoreReplicas.record(ctx.journal, { name: a.deployment, namespace, replicas: before }, `scale deployment ${namespace}/${a.deployment} back to ${before}`);
    await ctx.client.patchMerge('Deployment', a.deployment, namespace, { spec: { replicas: a.replicas } });
    ctx.timeline.record({ kind: 'fault.injected', fault: 'deployment-scale', target: `deployment/${a.deployment}`, detail: `${before} → ${a.replicas} replicas` });
    return { fault: 'deployment-scale', target: `deployment/${a.deployment}`, detail: `${before} → ${a.replicas}`, state: { before } };
  },
});
