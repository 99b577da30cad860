import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, ObjectStore } from '../cluster/types.ts';
import { daemonSetOnEveryNode } from './daemonset-coverage.ts';
import { containerOomKilled } from './oom-killed.ts';
import { podsUnschedulable } from './unschedulable.ts';

/** A static store over `objects` (conditions only read it). */
function store(kind: string, objects: KubeObject[]): ObjectStore {
  return { kind: kind as never, ready: Promise.resolve(), list: () => objects, get: (n) => objects.find((o) => o.metadata?.name === n), onChange: () => () => {}, stop: async () => {} };
}
const ready = [{ type: 'Ready', status: 'True' }];
const node = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name, labels: {} }, spec: extra, status: { conditions: ready } });
const nodes = [node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), node('w1'), node('w2', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] })];
const pod = (name: string, nodeName: string | undefined, status: Record<string, unknown> = { phase: 'Running', conditions: ready }): KubeObject => ({ metadata: { name, labels: { app: 'agent' } }, spec: { nodeName }, status });

describe('daemonSetOnEveryNode', () => {
  const ds = (spec: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec } }, status: { desiredNumberScheduled: 2 } });
  it('wants every Ready worker, the cordoned one included, and not the tainted control plane', () => {
    const c = daemonSetOnEveryNode({ daemonSets: store('DaemonSet', [ds()]), pods: store('Pod', [pod('agent-a', 'w1'), pod('agent-b', 'w2')]), nodes: store('Node', nodes) }, 'ns', 'agent');
    const o = c.observe();
    assert.equal(o.ok, true, o.received);
    assert.match(o.received, /2\/2 wanted node\(s\) have exactly one ready pod .*not wanted: cp \(taint node-role\.kubernetes\.io\/control-plane:NoSchedule not tolerated\)/);
  });
  it('names a nodeSelector that matches no node as the cause', () => {
    const c = daemonSetOnEveryNode({ daemonSets: store('DaemonSet', [ds({ nodeSelector: { disktype: 'ssd' } })]), pods: store('Pod', []), nodes: store('Node', nodes) }, 'ns', 'agent');
    const o = c.observe();
    assert.equal(o.ok, false);
    assert.match(o.cause ?? '', /its nodeSelector disktype=ssd matches 0 of the 2 schedulable node\(s\)/);
  });
});

describe('containerOomKilled', () => {
  const hog = (limit?: string): KubeObject => ({ metadata: { name: 'hog' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { containers: [{ name: 'hog', resources: limit ? { limits: { memory: limit } } : {} }] } } } });
  it('reads the reason and exit code from the last state', () => {
    const killed = pod('hog-1', 'w1', { containerStatuses: [{ name: 'hog', restartCount: 1, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } }, state: { running: {} } }] });
    const o = containerOomKilled({ workload: store('Deployment', [hog('64Mi')]), pods: store('Pod', [killed]) }, 'Deployment', 'ns', 'hog').observe();
    assert.equal(o.ok, true);
    assert.equal(o.received, 'hog-1/hog: OOMKilled, exit code 137, restartCount 1 (hog: memory limit 64Mi)');
  });
  it('a container without a memory limit has that as its cause', () => {
    const running = pod('hog-1', 'w1', { containerStatuses: [{ name: 'hog', state: { running: {} } }] });
    const o = containerOomKilled({ workload: store('Deployment', [hog()]), pods: store('Pod', [running]) }, 'Deployment', 'ns', 'hog').observe();
    assert.equal(o.ok, false);
    assert.match(o.cause ?? '', /has no resources\.limits\.memory/);
  });
});

describe('podsUnschedulable', () => {
  const greedy: KubeObject = { metadata: { name: 'greedy' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { containers: [{ name: 'g', resources: { requests: { cpu: '64' } } }] } } } };
  it('holds while the scheduler says why, and names a pod that got a node', () => {
    const pending = pod('g-1', undefined, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/4 nodes are available: 3 Insufficient cpu.' }] });
    const stores = (p: KubeObject) => ({ workload: store('Deployment', [greedy]), pods: store('Pod', [p]) });
    assert.equal(podsUnschedulable(stores(pending), 'Deployment', 'ns', 'greedy', 'Insufficient cpu').observe().ok, true);
    assert.equal(podsUnschedulable(stores(pending), 'Deployment', 'ns', 'greedy', 'Insufficient memory').observe().ok, false);
    const placed = podsUnschedulable(stores(pod('g-1', 'w1')), 'Deployment', 'ns', 'greedy').observe();
    assert.match(placed.cause ?? '', /pod g-1 was placed on node w1: a node had room for its requests \(g requests cpu 64\)/);
  });
});
