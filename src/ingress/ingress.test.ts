import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import { createIngressOps, parseRoutes } from './ingress.ts';
import type { IngressAnswer } from './ingress.ts';

const NS = 'kp-t';

function shop(answer: (host: string, path: string) => IngressAnswer) {
  const c = createFakeCluster({ context: 'kind-kubeproof' });
  for (const app of ['frontend', 'api']) {
    c.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: NS }, spec: { selector: { app } } });
    c.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${app}-1`, namespace: NS, labels: { app } }, status: { phase: 'Running' } });
  }
  c.put({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: NS }, spec: { rules: [{ host: 'devops.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 3000 } } } }] } }] } });
  const deps = fakeScenarioDeps(c, NS);
  const asked: string[] = [];
  const ops = createIngressOps(deps, async (host, path) => { asked.push(`${host}${path}`); return answer(host, path); });
  return { ops, asked, stop: () => deps.view.stop() };
}

describe('parseRoutes', () => {
  it('needs a path starting with / and a service or a text', () => {
    assert.deepEqual(parseRoutes([{ path: '/api', service: 'api' }]), [{ row: 1, path: '/api', service: 'api', text: undefined }]);
    assert.throws(() => parseRoutes([{ path: 'api', service: 'api' }]), /row 1: the path "api" must start with "\/"/);
    assert.throws(() => parseRoutes([{ path: '/x' }]), /row 1: name the service/);
  });
});

describe('expectRoutes', () => {
  it('passes when the pod that answered belongs to the expected service', async () => {
    const s = shop((_h, path) => ({ status: 200, body: JSON.stringify({ pod: path.startsWith('/api') ? 'api-1' : 'frontend-1' }) }));
    const out = await s.ops.expectRoutes('devops.local', [{ path: '/', service: 'frontend' }, { path: '/api', service: 'api' }]);
    assert.match(out, /devops\.local\/api → service api: HTTP 200 from pod api-1 \(service api\)/);
    assert.deepEqual(s.asked.sort(), ['devops.local/', 'devops.local/api']);
    await s.stop();
  });

  it('an answer without a "pod" field cannot tell the service: INCONCLUSIVE', async () => {
    const s = shop(() => ({ status: 200, body: '<html>hi</html>' }));
    await assert.rejects(s.ops.expectRoutes('devops.local', [{ path: '/', service: 'frontend' }]), (err: Error & { kind?: string }) => err.kind === 'inconclusive' && /no "pod" field/.test(err.message));
    await s.stop();
  });

  it('an unknown service is an input error before any request', async () => {
    const s = shop(() => ({ status: 200, body: '{}' }));
    await assert.rejects(s.ops.expectRoutes('devops.local', [{ path: '/auth', service: 'auth' }]), /row 1: no service "auth"/);
    assert.deepEqual(s.asked, []);
    await s.stop();
  });
});
