import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { KubeObject } from '../cluster/types.ts';
import { expectLimitRangeDefaults, expectRejectedByLimitRange } from './quota.ts';

const NS = 'kp-abc123-limits-1';
const LIMIT_RANGE = {
  kind: 'LimitRange', metadata: { name: 'container-limits', namespace: NS },
  spec: { limits: [{ type: 'Container', max: { cpu: '1', memory: '512Mi' }, default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' } }] },
};

/** A fake cluster holding LIMIT_RANGE whose pod admission is `admit` (throw = reject, return = the stored pod). */
function clusterAdmitting(admit: (pod: KubeObject) => KubeObject) {
  const cluster = createFakeCluster({ rawResponses: { [`/api/v1/namespaces/${NS}/limitranges/container-limits`]: { status: 200, body: JSON.stringify(LIMIT_RANGE) } } });
  const create = cluster.create.bind(cluster);
  cluster.create = async (obj) => create(admit(obj));
  return cluster;
}

const forbidden = (message: string) => (): never => { throw Object.assign(new Error(`pods "x" is forbidden: ${message}`), { status: 403 }); };

describe('expectRejectedByLimitRange', () => {
  it('passes when the rejection states the named LimitRange\'s own max', async () => {
    const client = clusterAdmitting(forbidden('maximum cpu usage per Container is 1, but limit is 2'));
    assert.equal(await expectRejectedByLimitRange(client, NS, '2', 'cpu', 'container-limits', 0), 'maximum cpu usage per Container is 1, but limit is 2 — the max of LimitRange container-limits');
  });

  it('fails when another max rejected the pod (another LimitRange, not this one)', async () => {
    const client = clusterAdmitting(forbidden('maximum cpu usage per Container is 300m, but limit is 2'));
    await assert.rejects(expectRejectedByLimitRange(client, NS, '2', 'cpu', 'container-limits', 0), /Expected: a rejection stating "maximum cpu usage per Container is 1" \(the max of LimitRange "container-limits"\)\nReceived: pods "x" is forbidden: maximum cpu usage per Container is 300m/);
  });

  it('fails naming the max when the pod is admitted, and deletes the admitted pod', async () => {
    const client = clusterAdmitting((pod) => pod);
    await assert.rejects(expectRejectedByLimitRange(client, NS, '800m', 'cpu', 'container-limits', 0), /Received: the pod was ADMITTED on every try for 0s; LimitRange "container-limits" has max\.cpu = 1, which lets a container ask for 800m/);
    assert.deepEqual(client.all('Pod', NS), []);
  });

  it('names a missing LimitRange and a resource it does not check', async () => {
    await assert.rejects(expectRejectedByLimitRange(createFakeCluster(), NS, '2', 'cpu', 'container-limits', 0), /LimitRange kp-abc123-limits-1\/container-limits does not exist; apply it before this step/);
    await assert.rejects(expectRejectedByLimitRange(createFakeCluster(), NS, '2', 'gpu', 'container-limits', 0), /"gpu" is not a container resource kubeproof checks; write cpu or memory/);
  });
});

describe('expectLimitRangeDefaults', () => {
  const withResources = (resources: object) => (pod: KubeObject): KubeObject => ({ ...pod, spec: { ...pod.spec, containers: [{ ...pod.spec?.containers?.[0], resources }] } });

  it('passes when the admitted container carries default as limits and defaultRequest as requests', async () => {
    const client = clusterAdmitting(withResources({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '64Mi' } }));
    assert.match(await expectLimitRangeDefaults(client, NS, 'container-limits', 0), /given limits \{"cpu":"500m","memory":"256Mi"\}, requests \{"cpu":"100m","memory":"64Mi"\} by LimitRange container-limits/);
  });

  it('fails listing each value that differs', async () => {
    const client = clusterAdmitting(withResources({ limits: { cpu: '500m' } }));
    await assert.rejects(expectLimitRangeDefaults(client, NS, 'container-limits', 0), /limits\.memory: expected 256Mi, got nothing; requests\.cpu: expected 100m, got nothing; requests\.memory: expected 64Mi, got nothing/);
  });
});
