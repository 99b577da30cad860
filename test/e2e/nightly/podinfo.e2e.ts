/**
 * Any workload, nightly part (npm run test:nightly), on podinfo as upstream ships it: a kill under a load
 * from this machine through a mirror NodePort Service, a crash, liveness, a drain that meets the
 * PodDisruptionBudget, node death under an in-cluster load the NetworkPolicy allows with the access table;
 * the broken variants (no budget, a load the policy refuses) FAIL; a SIGKILLed run leaves its probe block
 * and load Job to --janitor, which removes them (checked on the nodes). npm test's lean part is
 * test/e2e/podinfo.e2e.ts. Wall times and measured numbers are printed, never asserted.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kube, ownedNamespaces, runCli, runIdOf, startCli, untilRunNamespacesGone, waitUntil } from '../helpers.ts';
import { loadNumbers, probeBlocksOnNodes, seconds, timelinesOf, whenOf } from '../podinfo-helpers.ts';
import type { Envelope } from '../podinfo-helpers.ts';

const messageFile = (name: string): string => join(tmpdir(), `kubeproof-e2e-podinfo-nightly-${process.pid}-${name}.ndjson`);

async function cordonedNodes(): Promise<string[]> {
  return (await kube().list('Node')).filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name ?? '');
}

describe('podinfo (nightly): every other family on a workload nobody shaped for kubeproof', { concurrency: false }, () => {
  after(async () => {
    for (const n of await cordonedNodes()) await kube().patchMerge('Node', n, undefined, { spec: { unschedulable: null } });
  });

  it('every scenario passes: kill under a host load (mirror NodePort), crash, liveness, drain with the budget, node death under an allowed in-cluster load, access table', async () => {
    const messages = messageFile('pass');
    const started = performance.now();
    const result = await runCli(['test/e2e/features/podinfo-nightly/', '--parallel', '2', '--format', `message:${messages}`]);
    process.stderr.write(`podinfo nightly suite (5 scenarios, --parallel 2): ${seconds(performance.now() - started)}\n`);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, /5 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    const timelines = timelinesOf(messages);
    const having = (pred: (e: Envelope) => boolean): Envelope[] => timelines.find((events) => events.some(pred)) ?? [];

    // A ClusterIP Service loaded from this machine through a NodePort kubeproof created (and deleted).
    const kill = having((e) => e.kind === 'fault.injected' && e.fault === 'pod-kill');
    const mirrorAt = whenOf(kill, (e) => e.kind === 'marker' && /^service\/podinfo reached through NodePort 3010[1-4] of kp-load-podinfo \(it is ClusterIP; same selector and targetPort\)$/.test(e.label));
    assert.ok(Number.isFinite(mirrorAt), 'the mirror NodePort');
    assert.ok(kill.some((e) => e.kind === 'fault.reverted' && e.fault === 'load.service-delete' && e.ok), 'the mirror was deleted afterwards');
    const readyBefore = Math.max(...kill.filter((e) => e.kind === 'condition.met' && e.t < mirrorAt).map((e) => e.t));
    const loadAt = whenOf(kill, (e) => e.kind === 'load.started');
    process.stderr.write(`podinfo mirror NodePort: created ${seconds(mirrorAt - readyBefore)} after the step began (the Background's last condition), first answer on 127.0.0.1 ${seconds(loadAt - mirrorAt)} after creation\n`);
    const host = loadNumbers(kill);
    process.stderr.write(`podinfo host load through the mirror: planned 20 req/s for 40 s (800), recorded ${host.requests} (${host.errors} errors) in ${host.seconds} one-second buckets, ${host.minPerSecond}–${host.maxPerSecond} req/s inside\n`);

    // Liveness: restarted in place, the block lifted at the restart (so the pod could become ready).
    const liveness = having((e) => e.fault === 'liveness-off');
    const lifted = liveness.find((e) => e.kind === 'fault.reverted' && e.fault === 'liveness-off' && /^container podinfod restarted: probe block removed from pod podinfo-/.test(e.detail));
    assert.ok(lifted, 'lifted at the restart');
    const livenessAt = whenOf(liveness, (e) => e.kind === 'fault.injected' && e.fault === 'liveness-off');
    process.stderr.write(`podinfo liveness probe blocked → container restarted after ${seconds(lifted.t - livenessAt)} (livenessProbe: 10 s period × 3 failures)\n`);

    // The drain met the PodDisruptionBudget.
    const drain = having((e) => e.fault === 'node-drain');
    assert.ok(drain.some((e) => e.kind === 'marker' && /^eviction of pod podinfo-\S+ refused by PodDisruptionBudget podinfo \(minAvailable 3;/.test(e.label)), 'a refused eviction');

    // Node death under an in-cluster load from pods the NetworkPolicy allows.
    const death = having((e) => e.fault === 'node-pause');
    assert.ok(death.some((e) => e.kind === 'load.started' && /^service\/podinfo \(podinfo\.kp-[a-z0-9-]+\.svc\.cluster\.local:9898, from 2 pods in the cluster labelled access=podinfo\)$/.test(e.target)), 'the in-cluster load');
    assert.ok(death.some((e) => e.kind === 'fault.reverted' && e.fault === 'load.job-delete' && e.ok), 'the load Job was deleted');
    const inCluster = loadNumbers(death);
    process.stderr.write(`podinfo in-cluster load under node death: planned 20 req/s for 120 s (2400) from 2 pods, recorded ${inCluster.requests} (${inCluster.errors} errors) in ${inCluster.seconds} one-second buckets, ${inCluster.minPerSecond}–${inCluster.maxPerSecond} req/s inside\n`);

    assert.deepEqual(probeBlocksOnNodes(), [], 'no probe block left on any node');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('broken variants FAIL for the right reason: no budget, a load the policy refuses', async () => {
    const started = performance.now();
    const result = await runCli(['test/e2e/features/podinfo-broken-nightly/']);
    process.stderr.write(`podinfo nightly broken variants (2 scenarios): ${seconds(performance.now() - started)}\n`);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /0 PASS, 2 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    assert.match(out, /FAIL {2}draining the node with two podinfo pods evicts both at once/);
    assert.match(out, /FAIL {2}a load from pods labelled access=other never reaches podinfo/);
    assert.match(out, /the system was not healthy before the fault: .*timeout/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('SIGKILL with a probe block and an in-cluster load: both stay until --janitor removes them', async () => {
    const run = startCli(['test/e2e/features/podinfo-sigkill/']);
    const runId = await waitUntil('the probe block and the load pods', 240_000, async () => {
      const id = runIdOf(run.output());
      if (!id) return undefined;
      const ns = (await ownedNamespaces(id))[0];
      if (!ns || probeBlocksOnNodes().length === 0) return undefined;
      return (await kube().list('Job', { namespace: ns })).length ? id : undefined;
    });
    run.child.kill('SIGKILL');
    await run.done;
    assert.equal(probeBlocksOnNodes().length, 1, 'the runner died: its block is still on the node');
    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    assert.match(janitor.stderr, /janitor: run [0-9a-f]{6}: probe block removed from pod podinfo-\S+ \(iptables rule deleted on kubeproof-worker\d?\)/);
    assert.match(janitor.stderr, /janitor: run [0-9a-f]{6}: load job kp-load-[0-9a-f]+ deleted/);
    assert.deepEqual(probeBlocksOnNodes(), [], 'no probe block left on any node');
    await untilRunNamespacesGone(runId);
  });
});
