/**
 * Synthetic but realistic scenario timelines for the chart: node death under load, a rolling update
 * under load, a broken rollout rolled back, HPA scale-out and back, a plain pod kill, and a large one
 * (10 minutes of load, ~5 000 entries) for timing. Shapes follow what the recorder writes on the
 * project's kind cluster (shortened node timings: NotReady ~15 s after death, eviction ~30 s later).
 */
import type { TimelineEvent, TimelinePayload } from '../src/timeline/events.ts';

/** Collects entries at given seconds (sorted on build). */
function builder(): { at(s: number, p: TimelinePayload): void; build(): TimelineEvent[] } {
  const events: TimelineEvent[] = [];
  const start = Date.parse('2026-03-02T09:00:00Z');
  return {
    at(s, p) {
      const t = Math.round(s * 1000);
      events.push({ ...p, t, at: new Date(start + t).toISOString() } as TimelineEvent);
    },
    build: () => events.sort((a, b) => a.t - b.t),
  };
}

type B = ReturnType<typeof builder>;
const NODES = ['kind-worker', 'kind-worker2', 'kind-worker3'];

function nodesReady(b: B): void {
  for (const n of [...NODES, 'kind-control-plane']) b.at(0.05, { kind: 'k8s.node', name: n, ready: true, unschedulable: false });
}

function pod(b: B, s: number, name: string, node: string | undefined, state: 'Pending' | 'Running' | 'Ready' | 'NotReady' | 'deleted', reason?: string): void {
  b.at(s, {
    kind: 'k8s.pod', name, phase: state === 'Ready' || state === 'NotReady' ? 'Running' : state === 'deleted' ? 'Running' : state,
    ready: state === 'Ready', ...(node ? { node } : {}), ...(reason ? { reason } : {}), ...(state === 'deleted' ? { deleted: true } : {}),
  });
}

function startPods(b: B, s: number, pods: Array<[string, string]>): void {
  for (const [name, node] of pods) {
    pod(b, s, name, undefined, 'Pending');
    pod(b, s + 0.1, name, node, 'Pending', 'ContainerCreating');
    pod(b, s + 1.2, name, node, 'Running');
    pod(b, s + 3, name, node, 'Ready');
  }
}

function loadSeconds(b: B, target: string, startS: number, seconds: number, rate: (second: number) => { requests: number; errors: number; p95Ms: number }): void {
  b.at(startS, { kind: 'load.started', target, detail: `${rate(0).requests} req/s for ${seconds}s, built-in sender` });
  for (let second = 0; second < seconds; second++) b.at(startS + second + 1, { kind: 'load.second', target, second, ...rate(second) });
  b.at(startS + seconds + 0.2, { kind: 'load.stopped', target, detail: 'done' });
}

function background(b: B, deployment: string, replicas: number, pods: Array<[string, string]>): void {
  b.at(0, { kind: 'marker', label: 'scenario started in namespace kp-3f2a (seed 1234)' });
  nodesReady(b);
  b.at(0.5, { kind: 'marker', label: 'applied 7 objects from fixtures/demo-shop' });
  b.at(0.6, { kind: 'k8s.deployment', name: deployment, desired: replicas, ready: 0, updated: 0, available: 0 });
  startPods(b, 0.7, pods);
  b.at(3.8, { kind: 'k8s.deployment', name: deployment, desired: replicas, ready: replicas, updated: replicas, available: replicas });
  b.at(3.9, { kind: 'condition.met', subject: `deployment ${deployment}`, expectation: `${replicas} ready replicas`, latencyMs: 3.1 });
}

