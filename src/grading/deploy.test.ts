import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiError } from '../cluster/api-errors.ts';
import { kindOf } from '../failure/failure.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import { createSubmissionOps } from './deploy.ts';

const DISCOVERY = {
  '/api/v1': { status: 200, body: JSON.stringify({ resources: [{ name: 'services', kind: 'Service', namespaced: true }, { name: 'namespaces', kind: 'Namespace', namespaced: false }, { name: 'configmaps', kind: 'ConfigMap', namespaced: true }] }) },
  '/apis/apps/v1': { status: 200, body: JSON.stringify({ resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }, { name: 'deployments/scale', kind: 'Scale', namespaced: true }] }) },
  '/apis/rbac.authorization.k8s.io/v1': { status: 200, body: JSON.stringify({ resources: [{ name: 'clusterroles', kind: 'ClusterRole', namespaced: false }] }) },
};

function submission(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'kp-sub-')), 'ada');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function setup(files: Record<string, string>, options: { problem?: string; cluster?: FakeCluster } = {}) {
  const cluster = options.cluster ?? createFakeCluster({ rawResponses: DISCOVERY });
  cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kp-1' } });
  const deps = fakeScenarioDeps(cluster, 'kp-1');
  const ops = createSubmissionOps(deps, { name: 'Ada', dir: submission(files), names: { web: 'shop' }, ...(options.problem ? { problem: options.problem } : {}) });
  return { cluster, deps, ops };
}

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: shop }\nspec: { replicas: 3 }\n';
const service = (port: number) => `apiVersion: v1\nkind: Service\nmetadata: { name: shop }\nspec:\n  type: NodePort\n  ports: [{ port: 80, nodePort: ${port} }]\n`;

describe('createSubmissionOps', () => {
  it('applies every object of the submission, at any depth, into the scenario namespace (whatever namespace they name)', async () => {
    const { cluster, ops } = setup({ 'app/deploy.yaml': deployment.replace('name: shop }', 'name: shop, namespace: prod }'), 'kubeproof.yaml': 'names: { web: shop }' });
    assert.equal(await ops.deploy(), 1);
    assert.deepEqual(cluster.all('Deployment').map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`), ['kp-1/shop']);
    assert.deepEqual(ops.names(), { web: 'shop' });
  });

  it('blames the submission for what it got wrong, naming file and line', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'a.yaml': 'kind: [' }, /invalid YAML in ada\/a\.yaml line 1/],
      [{ 'a.yaml': `${deployment}---\napiVersion: v1\nkind: Namespace\nmetadata: { name: mine }\n` }, /ada\/a\.yaml line 6 \(Namespace "mine"\): a submission must not create namespaces/],
      [{ 'a.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: god }\n' }, /ClusterRole is cluster-scoped; a submission may only hold namespaced objects/],
      [{ 'a.yaml': 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: x }\n' }, /the cluster does not serve kind Deploymnet in apiVersion apps\/v1/],
      [{ 'a.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: x }\n' }, /does not serve kind Widget in apiVersion example\.com\/v1 \(a typo, or a CRD that is not installed\)/],
    ];
    for (const [files, message] of cases) {
      const { cluster, ops } = setup(files);
      await assert.rejects(ops.deploy(), (err: Error) => kindOf(err) === 'submission' && message.test(err.message), String(message));
      assert.equal(cluster.all('Deployment').length, 0, 'nothing is applied when one object is refused');
    }
  });

  it('ends every deploy with the problem found before the run (a missing image) as the submission\'s', async () => {
    const { ops } = setup({ 'a.yaml': deployment }, { problem: 'image shop:9 is neither in the cluster\'s nodes nor in the local Docker engine' });
    await assert.rejects(ops.deploy(), (err: Error) => kindOf(err) === 'submission' && /image shop:9/.test(err.message));
  });

  it('tells an object the API server rejects (the student\'s) from an API server that is down (the tooling\'s)', async () => {
    const rejecting = createFakeCluster({ rawResponses: DISCOVERY });
    rejecting.apply = async () => { throw new KubeApiError('PATCH …/deployments/shop failed with HTTP 422 (Invalid): spec.replicas: Invalid value: -1', 422, 'Invalid'); };
    await assert.rejects(setup({ 'a.yaml': deployment }, { cluster: rejecting }).ops.deploy(), (err: Error) => kindOf(err) === 'submission' && /applying ada\/a\.yaml line 1 \(Deployment "shop"\) failed: .*HTTP 422/.test(err.message));
    const overloaded = createFakeCluster({ rawResponses: DISCOVERY });
    overloaded.apply = async () => { throw new KubeApiError('PATCH … failed with HTTP 503 (ServiceUnavailable)', 503); };
    await assert.rejects(setup({ 'a.yaml': deployment }, { cluster: overloaded }).ops.deploy(), (err: Error) => kindOf(err) === 'error' && /the cluster's fault, not the submission's/.test(err.message));
  });

  it('moves a fixed nodePort another scenario holds to a spare published one, and says so on the timeline', async () => {
    const cluster = createFakeCluster({ rawResponses: DISCOVERY });
    const apply = cluster.apply.bind(cluster);
    const taken = new Set([30080, 30101]);
    cluster.apply = async (obj) => {
      const port = (obj.spec?.ports ?? []).map((p: { nodePort?: number }) => p.nodePort).find((p: number | undefined) => p !== undefined && taken.has(p));
      if (port) throw new KubeApiError(`Service "shop" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`, 422, 'Invalid');
      return apply(obj);
    };
    const { deps, ops } = setup({ 'svc.yaml': service(30080) }, { cluster });
    await ops.deploy();
    assert.equal(cluster.all('Service')[0]?.spec?.ports?.[0]?.nodePort, 30102);
    assert.ok(deps.timeline.events().some((e) => e.kind === 'marker' && /nodePort 30080 of Service "shop" is held by another scenario: using 30101/.test(e.label)));
  });

  it('outside a grading run, says how to grade', async () => {
    const cluster = createFakeCluster();
    const ops = createSubmissionOps(fakeScenarioDeps(cluster, 'kp-1'), undefined);
    await assert.rejects(ops.deploy(), (err: Error) => kindOf(err) === 'input' && /npm run grade -- --submissions <folder>/.test(err.message));
  });
});
