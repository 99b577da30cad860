import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inconclusiveReason } from './capabilities.ts';
import type { Capabilities } from './capabilities.ts';

const full: Capabilities = { workers: 3, metrics: { ok: true, detail: '' }, netpol: { state: 'enforced', detail: '' } };
const poor: Capabilities = { workers: 1, metrics: { ok: false, detail: 'HTTP 404' }, netpol: { state: 'not-enforced', detail: 'policy ignored' } };

describe('inconclusiveReason', () => {
  const cases: Array<[string[], Capabilities, RegExp | undefined]> = [
    [['@hpa'], full, undefined],
    [['@hpa'], poor, /@hpa needs the metrics API .*HTTP 404/],
    [['@isolation'], poor, /@isolation needs NetworkPolicy enforcement, but the canary says not-enforced/],
    [['@node'], poor, /@node needs at least 2 ready worker nodes, the cluster has 1/],
    [['@node'], full, undefined],
    [['@workers:4'], full, /@workers:4 needs at least 4 ready worker nodes, the cluster has 3/],
    [['@self-healing'], poor, undefined],
    [['@node-loss'], { ...full, nodeLoss: { evictionAfterS: 50, detail: 'kube-system static pod flags' } }, undefined],
    [['@node-loss'], { ...full, nodeLoss: { evictionAfterS: 340, detail: 'upstream defaults assumed' } }, /@node-loss needs a dead node's pods evicted within 120s, this cluster takes 340s \(upstream defaults assumed\)/],
  ];
  for (const [tags, caps, expected] of cases) {
    it(`${tags.join(' ')} on a ${caps === poor ? 'limited' : 'capable'} cluster${caps.nodeLoss ? ` (eviction ${caps.nodeLoss.evictionAfterS}s)` : ''} → ${expected ? 'INCONCLUSIVE' : 'runs'}`, () => {
      const reason = inconclusiveReason(tags, caps);
      if (expected) assert.match(reason ?? '', expected);
      else assert.equal(reason, undefined);
    });
  }

  it('lists every missing capability at once', () => {
    assert.equal(inconclusiveReason(['@hpa', '@isolation', '@node'], poor)?.split('; ').length, 3);
  });
});