/** When the node running the most "api" pods dies, under 50 req/s. */
export function nodeDeathWithLoad(): TimelineEvent[] {
  const b = builder();
  background(b, 'api', 3, [['api-7c9-a1', 'kind-worker'], ['api-7c9-b2', 'kind-worker2'], ['api-7c9-c3', 'kind-worker2']]);
  b.at(0.6, { kind: 'k8s.deployment', name: 'frontend', desired: 2, ready: 0, updated: 0, available: 0 });
  startPods(b, 0.8, [['frontend-5d-x1', 'kind-worker3'], ['frontend-5d-x2', 'kind-worker']]);
  b.at(4, { kind: 'k8s.deployment', name: 'frontend', desired: 2, ready: 2, updated: 2, available: 2 });
  const faultS = 40;
  loadSeconds(b, 'service/api', 10, 180, (s) => {
    const t = 10 + s;
    const blackout = t >= faultS && t < faultS + 16; // requests still routed to the frozen pods
    return { requests: 50, errors: blackout ? 28 + (s % 5) : t >= faultS + 16 && t < faultS + 20 ? 2 : 0, p95Ms: blackout ? 2000 : 18 + (s % 7) };
  });
  b.at(faultS, { kind: 'fault.injected', fault: 'node-pause', target: 'node/kind-worker2', detail: 'docker pause' });
  b.at(faultS + 15.5, { kind: 'k8s.node', name: 'kind-worker2', ready: false, unschedulable: false });
  pod(b, faultS + 15.8, 'api-7c9-b2', 'kind-worker2', 'NotReady');
  pod(b, faultS + 15.8, 'api-7c9-c3', 'kind-worker2', 'NotReady');
  b.at(faultS + 15.9, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 1, updated: 3, available: 1 });
  b.at(faultS + 16, { kind: 'k8s.event', type: 'Normal', reason: 'NodeNotReady', object: 'pod/api-7c9-b2', message: 'Node is not ready' });
  // Eviction after the (shortened) toleration, replacements on the surviving nodes.
  pod(b, faultS + 46, 'api-7c9-b2', 'kind-worker2', 'deleted');
  pod(b, faultS + 46, 'api-7c9-c3', 'kind-worker2', 'deleted');
  startPods(b, faultS + 46.1, [['api-7c9-d4', 'kind-worker3'], ['api-7c9-e5', 'kind-worker']]);
  b.at(faultS + 49.2, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3 });
  b.at(faultS + 49.3, { kind: 'condition.met', subject: 'deployment api', expectation: '3 ready replicas', latencyMs: 2.4 });
  b.at(faultS + 49.4, { kind: 'condition.met', subject: 'deployment api', expectation: 'no ready pod on node kind-worker2' });
  b.at(191, { kind: 'condition.met', subject: 'load on service/api', expectation: 'error rate after recovery < 1% (0.0%)' });
  b.at(192, { kind: 'fault.reverted', fault: 'node.unpause', target: 'kind-worker2', ok: true, detail: 'node kind-worker2 Ready again' });
  return b.build();
}

/** A rolling update 1.0.0 → 1.1.0 of 4 replicas (maxSurge 1, maxUnavailable 1) under load. */
export function rollingUpdateWithLoad(): TimelineEvent[] {
  const b = builder();
  const old = [['api-6d4-a', 'kind-worker'], ['api-6d4-b', 'kind-worker2'], ['api-6d4-c', 'kind-worker3'], ['api-6d4-d', 'kind-worker']] as Array<[string, string]>;
  background(b, 'api', 4, old);
  const rs = (s: number, name: string, revision: string, image: string, desired: number, ready: number): void =>
    b.at(s, { kind: 'k8s.replicaset', name, desired, ready, owner: 'api', revision, image });
  rs(0.6, 'api-6d4', '1', 'kubeproof/demo-app:1.0.0', 4, 0);
  rs(3.8, 'api-6d4', '1', 'kubeproof/demo-app:1.0.0', 4, 4);
  loadSeconds(b, 'service/api', 8, 70, (s) => ({ requests: 40, errors: s >= 13 && s < 31 && s % 4 === 1 ? 3 : 0, p95Ms: s >= 12 && s < 32 ? 60 + (s % 6) * 8 : 15 + (s % 4) }));
  b.at(20, { kind: 'marker', label: 'set image of deployment api to kubeproof/demo-app:1.1.0' });
  // Surge 1 / unavailable 1: new 2, old 3 → new 4, old 0, in waves.
  let newReady = 0;
  let oldReady = 4;
  const waves: Array<[number, number, number]> = [[20.2, 2, 3], [26, 4, 1], [31, 4, 0]];
  let i = 0;
  const oldPods = old.map(([name]) => name);
  for (const [s, newDesired, oldDesired] of waves) {
    rs(s, 'api-6d4', '1', 'kubeproof/demo-app:1.0.0', oldDesired, Math.min(oldReady, oldDesired));
    while (oldPods.length > oldDesired) pod(b, s + 0.05, oldPods.pop() ?? '', undefined, 'deleted');
    oldReady = Math.min(oldReady, oldDesired);
    rs(s + 0.1, 'api-55f', '2', 'kubeproof/demo-app:1.1.0', newDesired, newReady);
    for (let k = newReady; k < newDesired; k++) startPods(b, s + 0.2, [[`api-55f-${i++}`, NODES[k % 3] ?? 'kind-worker']]);
    newReady = newDesired;
    rs(s + 3.3, 'api-55f', '2', 'kubeproof/demo-app:1.1.0', newDesired, newReady);
    b.at(s + 3.4, { kind: 'k8s.deployment', name: 'api', desired: 4, ready: Math.min(4, newReady + oldReady), updated: newReady, available: Math.min(4, newReady + oldReady) });
  }
  b.at(34.5, { kind: 'condition.met', subject: 'deployment api', expectation: 'rollout complete: 4/4 pods run kubeproof/demo-app:1.1.0' });
  b.at(79, { kind: 'condition.failed', subject: 'load on service/api', expectation: 'error rate during the rollout below 1% (was 2.1%)' });
  return b.build();
}

