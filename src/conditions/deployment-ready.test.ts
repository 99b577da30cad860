import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../cluster/types.ts';
import { ConditionError } from '../failure/failure.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { deploymentReadyReplicas } from './deployment-ready.ts';
import { eventually } from './engine.ts';

const recorded = JSON.parse(readFileSync(new URL('./testdata/final-states.json', import.meta.url), 'utf8')) as Record<'deployments' | 'replicaSets' | 'pods' | 'nodes' | 'events', KubeObject[]>;
const NS = 'vd-scratch';

function cluster() {
  const c = createFakeCluster();
  for (const list of Object.values(recorded)) if (Array.isArray(list)) for (const o of list) c.put(o);
  const stores = {
    deployments: c.watch('Deployment', NS), pods: c.watch('Pod', NS), events: c.watch('Event', NS),
    replicaSets: c.watch('ReplicaSet', NS), hpas: c.watch('HorizontalPodAutoscaler', NS), nodes: c.watch('Node'),
  };
  return { c, stores, ctx: { clock: systemClock, timeline: createTimeline(systemClock), finalConfirmMs: 20 } };
}
const budget = { ms: 600_000, label: 'condition budget "within 10 minutes"; step cap 600000ms' };

describe('deploymentReadyReplicas on a final state', () => {
  it('fails at once, the kubelet\'s words first and the rule that made it final in the verdict line', async () => {
    const { stores, ctx } = cluster();
    await assert.rejects(eventually(deploymentReadyReplicas(stores, NS, 'nopull-never', 2), budget, ctx), (err: ConditionError) => {
      const [first, header] = err.message.split('\n');
      assert.match(first ?? '', /^Cause: {4}pod nopull-never-\S+ container app: ErrImageNeverPull: Container image "kubeproof\/demo-app:9\.9\.9" is not present with pull policy of Never \(kubelet\) \(and 1 more pod\)$/);
      assert.match(header ?? '', /^expect\(apps\/v1\/Deployment vd-scratch\/nopull-never\)\.toHaveReadyReplicas\(2\) failed$/);
      assert.match(err.message, /\nFinal: {4}gave up after \S+ of 10m00s, the state final since \+\d+\.\ds: at most 0 of the 2 expected ready replicas can ever exist: 2 pods can never become ready: image "kubeproof\/demo-app:9\.9\.9" is on no node and its pull policy is Never \(ErrImageNeverPull\) \(condition budget/);
      return true;
    });
  });

  it('puts the rule\'s reason first when the cluster has no words for it (a spec asking for too few replicas)', async () => {
    const { c, stores, ctx } = cluster();
    const [pod] = recorded.pods.filter((p) => p.metadata?.labels?.app === 'crash');
    c.put({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    const d = recorded.deployments.find((x) => x.metadata?.name === 'crash')!;
    c.put({ ...d, status: { ...d.status, readyReplicas: 1 } });
    await assert.rejects(eventually(deploymentReadyReplicas(stores, NS, 'crash', 3), budget, ctx), (err: ConditionError) => {
      assert.match(err.message, /^Cause: {4}at most 1 of the 3 expected ready replicas can ever exist: deployment "crash" asks for 1 replica \(spec\.replicas\) and no HorizontalPodAutoscaler targets it\n/);
      assert.match(err.message, /\nFinal: {4}gave up after \S+ of 10m00s, the state final since \+\d+\.\ds: the cause above cannot change by itself \(condition budget/);
      return true;
    });
  });

  it('names the pods, ReplicaSets and Deployment the failure is about (for the timeline excerpt)', () => {
    const { stores } = cluster();
    const about = deploymentReadyReplicas(stores, NS, 'toobig', 2).about?.() ?? [];
    assert.deepEqual(about.filter((a) => !a.startsWith('pod/')), ['deployment/toobig', 'replicaset/toobig-b756bf65f']);
    assert.equal(about.filter((a) => a.startsWith('pod/toobig-')).length, 2);
  });
});
