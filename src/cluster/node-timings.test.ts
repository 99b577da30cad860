import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { evictionAfterS, parseNodeLossTimings, readNodeLossTimings, UPSTREAM_NODE_TIMINGS } from './node-timings.ts';

describe('parseNodeLossTimings', () => {
  const cases: Array<[string, string[], string[], [number, number, number]]> = [
    ['kubeproof kind-config.yaml', ['kube-controller-manager', '--node-monitor-grace-period=20s', '--node-monitor-period=2s'], ['kube-apiserver', '--default-not-ready-toleration-seconds=30', '--default-unreachable-toleration-seconds=30'], [20, 30, 30]],
    ['Go duration with minutes', ['--node-monitor-grace-period=1m0s'], [], [60, 300, 300]],
    ['no flags: upstream defaults', [], [], [UPSTREAM_NODE_TIMINGS.gracePeriodS, 300, 300]],
  ];
  for (const [title, cm, api, [grace, notReady, unreachable]] of cases) {
    it(title, () => assert.deepEqual(parseNodeLossTimings(cm, api), { gracePeriodS: grace, notReadyTolerationS: notReady, unreachableTolerationS: unreachable }));
  }
});

describe('readNodeLossTimings', () => {
  it('reads the static pods of kube-system', async () => {
    const cluster = createFakeCluster();
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kcm', namespace: 'kube-system', labels: { component: 'kube-controller-manager' } }, spec: { containers: [{ command: ['kube-controller-manager', '--node-monitor-grace-period=20s'] }] } });
    cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'kube-system', labels: { component: 'kube-apiserver' } }, spec: { containers: [{ command: ['kube-apiserver', '--default-unreachable-toleration-seconds=30'] }] } });
    const t = await readNodeLossTimings(cluster);
    assert.equal(evictionAfterS(t), 50);
    assert.equal(t.source, 'kube-system static pod flags');
  });

  it('says when it assumed the defaults', async () => {
    const t = await readNodeLossTimings(createFakeCluster());
    assert.equal(evictionAfterS(t), 340);
    assert.match(t.source, /kube-controller-manager and kube-apiserver not visible in kube-system: upstream defaults assumed/);
  });
});
