import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { KubeObject } from '../cluster/types.ts';
import { hpaReaches, hpaSettlesAt } from './hpa.ts';

const NS = 'kp-t';
const recorded = (name: string): KubeObject => ({ ...JSON.parse(readFileSync(join(import.meta.dirname, '..', 'cluster', 'testdata', `${name}.json`), 'utf8')), metadata: { name: 'api', namespace: NS } });

function stores(hpa: KubeObject) {
  const cluster = createFakeCluster();
  cluster.put(hpa);
  return { cluster, stores: { hpas: cluster.watch('HorizontalPodAutoscaler', NS), deployments: cluster.watch('Deployment', NS), pods: cluster.watch('Pod', NS), events: cluster.watch('Event', NS) } };
}

describe('hpaReaches', () => {
  it('is final once the HPA reports it is capped below the wanted count, quoting the HPA', () => {
    const { stores: s } = stores(recorded('hpa-capped'));
    const o = hpaReaches(s, NS, 'api', 6).observe();
    assert.equal(o.ok, false);
    assert.equal(o.final, 'maxReplicas is 1 (= minReplicas), so it can never want 6');
    assert.match(o.cause ?? '', /^capped at 1 by maxReplicas: the desired replica count is more than the maximum replica count \(HPA ScalingLimited\)/);
  });

  it('keeps waiting while the HPA has not reported the cap yet, naming the maximum as the likely cause', () => {
    const hpa = recorded('hpa-capped');
    const { stores: s } = stores({ ...hpa, status: { ...hpa.status, conditions: [] } });
    const o = hpaReaches(s, NS, 'api', 6).observe();
    assert.equal(o.final, undefined);
    assert.equal(o.cause, 'maxReplicas is 1 (= minReplicas), so it can never want 6');
  });

  it('is final when the pods request no CPU, quoting the HPA', () => {
    const { stores: s } = stores({ ...recorded('hpa-missing-request'), spec: { ...recorded('hpa-missing-request').spec, maxReplicas: 8 } });
    const o = hpaReaches(s, NS, 'api', 6).observe();
    assert.equal(o.final, 'the HPA cannot compute CPU utilisation: the pods request no CPU');
    assert.match(o.cause ?? '', /missing request for cpu/);
  });

  it('holds once the HPA wants the count, and settles only when it wants and has it', () => {
    const hpa = recorded('hpa-capped');
    const { stores: s } = stores({ ...hpa, spec: { ...hpa.spec, maxReplicas: 8 }, status: { ...hpa.status, desiredReplicas: 6, currentReplicas: 3 } });
    assert.equal(hpaReaches(s, NS, 'api', 6).observe().ok, true);
    assert.equal(hpaSettlesAt(s, NS, 'api', 6).observe().ok, false);
    assert.equal(hpaSettlesAt(s, NS, 'api', 0).observe().final, 'minReplicas is 1, so it never goes down to 0');
  });
});
