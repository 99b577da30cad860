import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../cluster/types.ts';
import { imageOnSomeNode, normalizeImage, permanentMisfit, podDoom, podRequests, readyReplicasFinal } from './final-state.ts';
import type { ClusterFacts } from './final-state.ts';

/** Recorded on the kind testbed ~20 s after applying four broken Deployments (see _source in the file). */
const recorded = JSON.parse(readFileSync(new URL('./testdata/final-states.json', import.meta.url), 'utf8')) as {
  deployments: KubeObject[]; replicaSets: KubeObject[]; pods: KubeObject[]; nodes: KubeObject[]; events: KubeObject[];
};
const clone = <T>(x: T): T => structuredClone(x);
const podOf = (app: string): KubeObject => clone(recorded.pods.find((p) => p.metadata?.labels?.app === app)!);
const podsOf = (app: string): KubeObject[] => clone(recorded.pods.filter((p) => p.metadata?.labels?.app === app));
const deploymentOf = (name: string): KubeObject => clone(recorded.deployments.find((d) => d.metadata?.name === name)!);
const facts: ClusterFacts = { nodes: recorded.nodes, events: recorded.events };
const worker = (name: string): KubeObject => clone(recorded.nodes.find((n) => n.metadata?.name === name)!);
const waitingAs = (pod: KubeObject, reason: string, message = ''): KubeObject => {
  pod.status.containerStatuses[0].state = { waiting: { reason, message } };
  return pod;
};

describe('normalizeImage / imageOnSomeNode', () => {
  it('names images as nodes list them', () => {
    assert.equal(normalizeImage('kubeproof/demo-app:1.0.0'), 'docker.io/kubeproof/demo-app:1.0.0');
    assert.equal(normalizeImage('busybox'), 'docker.io/library/busybox:latest');
    assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
    assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  });
  it('finds a loaded image, misses an absent one, and cannot tell when a node lists the kubelet\'s maximum', () => {
    assert.equal(imageOnSomeNode('kubeproof/demo-app:1.0.0', recorded.nodes), true);
    assert.equal(imageOnSomeNode('kubeproof/demo-app:9.9.9', recorded.nodes), false);
    const full = worker('kubeproof-worker');
    full.status.images = Array.from({ length: 50 }, (_, i) => ({ names: [`docker.io/x/img:${i}`] }));
    assert.equal(imageOnSomeNode('kubeproof/demo-app:9.9.9', [full]), undefined);
    assert.equal(imageOnSomeNode('kubeproof/demo-app:9.9.9', []), undefined);
  });
});

