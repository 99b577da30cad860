/**
 * Any workload, end to end, on podinfo — a public web app kubeproof did not write (fixtures/podinfo). The
 * lean part npm test runs: exec probes are refused with exit 2 before the cluster is touched; a readiness
 * fault that drops the kubelet's probes in the pod's network namespace and a pod kill under an in-cluster
 * load on its ClusterIP Service both PASS; the broken variant (liveness asks what readiness asks) FAILs.
 * The other families on podinfo, their broken variants and SIGKILL → --janitor are in
 * test/e2e/nightly/podinfo.e2e.ts. Wall times and measured numbers are printed, never asserted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownedNamespaces, runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';
import { loadNumbers, probeBlocksOnNodes, seconds, timelinesOf, whenOf } from './podinfo-helpers.ts';
import type { Envelope } from './podinfo-helpers.ts';

const messageFile = (name: string): string => join(tmpdir(), `kubeproof-e2e-podinfo-${process.pid}-${name}.ndjson`);

describe('podinfo: the steps on a workload nobody shaped for kubeproof', { concurrency: false }, () => {
  it('a probe fault on podinfo\'s own exec probes stops before the cluster is touched: exit 2, one line with the way out', async () => {
    const before = await ownedNamespaces();
    const result = await runCli(['test/e2e/features/podinfo-exec/']);
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, /^kubeproof: test\/e2e\/features\/podinfo-exec\/exec-probes\.feature:2 \(an unready podinfo pod, with podinfo's own exec probes\): "one pod of deployment "podinfo" stops being ready" cannot work on deployment "podinfo" \(test\/e2e\/features\/podinfo-exec\/manifests\/podinfo\.yaml line 4\): the readiness probe of container podinfod runs a command \(exec: podcli check http localhost:9898\/readyz\)/m);
    assert.match(result.stderr, /Use an httpGet or tcpSocket probe, or the app's own switch/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await ownedNamespaces(), before, 'no namespace was created');
  });

  it('readiness (dropped probes) and a kill under an in-cluster load PASS on podinfo; liveness = readiness FAILs', async () => {
    const messages = messageFile('ci');
    const started = performance.now();
    const result = await runCli(['test/e2e/features/podinfo/', 'test/e2e/features/podinfo-broken/', '--parallel', '3', '--format', `message:${messages}`]);
    process.stderr.write(`podinfo in npm test (2 passing + 1 broken scenario, --parallel 3): ${seconds(performance.now() - started)}\n`);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 1, out);
    assert.match(out, /2 PASS, 1 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    const timelines = timelinesOf(messages);
    const having = (pred: (e: Envelope) => boolean): Envelope[] => timelines.find((events) => events.some(pred)) ?? [];

    // Readiness: the kubelet's GET /readyz dropped, the pod NotReady and out of the EndpointSlices, the others answer.
    const passing = timelines.filter((events) => events.some((e) => e.kind === 'condition.met' && /answers from the other pods/.test(String(e.expectation))));
    assert.equal(passing.length, 1, 'one readiness timeline reached "answers from the other pods"');
    const r = passing[0] ?? [];
    const fault = r.find((e) => e.fault === 'readiness-off' && e.kind === 'fault.injected');
    const unready = String(fault?.target).replace('pod/', '');
    assert.match(String(fault?.detail), /^kubelet's GET :9898\/readyz from \d+\.\d+\.\d+\.\d+ dropped in the pod's network namespace \(iptables on kubeproof-worker\d?\)$/);
    assert.ok(r.some((e) => e.kind === 'k8s.pod' && e.name === unready && !e.ready), 'the kubelet marked the pod NotReady');
    assert.ok(r.some((e) => e.kind === 'condition.met' && /answers from the other pods: 20\/20 answered 2xx, 0 by podinfo-/.test(e.expectation)), 'the others answered, podinfo naming itself');
    assert.ok(r.some((e) => e.kind === 'fault.reverted' && e.fault === 'probe.unblock' && e.ok), 'the block was lifted');
    const unreadyAt = whenOf(r, (e) => e.kind === 'k8s.pod' && e.name === unready && !e.ready && e.t > Number(fault?.t));
    const outAt = whenOf(r, (e) => e.kind === 'condition.met' && /no longer a ready endpoint/.test(String(e.expectation)));
    process.stderr.write(`podinfo readiness probe blocked → pod NotReady after ${seconds(unreadyAt - Number(fault?.t))}, out of the EndpointSlices after ${seconds(outAt - Number(fault?.t))} (readinessProbe: 10 s period × 3 failures)\n`);

    // The ClusterIP Service loaded by vegeta pods in the cluster (a Job, deleted afterwards), through a pod kill.
    const kill = having((e) => e.kind === 'fault.injected' && e.fault === 'pod-kill');
    assert.ok(kill.some((e) => e.kind === 'load.started' && /^service\/podinfo \(podinfo\.kp-[a-z0-9-]+\.svc\.cluster\.local:9898, from 1 pod in the cluster\)$/.test(e.target)), 'the in-cluster load');
    assert.ok(kill.some((e) => e.kind === 'fault.reverted' && e.fault === 'load.job-delete' && e.ok), 'the load Job was deleted');
    const load = loadNumbers(kill);
    assert.ok(load.requests > 0, 'the load pods\' results reached the recorder');
    process.stderr.write(`podinfo in-cluster load: planned 20 req/s for 40 s (800), recorded ${load.requests} (${load.errors} errors) in ${load.seconds} one-second buckets, ${load.minPerSecond}–${load.maxPerSecond} req/s inside\n`);

    // The broken variant: liveness on the readiness path kills the pod that was only unready.
    assert.match(out, /FAIL {2}a podinfo pod that is only not ready is killed instead of taken out of the Service/);
    assert.match(out, /Hint: +the pod's liveness probe \(GET :9898\/readyz\) checks the same thing, so it fails too: a pod that is only not ready \(busy, waiting for a dependency\) is then killed/);

    assert.deepEqual(probeBlocksOnNodes(), [], 'no probe block left on any node');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