/** A broken image that never becomes Ready, then a rollback (revision 1 becomes 3). */
export function brokenRolloutAndRollback(): TimelineEvent[] {
  const b = builder();
  background(b, 'api', 3, [['api-6d4-a', 'kind-worker'], ['api-6d4-b', 'kind-worker2'], ['api-6d4-c', 'kind-worker3']]);
  const rs = (s: number, name: string, revision: string, image: string, desired: number, ready: number): void =>
    b.at(s, { kind: 'k8s.replicaset', name, desired, ready, owner: 'api', revision, image });
  rs(0.6, 'api-6d4', '1', 'kubeproof/demo-app:1.0.0', 3, 0);
  rs(3.8, 'api-6d4', '1', 'kubeproof/demo-app:1.0.0', 3, 3);
  b.at(10, { kind: 'fault.injected', fault: 'bad-rollout', target: 'deployment/api', detail: 'image kubeproof/demo-app:broken' });
  rs(10.1, 'api-8b7', '2', 'kubeproof/demo-app:broken', 1, 0);
  pod(b, 10.2, 'api-8b7-x', 'kind-worker', 'Running');
  pod(b, 12, 'api-8b7-x', 'kind-worker', 'NotReady', 'CrashLoopBackOff');
  b.at(40.5, { kind: 'condition.met', subject: 'deployment api', expectation: 'rollout stuck (ProgressDeadlineExceeded)' });
  b.at(41, { kind: 'marker', label: 'rolled back deployment api' });
  rs(41.1, 'api-6d4', '3', 'kubeproof/demo-app:1.0.0', 3, 3);
  rs(41.2, 'api-8b7', '2', 'kubeproof/demo-app:broken', 0, 0);
  pod(b, 41.3, 'api-8b7-x', undefined, 'deleted');
  b.at(41.4, { kind: 'condition.met', subject: 'deployment api', expectation: 'all ready pods run kubeproof/demo-app:1.0.0' });
  b.at(42, { kind: 'fault.reverted', fault: 'bad-rollout', target: 'deployment/api', ok: true });
  return b.build();
}

/** HPA min 2 / max 6 / 50 % CPU scales out under 40 req/s of /work?cpuMs=20, then back in. */
export function hpaScaleOutAndBack(): TimelineEvent[] {
  const b = builder();
  background(b, 'api', 2, [['api-7c9-a', 'kind-worker'], ['api-7c9-b', 'kind-worker2']]);
  const hpa = (s: number, current: number, desired: number, cpu?: number): void =>
    b.at(s, { kind: 'k8s.hpa', name: 'api', current, desired, ...(cpu !== undefined ? { cpuPercent: cpu } : {}), targetPercent: 50, min: 2, max: 6 });
  hpa(1, 2, 2);
  hpa(16, 2, 2, 3);
  loadSeconds(b, 'service/api', 10, 180, (s) => ({ requests: 40, errors: 0, p95Ms: s < 40 ? 45 + (s % 9) * 6 : 24 + (s % 5) }));
  const replicas: Array<[number, number, number, number]> = [[31, 2, 4, 118], [46, 4, 6, 74], [61, 6, 6, 51], [76, 6, 6, 47], [91, 6, 6, 49]];
  let n = 2;
  for (const [s, current, desired, cpu] of replicas) {
    hpa(s, current, desired, cpu);
    if (desired > n) {
      b.at(s + 0.1, { kind: 'k8s.deployment', name: 'api', desired, ready: n, updated: desired, available: n });
      startPods(b, s + 0.2, Array.from({ length: desired - n }, (_, k) => [`api-7c9-s${n + k}`, NODES[(n + k) % 3] ?? 'kind-worker'] as [string, string]));
      b.at(s + 3.3, { kind: 'k8s.deployment', name: 'api', desired, ready: desired, updated: desired, available: desired });
      if (n === 2) b.at(s + 3.4, { kind: 'condition.met', subject: 'hpa api', expectation: 'at least 3 replicas', latencyMs: 1.9 });
      n = desired;
    }
  }
  for (let s = 106; s <= 190; s += 15) hpa(s, 6, 6, 45 + (s % 7));
  b.at(190.3, { kind: 'marker', label: 'the load stops' });
  hpa(205, 6, 6, 2);
  hpa(265, 6, 2, 1);
  b.at(265.1, { kind: 'k8s.deployment', name: 'api', desired: 2, ready: 6, updated: 2, available: 6 });
  for (let k = 2; k < 6; k++) pod(b, 265.5, `api-7c9-s${k}`, undefined, 'deleted');
  b.at(265.6, { kind: 'k8s.deployment', name: 'api', desired: 2, ready: 2, updated: 2, available: 2 });
  hpa(280, 2, 2, 2);
  b.at(280.2, { kind: 'condition.met', subject: 'hpa api', expectation: 'back to 2 replicas' });
  return b.build();
}