describe('podDoom — images', () => {
  it('ErrImageNeverPull for an image on no node dooms every pod of the template', () => {
    assert.deepEqual(podDoom(podOf('nopull-never'), facts), {
      scope: 'template',
      reason: 'image "kubeproof/demo-app:9.9.9" is on no node and its pull policy is Never (ErrImageNeverPull)',
    });
  });
  it('ImagePullBackOff after the kubelet\'s failed pull ("no such host": this testbed has no registry) is final too', () => {
    assert.deepEqual(podDoom(podOf('nopull-ifnp'), facts), {
      scope: 'template',
      reason: 'image "kubeproof/demo-app:9.9.9" is on no node and the kubelet could not pull it and is backing off (ImagePullBackOff)',
    });
  });
  it('ErrImagePull counts once the kubelet\'s "Back-off pulling image" event says it backs off (before the status does)', () => {
    const pod = waitingAs(podOf('nopull-ifnp'), 'ErrImagePull', 'failed to pull and unpack image "docker.io/kubeproof/demo-app:9.9.9": failed to resolve reference "docker.io/kubeproof/demo-app:9.9.9": failed to do request: Head "https://registry-1.docker.io/v2/kubeproof/demo-app/manifests/9.9.9": dial tcp: lookup registry-1.docker.io on 172.18.0.5:53: no such host');
    const backOff = recorded.events.filter((e) => e.reason === 'BackOff' && e.involvedObject && (e.involvedObject as { name: string }).name === pod.metadata?.name);
    assert.equal(backOff.length, 1, 'the recording has the kubelet\'s back-off event');
    assert.deepEqual(podDoom(pod, { ...facts, events: backOff }), {
      scope: 'template',
      reason: 'image "kubeproof/demo-app:9.9.9" is on no node and the kubelet could not pull it and is backing off (ImagePullBackOff)',
    });
  });
  it('an image other nodes have only dooms the pod stuck on its node', () => {
    const loaded = worker('kubeproof-worker3');
    loaded.status.images.push({ names: ['docker.io/kubeproof/demo-app:9.9.9'] });
    assert.equal(podDoom(podOf('nopull-never'), { ...facts, nodes: [...recorded.nodes, loaded] })?.scope, 'pod');
  });
  it('never fires while a pull is in progress, on a first ErrImagePull, or on a passing pull error', () => {
    assert.equal(podDoom(waitingAs(podOf('nopull-ifnp'), 'ContainerCreating'), { ...facts, events: [] }), undefined);
    assert.equal(podDoom(waitingAs(podOf('nopull-ifnp'), 'ErrImagePull', 'failed to pull and unpack image: no such host'), { ...facts, events: [] }), undefined);
    const limited = waitingAs(podOf('nopull-ifnp'), 'ImagePullBackOff', 'Back-off pulling image "x": ErrImagePull: 429 Too Many Requests - toomanyrequests: You have reached your pull rate limit');
    assert.equal(podDoom(limited, facts), undefined);
    assert.equal(podDoom(waitingAs(podOf('nopull-ifnp'), 'ImagePullBackOff', 'Back-off pulling image "x"'), { ...facts, events: [] }), undefined, 'no pull error known: not judged');
  });
});

describe('podDoom — crash loops', () => {
  it('a container crashing on start for the 3rd time in a row is final', () => {
    assert.deepEqual(podDoom(podOf('crash'), facts), {
      scope: 'pod',
      reason: 'container app crashed 3 times in a row, the last time 0s after starting (exit 3, Error), and the kubelet now waits longer and longer between restarts (CrashLoopBackOff)',
    });
  });
  it('not before the 3rd restart, not once a restart succeeded, not after a long run, not when a probe killed it', () => {
    const early = podOf('crash');
    early.status.containerStatuses[0].restartCount = 2;
    assert.equal(podDoom(early, facts), undefined);
    const recovered = podOf('crash');
    recovered.status.containerStatuses[0].state = { running: { startedAt: '2026-11-30T03:19:10Z' } };
    assert.equal(podDoom(recovered, facts), undefined);
    const ranLong = podOf('crash');
    ranLong.status.containerStatuses[0].lastState.terminated.startedAt = '2026-11-30T03:17:28Z';
    assert.equal(podDoom(ranLong, facts), undefined, 'ran 60 s: it may have been Ready meanwhile');
    const killed: KubeObject = { kind: 'Event', type: 'Normal', reason: 'Killing', involvedObject: { kind: 'Pod', name: podOf('crash').metadata?.name }, message: 'Container app failed liveness probe, will be restarted' };
    assert.equal(podDoom(podOf('crash'), { ...facts, events: [...recorded.events, killed] }), undefined);
  });
});

