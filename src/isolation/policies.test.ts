import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describePolicy, describePolicySelectingNoPod, policiesSelecting, policiesSelectingNoPod } from './policies.ts';

const demoShop = {
  metadata: { name: 'postgres-allow-api-auth' },
  spec: {
    podSelector: { matchLabels: { app: 'postgres' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }, { podSelector: { matchLabels: { app: 'auth' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
  },
};
const denyAll = { metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };

describe('policiesSelecting / describePolicy', () => {
  it('finds the policies that select postgres for ingress and describes them in one line', () => {
    const found = policiesSelecting([demoShop, denyAll], { app: 'postgres' }, 'Ingress');
    assert.deepEqual(found.map((p) => p.metadata?.name), ['postgres-allow-api-auth', 'deny-all']);
    assert.equal(describePolicy(demoShop), '"postgres-allow-api-auth" (selects app=postgres), ingress from pods app=api (same namespace) or pods app=auth (same namespace) on TCP/5432');
    assert.equal(describePolicy(denyAll), '"deny-all" (selects all pods), ingress from nothing (deny all), egress to nothing (deny all)');
  });

  it('leaves out policies of the other direction', () => {
    assert.deepEqual(policiesSelecting([demoShop], { app: 'postgres' }, 'Egress'), []);
  });
});

describe('policiesSelectingNoPod / describePolicySelectingNoPod', () => {
  const typo = { ...demoShop, spec: { ...demoShop.spec, podSelector: { matchLabels: { app: 'postgress' } } } };
  const pods = [{ metadata: { name: 'postgres-0', labels: { app: 'postgres' } } }, { metadata: { name: 'api-1', labels: { app: 'api' } } }];
  it('finds a policy whose podSelector matches no pod, and only that one', () => {
    assert.deepEqual(policiesSelectingNoPod([demoShop, typo, denyAll], pods).map((p) => p.spec.podSelector), [{ matchLabels: { app: 'postgress' } }]);
    assert.deepEqual(policiesSelectingNoPod([denyAll], []).length, 1, 'an empty namespace: even {} selects nothing');
  });
  it('names it with its selector and the labels the pods do have', () => {
    assert.equal(describePolicySelectingNoPod(typo, 'kp-x', 'app=postgres; app=api'),
      'NetworkPolicy "postgres-allow-api-auth" selects app=postgress, which matches no pod in namespace kp-x (pods\' labels: app=postgres; app=api), so it isolates nothing');
  });
});