/** I kill 1 pod of deployment "api"; 3 ready replicas within 30 seconds. */
export function plainPodKill(): TimelineEvent[] {
  const b = builder();
  background(b, 'api', 3, [['api-7c9-a', 'kind-worker'], ['api-7c9-b', 'kind-worker2'], ['api-7c9-c', 'kind-worker3']]);
  b.at(6, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api', detail: 'killed api-7c9-b (grace 0s)' });
  pod(b, 6.05, 'api-7c9-b', 'kind-worker2', 'deleted');
  b.at(6.1, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 2, updated: 3, available: 2 });
  startPods(b, 6.15, [['api-7c9-d', 'kind-worker2']]);
  b.at(9.2, { kind: 'k8s.deployment', name: 'api', desired: 3, ready: 3, updated: 3, available: 3 });
  b.at(9.25, { kind: 'condition.met', subject: 'deployment api', expectation: '3 ready replicas <within 30 seconds>', latencyMs: 2.2 });
  b.at(10, { kind: 'marker', label: 'steps done' });
  return b.build();
}

/** ~5 000 entries over 10 minutes: load every second, a pod killed every 10 s, Events, HPA syncs. */
export function largeTimeline(): TimelineEvent[] {
  const b = builder();
  background(b, 'api', 6, Array.from({ length: 6 }, (_, k) => [`api-p${k}`, NODES[k % 3] ?? 'kind-worker'] as [string, string]));
  loadSeconds(b, 'service/api', 5, 600, (s) => ({ requests: 100, errors: s % 10 === 1 ? 4 : 0, p95Ms: 20 + (s % 13) }));
  let next = 6;
  for (let s = 10; s < 600; s += 10) {
    const victim = `api-p${next - 6}`;
    b.at(s, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api', detail: `killed ${victim}` });
    pod(b, s + 0.05, victim, NODES[(next - 6) % 3], 'deleted');
    b.at(s + 0.1, { kind: 'k8s.deployment', name: 'api', desired: 6, ready: 5, updated: 6, available: 5 });
    startPods(b, s + 0.15, [[`api-p${next}`, NODES[next % 3] ?? 'kind-worker']]);
    for (let k = 0; k < 65; k++) b.at(s + 0.2 + k * 0.2, { kind: 'k8s.event', type: 'Normal', reason: k % 2 ? 'Pulled' : 'Scheduled', object: `pod/api-p${next}`, message: `event ${k} for pod api-p${next}` });
    b.at(s + 3.2, { kind: 'k8s.deployment', name: 'api', desired: 6, ready: 6, updated: 6, available: 6 });
    b.at(s + 3.3, { kind: 'condition.met', subject: 'deployment api', expectation: '6 ready replicas' });
    b.at(s + 5, { kind: 'k8s.hpa', name: 'api', current: 6, desired: 6, cpuPercent: 40 + (s % 30), targetPercent: 50, min: 2, max: 8 });
    next++;
  }
  return b.build();
}

/** The visual samples, by file name. */
export const SAMPLES: Record<string, () => TimelineEvent[]> = {
  'node-death-with-load': nodeDeathWithLoad,
  'rolling-update-with-load': rollingUpdateWithLoad,
  'broken-rollout-and-rollback': brokenRolloutAndRollback,
  'hpa-scale-out-and-back': hpaScaleOutAndBack,
  'plain-pod-kill': plainPodKill,
};