describe('podDoom — scheduling', () => {
  it('a pod requesting more CPU than any node has in total is final, each node named with its reason', () => {
    assert.deepEqual(podDoom(podOf('toobig'), facts), {
      scope: 'template',
      reason: 'no node can ever run it (kubeproof-control-plane: untolerated taint node-role.kubernetes.io/control-plane:NoSchedule; kubeproof-worker, kubeproof-worker2, kubeproof-worker3: requests cpu 3 > allocatable 2) and no cluster autoscaler adds nodes',
    });
  });
  it('"Insufficient cpu" for a pod an empty node could fit is not final (other pods may terminate)', () => {
    const pod = podOf('toobig');
    pod.spec.containers[0].resources.requests.cpu = '1500m';
    assert.equal(podDoom(pod, facts), undefined);
  });
  it('a nodeSelector no node matches is final; the control plane\'s taint may be tolerated', () => {
    const pod = podOf('toobig');
    pod.spec.containers[0].resources.requests.cpu = '10m';
    pod.spec.nodeSelector = { 'kubernetes.io/hostname': 'kubeproof-worker9' };
    pod.spec.tolerations = [{ operator: 'Exists', effect: 'NoSchedule' }];
    assert.match(podDoom(pod, facts)?.reason ?? '', /^no node can ever run it \(kubeproof-control-plane, kubeproof-worker, kubeproof-worker2, kubeproof-worker3: nodeSelector kubernetes\.io\/hostname=kubeproof-worker9 does not match\)/);
  });
  it('never fires when the only fitting node is NotReady, cordoned or tainted by a fault, nor with an autoscaler', () => {
    const pod = podOf('toobig');
    pod.spec.containers[0].resources.requests.cpu = '10m';
    pod.spec.nodeSelector = { 'kubernetes.io/hostname': 'kubeproof-worker2' };
    const dead = worker('kubeproof-worker2');
    dead.spec.taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }];
    dead.spec.unschedulable = true;
    const nodes = recorded.nodes.map((n) => (n.metadata?.name === 'kubeproof-worker2' ? dead : n));
    assert.equal(podDoom(pod, { ...facts, nodes }), undefined);
    const autoscaler: KubeObject = { kind: 'Event', reason: 'NotTriggerScaleUp', source: { component: 'cluster-autoscaler' }, involvedObject: { kind: 'Pod', name: 'x' }, message: 'pod didn\'t trigger scale-up' };
    assert.equal(podDoom(podOf('toobig'), { ...facts, events: [autoscaler] }), undefined);
  });
  it('reads required node affinity, and leaves Gt/Lt terms unjudged', () => {
    const pod = podOf('toobig');
    pod.spec.containers[0].resources.requests.cpu = '10m';
    const term = (operator: string, values: string[]) => ({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator, values }] }] });
    pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('In', ['nowhere']) } };
    assert.equal(permanentMisfit(pod, worker('kubeproof-worker')), 'required node affinity does not match');
    pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('NotIn', ['nowhere']) } };
    assert.equal(permanentMisfit(pod, worker('kubeproof-worker')), undefined);
    pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('Gt', ['5']) } };
    assert.equal(permanentMisfit(pod, worker('kubeproof-worker')), undefined);
  });
  it('sums container requests, takes init containers at their maximum, and adds overhead', () => {
    const pod: KubeObject = { spec: {
      containers: [{ resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { resources: { requests: { cpu: '250m' } } }],
      initContainers: [{ resources: { requests: { cpu: '2' } } }, { restartPolicy: 'Always', resources: { requests: { memory: '64Mi' } } }],
      overhead: { cpu: '100m' },
    } };
    assert.deepEqual(Object.fromEntries(podRequests(pod)), { cpu: 2.1, memory: 128 * 2 ** 20 });
  });
});

