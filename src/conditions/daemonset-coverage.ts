/** "daemonset X runs one ready pod on every schedulable node": one per Ready node whose taints it tolerates, none elsewhere. */
import { workloadCause } from '../cluster/causes.ts';
import { describePod } from '../cluster/describe.ts';
import { objectRef } from '../cluster/kinds.ts';
import { DAEMONSET_TOLERATIONS, isNodeReady, isPodLive, isPodReady, labelsOf, podsSelectedBy, untoleratedTaints } from '../cluster/predicates.ts';
import type { KubeObject, ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

/** Nodes the DaemonSet's pods belong on: Ready, and every NoSchedule/NoExecute taint tolerated. */
export function daemonSetNodes(ds: KubeObject, nodes: readonly KubeObject[]): { wanted: KubeObject[]; skipped: string[] } {
  const tolerations = [...((ds.spec?.template?.spec?.tolerations ?? []) as []), ...DAEMONSET_TOLERATIONS];
  const wanted: KubeObject[] = [];
  const skipped: string[] = [];
  for (const node of [...nodes].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const name = node.metadata?.name ?? '?';
    const taints = untoleratedTaints(node, tolerations);
    if (!isNodeReady(node)) skipped.push(`${name} (NotReady)`);
    else if (taints.length) skipped.push(`${name} (taint ${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')} not tolerated)`);
    else wanted.push(node);
  }
  return { wanted, skipped };
}

/** Exactly one live, Ready pod of DaemonSet `name` on every wanted node, and no pod on an unwanted Ready node. */
export function daemonSetOnEveryNode(stores: { daemonSets: ObjectStore; pods: ObjectStore; nodes: ObjectStore; events?: ObjectStore }, namespace: string, name: string, node?: string): Condition {
  return {
    subject: objectRef('DaemonSet', name, namespace),
    matcher: node ? `toHaveReadyPodOn(${node})` : 'toRunOnEverySchedulableNode()',
    expectation: node ? `a ready pod on node ${node}` : 'one ready pod on every schedulable node',
    stores: [stores.daemonSets, stores.pods, stores.nodes, ...(stores.events ? [stores.events] : [])],
    observe() {
      const ds = stores.daemonSets.get(name);
      if (!ds) return { ok: false, received: `no daemonset "${name}" in namespace ${namespace}` };
      const pods = podsSelectedBy(ds, stores.pods.list()).filter(isPodLive);
      const { wanted, skipped } = daemonSetNodes(ds, stores.nodes.list());
      const on = (n: string): KubeObject[] => pods.filter((p) => p.spec?.nodeName === n);
      const targets = node ? wanted.filter((n) => n.metadata?.name === node) : wanted;
      const lines = targets.map((n) => {
        const mine = on(n.metadata?.name ?? '');
        return { node: n.metadata?.name ?? '?', ok: mine.length === 1 && isPodReady(mine[0]), text: `${n.metadata?.name}: ${mine.length ? mine.map(describePod).join(', ') : 'no pod'}` };
      });
      const readyNames = new Set(wanted.map((n) => n.metadata?.name));
      const stray = node ? [] : pods.filter((p) => p.spec?.nodeName && !readyNames.has(p.spec.nodeName) && isNodeReady(stores.nodes.get(p.spec.nodeName)));
      const good = lines.filter((l) => l.ok).length;
      const ok = targets.length > 0 && good === targets.length && stray.length === 0;
      const received = `${good}/${targets.length} wanted node(s) have exactly one ready pod [${lines.map((l) => l.text).join('; ')}]${stray.length ? `; pods on nodes it should avoid: ${stray.map(describePod).join(', ')}` : ''}${skipped.length ? `; not wanted: ${skipped.join(', ')}` : ''}`;
      if (ok) return { ok, received };
      if (node && !targets.length) return { ok: false, received: `node ${node} is not among the nodes it belongs on now${skipped.length ? ` (${skipped.join(', ')})` : ''}` };
      const selector = ds.spec?.template?.spec?.nodeSelector as Record<string, string> | undefined;
      const matching = selector ? wanted.filter((n) => Object.entries(selector).every(([k, v]) => labelsOf(n)[k] === v)).length : wanted.length;
      const cause = selector && matching < wanted.length
        ? `DaemonSet ${name}: its nodeSelector ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')} matches ${matching} of the ${wanted.length} schedulable node(s); status.desiredNumberScheduled is ${ds.status?.desiredNumberScheduled ?? '?'} (controller)`
        : workloadCause(ds, pods, stores.events?.list());
      return { ok, received, ...(cause ? { cause } : {}) };
    },
    hint: 'a DaemonSet places one pod on every node whose taints it tolerates (it tolerates cordoned, not-ready and unreachable nodes by itself); a nodeSelector, node affinity or requests too big for a node leave nodes without it',
  };
}
