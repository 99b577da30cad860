import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeNeeds, inconclusiveReason, needsOf } from './capabilities.ts';
import type { Capabilities, StepFacts } from './capabilities.ts';

const full: Capabilities = { workers: 3, metrics: { ok: true, detail: '' }, netpol: { state: 'enforced', detail: '' } };
const poor: Capabilities = { workers: 1, metrics: { ok: false, detail: 'HTTP 404' }, netpol: { state: 'not-enforced', detail: 'policy ignored' } };
const slowNodes: Capabilities = { ...full, nodeLoss: { evictionAfterS: 340, detail: 'upstream defaults assumed' } };

const step = (text: string, fault?: string): StepFacts => ({ text, fault });
const deploy = step('the fixture "demo-shop" is deployed');
const nodeDies = step('the node running the most "api" pods dies', 'node-pause');
const kubeletStops = step('the kubelet of the node running the most "api" pods stops', 'kubelet-stop');
const cordon = step('I cordon the node running the most "api" pods', 'node-cordon');
const podKill = step('I kill 1 pod of deployment "api"', 'pod-kill');
const cutoff = step('the namespace is cut off', 'namespace-cutoff');
const matrix = step('network access is:');
const hpa = step('HPA "api" reaches at least 3 replicas within 150 seconds');

describe('needsOf: capabilities follow from the steps, tags override', () => {
  const cases: Array<[string, string[], StepFacts[], Capabilities, RegExp | undefined]> = [
    ['untagged node death on one worker', [], [deploy, nodeDies], poor, /^the step "the node running the most "api" pods dies" needs at least 2 ready worker nodes, the cluster has 1$/],
    ['untagged node death on three workers', [], [deploy, nodeDies], full, undefined],
    ['untagged node death with upstream eviction timings', [], [nodeDies], slowNodes, /^the step "the node running the most "api" pods dies" needs a dead node's pods evicted within 120s, this cluster takes 340s \(upstream defaults assumed\)/],
    ['a stopped kubelet is a node loss too', [], [kubeletStops], slowNodes, /needs a dead node's pods evicted within 120s/],
    ['a cordon needs a second worker but no eviction timings', [], [cordon], slowNodes, undefined],
    ['a cordon on one worker', [], [cordon], poor, /^the step "I cordon the node running the most "api" pods" needs at least 2 ready worker nodes/],
    ['a pod kill needs nothing special', [], [deploy, podKill], poor, undefined],
    ['the reachability table needs NetworkPolicy enforcement', [], [matrix], poor, /^the step "network access is:" needs NetworkPolicy enforcement, but the canary says not-enforced: policy ignored$/],
    ['a namespace cut-off needs NetworkPolicy enforcement', [], [cutoff], poor, /^the step "the namespace is cut off" needs NetworkPolicy enforcement/],
    ['an HPA step needs the metrics API', [], [hpa], poor, /^the step "HPA "api" reaches at least 3 replicas within 150 seconds" needs the metrics API \(metrics\.k8s\.io\), which is not available: HTTP 404$/],
    ['@hpa without an HPA step', ['@hpa'], [deploy], poor, /^@hpa needs the metrics API .*HTTP 404/],
    ['@isolation without a table', ['@isolation'], [deploy], poor, /^@isolation needs NetworkPolicy enforcement, but the canary says not-enforced/],
    ['@node without a node step', ['@node'], [deploy], poor, /^@node needs at least 2 ready worker nodes, the cluster has 1$/],
    ['@node on three workers', ['@node'], [deploy], full, undefined],
    ['@workers:4 overrides the two a node step asks for', ['@workers:4'], [nodeDies], full, /^@workers:4 needs at least 4 ready worker nodes, the cluster has 3$/],
    ['@workers:1 lowers what a node step asks for', ['@workers:1'], [cordon], poor, undefined],
    ['@node-loss with fast timings', ['@node-loss'], [deploy], { ...full, nodeLoss: { evictionAfterS: 50, detail: 'kube-system static pod flags' } }, undefined],
    ['@node-loss with upstream timings', ['@node-loss'], [deploy], slowNodes, /^@node-loss needs a dead node's pods evicted within 120s, this cluster takes 340s \(upstream defaults assumed\)/],
    ['a tag names the need when a step asks for it too', ['@node'], [nodeDies], poor, /^@node needs at least 2/],
    ['@self-healing is no capability', ['@self-healing'], [deploy, podKill], poor, undefined],
    ['@ingress with the controller ready', ['@ingress'], [deploy], { ...full, ingress: { ok: true, detail: 'Traefik ready' } }, undefined],
    ['@ingress without a controller', ['@ingress'], [deploy], { ...full, ingress: { ok: false, detail: 'no ingress controller installed' } }, /^@ingress needs an ingress controller on 127\.0\.0\.1:30100: no ingress controller installed$/],
    ['an untagged ingress routing step needs the controller too', [], [step('host "devops.local" routes through the ingress:')], full, /^the step "host "devops\.local" routes through the ingress:" needs an ingress controller on 127\.0\.0\.1:30100: not checked$/],
  ];
  for (const [title, tags, steps, caps, expected] of cases) {
    it(`${title} → ${expected ? 'INCONCLUSIVE' : 'runs'}`, () => {
      const reason = inconclusiveReason(needsOf(tags, steps), caps);
      if (expected) assert.match(reason ?? '', expected);
      else assert.equal(reason, undefined);
    });
  }

  it('lists every missing capability at once', () => {
    assert.equal(inconclusiveReason(needsOf(['@hpa', '@isolation'], [nodeDies]), poor)?.split('; ').length, 3);
  });

  it('knows nothing about steps it does not recognise', () => {
    assert.deepEqual(needsOf([], [deploy, step('deployment "api" has 3 ready replicas within 60 seconds')]), {});
  });

  it('says what a scenario needs in a few words (the dry run prints it)', () => {
    assert.equal(describeNeeds(needsOf([], [nodeDies, matrix])), '2 ready workers, a dead node\'s pods evicted within 120s, NetworkPolicy enforcement');
    assert.equal(describeNeeds(needsOf(['@workers:1'], [cordon])), '1 ready worker');
    assert.equal(describeNeeds(needsOf([], [podKill])), '');
  });
});