describe('readyReplicasFinal', () => {
  const replicaFacts = (app: string, hpas: KubeObject[] | undefined = []) => ({
    ...facts, deployment: deploymentOf(app), replicaSets: recorded.replicaSets, pods: podsOf(app), hpas,
  });
  it('no pod of a doomed template can become ready: final, with the reason and the count', () => {
    assert.equal(readyReplicasFinal(replicaFacts('nopull-never'), 2),
      'at most 0 of the 2 expected ready replicas can ever exist: 2 pods can never become ready: image "kubeproof/demo-app:9.9.9" is on no node and its pull policy is Never (ErrImageNeverPull)');
    assert.match(readyReplicasFinal(replicaFacts('toobig'), 2) ?? '', /^at most 0 of the 2 expected ready replicas can ever exist: 2 pods can never become ready: no node can ever run it/);
  });
  it('pods the scheduler has not reached yet share their template\'s fate', () => {
    const f = replicaFacts('toobig');
    const fresh = clone(f.pods[0]!);
    fresh.metadata!.name = 'toobig-b756bf65f-fresh';
    fresh.status = { phase: 'Pending' };
    f.pods.push(fresh);
    assert.match(readyReplicasFinal(f, 3) ?? '', /^at most 0 of the 3 expected ready replicas can ever exist: 3 pods can never become ready: no node can ever run it/);
  });
  it('a pod the ReplicaSet has yet to create shares its template\'s fate', () => {
    const f = replicaFacts('nopull-never');
    f.pods = f.pods.slice(0, 1);
    assert.match(readyReplicasFinal(f, 2) ?? '', /^at most 0 of the 2 /);
  });
  it('a spec asking for fewer replicas is final unless an autoscaler may raise it', () => {
    const d = deploymentOf('crash');
    const pod = podOf('crash');
    pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const base = { ...facts, deployment: d, replicaSets: recorded.replicaSets, pods: [pod] };
    assert.equal(readyReplicasFinal({ ...base, hpas: [] }, 3),
      'at most 1 of the 3 expected ready replicas can ever exist: deployment "crash" asks for 1 replica (spec.replicas) and no HorizontalPodAutoscaler targets it');
    const hpa = (max: number): KubeObject => ({ kind: 'HorizontalPodAutoscaler', metadata: { name: 'crash' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'crash' }, maxReplicas: max } });
    assert.equal(readyReplicasFinal({ ...base, hpas: [hpa(5)] }, 3), undefined);
    assert.match(readyReplicasFinal({ ...base, hpas: [hpa(2)] }, 3) ?? '', /HorizontalPodAutoscaler "crash" allows at most 2 \(maxReplicas\)$/);
    assert.equal(readyReplicasFinal({ ...base, hpas: undefined }, 3), undefined, 'autoscalers unknown: not judged');
  });
  it('never fires before the controller has seen the current spec', () => {
    const f = replicaFacts('nopull-never');
    f.deployment.metadata!.generation = 2;
    assert.equal(readyReplicasFinal(f, 2), undefined);
  });
  it('a crash-looping pod is doomed alone (it is never replaced); the others may still start', () => {
    const d = deploymentOf('crash');
    d.spec.replicas = 2;
    const [first] = podsOf('crash');
    const second = clone(first!);
    second.metadata!.name = 'crash-5557b65498-other';
    second.status.containerStatuses[0].restartCount = 1;
    const rs = clone(recorded.replicaSets.find((r) => r.metadata?.name?.startsWith('crash'))!);
    rs.spec.replicas = 2;
    const f = { ...facts, deployment: d, replicaSets: [rs], pods: [first!, second], hpas: [] };
    assert.equal(readyReplicasFinal(f, 1), undefined);
    assert.match(readyReplicasFinal(f, 2) ?? '', /^at most 1 of the 2 expected ready replicas can ever exist: 1 pod can never become ready: container app crashed/);
    second.status.containerStatuses[0].restartCount = 3;
    assert.match(readyReplicasFinal(f, 2) ?? '', /^at most 0 of the 2 expected ready replicas can ever exist: 2 pods can never become ready: container app crashed 3 times in a row/);
  });
  it('mid-rollout: old pods and a surge pod still starting may reach more than spec.replicas — not final', () => {
    const d = deploymentOf('crash');
    d.spec.replicas = 2;
    d.metadata!.annotations = { 'deployment.kubernetes.io/revision': '2' };
    const owner = { kind: 'Deployment', name: 'crash', uid: d.metadata!.uid!, controller: true };
    const rs = (name: string, replicas: number, revision: string): KubeObject => ({ kind: 'ReplicaSet', metadata: { name, ownerReferences: [owner], annotations: { 'deployment.kubernetes.io/revision': revision } }, spec: { replicas } });
    const pod = (name: string, set: string, ready: boolean): KubeObject => ({ kind: 'Pod', metadata: { name, labels: { app: 'crash' }, ownerReferences: [{ kind: 'ReplicaSet', name: set, uid: set, controller: true }] }, spec: {}, status: { phase: ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    const f = { ...facts, deployment: d, replicaSets: [rs('old', 2, '1'), rs('new', 1, '2')], pods: [pod('o1', 'old', true), pod('o2', 'old', true), pod('n1', 'new', false)], hpas: [] };
    assert.equal(readyReplicasFinal(f, 3), undefined);
  });
});
