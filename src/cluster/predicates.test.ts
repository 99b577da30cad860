import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAEMONSET_TOLERATIONS, formatSelector, isControlPlane, isNodeReady, isPodReady, isPodServing, labelSelectorMatches, podsSelectedBy, serviceSelects, toleratesTaint, untoleratedTaints } from './predicates.ts';
import type { KubeObject } from './types.ts';

describe('labelSelectorMatches', () => {
  const labels = { app: 'api', tier: 'web' };
  it('selects nothing with a nil selector and everything with an empty one', () => {
    assert.equal(labelSelectorMatches(undefined, labels), false);
    assert.equal(labelSelectorMatches(null, labels), false);
    assert.equal(labelSelectorMatches({}, labels), true);
    assert.equal(labelSelectorMatches({ matchLabels: {}, matchExpressions: [] }, {}), true);
  });
  it('requires every matchLabels pair', () => {
    assert.equal(labelSelectorMatches({ matchLabels: { app: 'api' } }, labels), true);
    assert.equal(labelSelectorMatches({ matchLabels: { app: 'api', tier: 'db' } }, labels), false);
  });
  it('applies matchExpressions with the API operators', () => {
    const cases: Array<[LabelExpr, boolean]> = [
      [{ key: 'tier', operator: 'In', values: ['web', 'db'] }, true],
      [{ key: 'tier', operator: 'In', values: ['db'] }, false],
      [{ key: 'zone', operator: 'In', values: [''] }, false],
      [{ key: 'tier', operator: 'NotIn', values: ['db'] }, true],
      [{ key: 'zone', operator: 'NotIn', values: ['a'] }, true],
      [{ key: 'tier', operator: 'NotIn', values: ['web'] }, false],
      [{ key: 'app', operator: 'Exists' }, true],
      [{ key: 'zone', operator: 'Exists' }, false],
      [{ key: 'zone', operator: 'DoesNotExist' }, true],
      [{ key: 'app', operator: 'DoesNotExist' }, false],
      [{ key: 'app', operator: 'Gt', values: ['1'] }, false],
    ];
    for (const [expr, expected] of cases) assert.equal(labelSelectorMatches({ matchExpressions: [expr] }, labels), expected, JSON.stringify(expr));
  });
  it('needs both matchLabels and matchExpressions to hold', () => {
    assert.equal(labelSelectorMatches({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, labels), false);
  });
});

type LabelExpr = { key: string; operator: string; values?: string[] };

describe('serviceSelects', () => {
  it('treats an empty or missing Service selector as selecting no pod', () => {
    assert.equal(serviceSelects(undefined, { app: 'api' }), false);
    assert.equal(serviceSelects({}, { app: 'api' }), false);
    assert.equal(serviceSelects({ app: 'api' }, { app: 'api', x: 'y' }), true);
    assert.equal(serviceSelects({ app: 'apii' }, { app: 'api' }), false);
  });
});

describe('formatSelector', () => {
  it('prints labels and expressions, or the empty word', () => {
    assert.equal(formatSelector({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }), 'app=api,tier In (a, b)');
    assert.equal(formatSelector({}), 'all pods');
    assert.equal(formatSelector(undefined, 'nothing'), 'nothing');
  });
});

const pod = (name: string, labels: Record<string, string>, ready: boolean, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  kind: 'Pod', metadata: { name, labels, ...extra },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('pods and nodes', () => {
  it('selects a Deployment\'s pods by matchExpressions too, sorted by name', () => {
    const deployment: KubeObject = { kind: 'Deployment', spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] } } };
    const pods = [pod('b', { app: 'api' }, true), pod('c', { app: 'web' }, true), pod('a', { app: 'api' }, false)];
    assert.deepEqual(podsSelectedBy(deployment, pods).map((p) => p.metadata?.name), ['a', 'b']);
    assert.deepEqual(podsSelectedBy(undefined, pods), []);
  });
  it('reads Ready and serving from conditions, phase and deletion', () => {
    assert.equal(isPodReady(pod('a', {}, true)), true);
    assert.equal(isPodServing(pod('a', {}, true, { deletionTimestamp: '2026-01-01T00:00:00Z' })), false);
    assert.equal(isPodServing({ ...pod('a', {}, true), status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'True' }] } }), false);
  });
  it('knows node readiness and the control plane', () => {
    const node: KubeObject = { kind: 'Node', metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
    assert.equal(isNodeReady(node), false);
    assert.equal(isControlPlane(node), true);
    assert.equal(isControlPlane({ kind: 'Node', metadata: { name: 'w' } }), false);
  });
});

describe('toleratesTaint / untoleratedTaints', () => {
  const cp = { spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } };
  it('a DaemonSet without tolerations does not go to the tainted control plane, but keeps a cordoned node', () => {
    assert.equal(untoleratedTaints(cp, DAEMONSET_TOLERATIONS).length, 1);
    const cordoned = { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } };
    assert.deepEqual(untoleratedTaints(cordoned, DAEMONSET_TOLERATIONS), []);
  });
  it('Exists without a key tolerates everything; Equal needs the value; the effect must match when given', () => {
    assert.equal(toleratesTaint({ operator: 'Exists' }, { key: 'a', effect: 'NoExecute' }), true);
    assert.equal(toleratesTaint({ key: 'a', operator: 'Equal', value: 'x' }, { key: 'a', value: 'y', effect: 'NoSchedule' }), false);
    assert.equal(toleratesTaint({ key: 'a', value: 'x', effect: 'NoSchedule' }, { key: 'a', value: 'x', effect: 'NoExecute' }), false);
    assert.equal(toleratesTaint({ key: 'a', value: 'x' }, { key: 'a', value: 'x', effect: 'NoExecute' }), true);
  });
});
