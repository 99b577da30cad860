import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podCause, workloadCause } from './causes.ts';
import type { KubeObject } from './types.ts';

const pod = (name: string, status: KubeObject['status']): KubeObject => ({ kind: 'Pod', metadata: { name }, status });

describe('podCause', () => {
  it('quotes the scheduler for a pod that cannot be scheduled', () => {
    const p = pod('api-1', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/4 nodes are available: 1 node(s) had untolerated taint, 3 Insufficient cpu.' }] });
    assert.equal(podCause(p), 'pod api-1 is Pending: 0/4 nodes are available: 1 node(s) had untolerated taint, 3 Insufficient cpu. (scheduler)');
  });
  it('quotes the kubelet for an image it cannot pull, and the last exit of a crash loop', () => {
    const pull = pod('api-2', { phase: 'Pending', containerStatuses: [{ name: 'api', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "demo:nope"' } } }] });
    assert.equal(podCause(pull), 'pod api-2 container api: ImagePullBackOff: Back-off pulling image "demo:nope" (kubelet)');
    const loop = pod('api-3', { phase: 'Running', containerStatuses: [{ name: 'api', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    assert.equal(podCause(loop), 'pod api-3 container api: CrashLoopBackOff after 4 restart(s), last exit 1 (Error) (kubelet)');
  });
  it('quotes the newest probe failure event of a running, unready pod', () => {
    const p = pod('api-4', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });
    const events: KubeObject[] = [
      { kind: 'Event', type: 'Warning', reason: 'Unhealthy', involvedObject: { name: 'api-4' }, lastTimestamp: '2026-01-01T00:00:01Z', message: 'Readiness probe failed: Get "http://10.244.1.5:4001/ready": connect: connection refused' },
      { kind: 'Event', type: 'Warning', reason: 'Unhealthy', involvedObject: { name: 'api-4' }, lastTimestamp: '2026-01-01T00:00:00Z', message: 'older' },
      { kind: 'Event', type: 'Normal', reason: 'Pulled', involvedObject: { name: 'api-4' }, lastTimestamp: '2026-01-01T00:00:05Z', message: 'normal' },
    ];
    assert.equal(podCause(p, events), 'pod api-4: Readiness probe failed: Get "http://10.244.1.5:4001/ready": connect: connection refused (Unhealthy)');
  });
  it('says nothing for a ready pod or a terminating one', () => {
    assert.equal(podCause(pod('ok', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })), undefined);
    assert.equal(podCause({ ...pod('gone', { phase: 'Running' }), metadata: { name: 'gone', deletionTimestamp: 'x' } }), undefined);
  });
});

describe('workloadCause', () => {
  it('prefers a start failure over a pending pod, and counts the others', () => {
    const pending = pod('a', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: 'no nodes' }] });
    const pull = pod('b', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "x" is not present with pull policy of Never' } } }] });
    assert.match(workloadCause(undefined, [pending, pull]) ?? '', /^pod b container c: ErrImageNeverPull: .* \(kubelet\) \(and 1 more pod\)$/);
  });
  it('falls back to the controller: a quota refusing the ReplicaSet\'s pods', () => {
    const deployment: KubeObject = { kind: 'Deployment', metadata: { name: 'api' }, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "api-x" is forbidden: exceeded quota: compute' }] } };
    assert.equal(workloadCause(deployment, []), 'Deployment api: FailedCreate: pods "api-x" is forbidden: exceeded quota: compute (controller)');
  });
});
