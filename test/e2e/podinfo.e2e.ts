/**
 * Any workload, end to end, on podinfo — a public web app kubeproof did not write (fixtures/podinfo):
 * pod kill and node death under load (a ClusterIP Service: a mirror NodePort from this machine, and an
 * in-cluster load from pods a NetworkPolicy allows), a crash, a drain that meets the PodDisruptionBudget,
 * readiness and liveness faults that drop the kubelet's probes in the pod's network namespace, the access
 * table; the broken variants FAIL; exec probes are refused with exit 2 before the cluster is touched; and
 * a SIGKILLed run leaves its probe block and load Job to --janitor, which removes them (checked on the
 * nodes). Wall times are printed, not asserted.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kube, ownedNamespaces, runCli, runIdOf, startCli, attachmentsOf, untilRunNamespacesGone, waitUntil } from './helpers.ts';

interface Envelope { [key: string]: any }
const messageFile = (name: string): string => join(tmpdir(), `kubeproof-e2e-podinfo-${process.pid}-${name}.ndjson`);
const timelinesOf = (file: string): Envelope[][] => attachmentsOf(file).filter((a) => a.fileName === 'timeline.json').map((a) => JSON.parse(a.body).events as Envelope[]);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** Every iptables rule a probe fault left in any pod network namespace of any kind node. */
function probeBlocksOnNodes(): string[] {
  const nodes = execFileSync('docker', ['ps', '--filter', 'label=io.x-k8s.kind.cluster=kubeproof', '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return nodes.flatMap((node) => {
    const script = 'for ns in /var/run/netns/*; do [ -e "$ns" ] || continue; nsenter --net="$ns" iptables-save 2>/dev/null | grep "kubeproof probe-block" | sed "s|^|$ns |"; done; true';
    return execFileSync('docker', ['exec', node, 'sh', '-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => `${node} ${l}`);
  });
}

async function cordonedNodes(): Promise<string[]> {
  return (await kube().list('Node')).filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name ?? '');
}

describe('podinfo: the steps on a workload nobody shaped for kubeproof', { concurrency: false }, () => {
  after(async () => {
    for (const n of await cordonedNodes()) await kube().patchMerge('Node', n, undefined, { spec: { unschedulable: null } });
  });

  it('a probe fault on podinfo\'s own exec probes stops before the cluster is touched: exit 2, one line with the way out', async () => {
    const before = await ownedNamespaces();
    const result = await runCli(['test/e2e/features/podinfo-exec/']);
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, /^kubeproof: test\/e2e\/features\/podinfo-exec\/exec-probes\.feature:2 \(an unready podinfo pod, with podinfo's own exec probes\): "one pod of deployment "podinfo" stops being ready" cannot work on deployment "podinfo" \(test\/e2e\/features\/podinfo-exec\/manifests\/podinfo\.yaml line 4\): the readiness probe of container podinfod runs a command \(exec: podcli check http localhost:9898\/readyz\)/m);
    assert.match(result.stderr, /Use an httpGet or tcpSocket probe, or the app's own switch/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await ownedNamespaces(), before, 'no namespace was created');
  });

  it('every scenario passes: kill and node death under load, crash, drain with the budget, readiness, liveness, access table', async () => {
    const messages = messageFile('pass');
    const started = performance.now();
    const result = await runCli(['test/e2e/features/podinfo/', '--parallel', '2', '--format', `message:${messages}`]);
    const wall = performance.now() - started;
    process.stderr.write(`podinfo suite (6 scenarios, --parallel 2): ${seconds(wall)}\n`);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, /6 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    const timelines = timelinesOf(messages);
    const having = (pred: (e: Envelope) => boolean): Envelope[] => timelines.find((events) => events.some(pred)) ?? [];

    // A ClusterIP Service loaded from this machine through a NodePort kubeproof created (and deleted).
    const kill = having((e) => e.kind === 'fault.injected' && e.fault === 'pod-kill');
    assert.ok(kill.some((e) => e.kind === 'marker' && /^service\/podinfo reached through NodePort 3010[1-4] of kp-load-podinfo \(it is ClusterIP; same selector and targetPort\)$/.test(e.label)), 'the mirror NodePort');
    assert.ok(kill.some((e) => e.kind === 'fault.reverted' && e.fault === 'load.service-delete' && e.ok), 'the mirror was deleted afterwards');

    // Readiness: the kubelet's GET /readyz dropped, the pod out of the EndpointSlices, the others answer.
    const readiness = having((e) => e.fault === 'readiness-off');
    const unready = String(readiness.find((e) => e.fault === 'readiness-off')?.target).replace('pod/', '');
    assert.match(String(readiness.find((e) => e.fault === 'readiness-off')?.detail), /^kubelet's GET :9898\/readyz from \d+\.\d+\.\d+\.\d+ dropped in the pod's network namespace \(iptables on kubeproof-worker\d?\)$/);
    assert.ok(readiness.some((e) => e.kind === 'k8s.pod' && e.name === unready && !e.ready), 'the kubelet marked the pod NotReady');
    assert.ok(readiness.some((e) => e.kind === 'condition.met' && /answers from the other pods: 20\/20 answered 2xx, 0 by podinfo-/.test(e.expectation)), 'the others answered, podinfo naming itself');
    assert.ok(readiness.some((e) => e.kind === 'fault.reverted' && e.fault === 'probe.unblock' && e.ok), 'the block was lifted');

    // Liveness: restarted in place, the block lifted at the restart (so the pod could become ready).
    const liveness = having((e) => e.fault === 'liveness-off');
    assert.ok(liveness.some((e) => e.kind === 'fault.reverted' && e.fault === 'liveness-off' && /^container podinfod restarted: probe block removed from pod podinfo-/.test(e.detail)), 'lifted at the restart');

    // The drain met the PodDisruptionBudget.
    const drain = having((e) => e.fault === 'node-drain');
    assert.ok(drain.some((e) => e.kind === 'marker' && /^eviction of pod podinfo-\S+ refused by PodDisruptionBudget podinfo \(minAvailable 3;/.test(e.label)), 'a refused eviction');

    // Node death under an in-cluster load from pods the NetworkPolicy allows.
    const death = having((e) => e.fault === 'node-pause');
    assert.ok(death.some((e) => e.kind === 'load.started' && /^service\/podinfo \(podinfo\.kp-[a-z0-9-]+\.svc\.cluster\.local:9898, from 2 pods in the cluster labelled access=podinfo\)$/.test(e.target)), 'the in-cluster load');
    assert.ok(death.some((e) => e.kind === 'fault.reverted' && e.fault === 'load.job-delete' && e.ok), 'the load Job was deleted');

    assert.deepEqual(probeBlocksOnNodes(), [], 'no probe block left on any node');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('broken variants FAIL for the right reason: no budget, liveness = readiness, a load the policy refuses', async () => {
    const started = performance.now();
    const result = await runCli(['test/e2e/features/podinfo-broken/']);
    process.stderr.write(`podinfo broken variants (3 scenarios): ${seconds(performance.now() - started)}\n`);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /0 PASS, 3 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    assert.match(out, /FAIL {2}draining the node with two podinfo pods evicts both at once/);
    assert.match(out, /FAIL {2}a podinfo pod that is only not ready is killed instead of taken out of the Service/);
    assert.match(out, /Hint: +the pod's liveness probe \(GET :9898\/readyz\) checks the same thing, so it fails too: a pod that is only not ready \(busy, waiting for a dependency\) is then killed/);
    assert.match(out, /FAIL {2}a load from pods labelled access=other never reaches podinfo/);
    assert.match(out, /the system was not healthy before the fault: .*timeout/);
    assert.deepEqual(probeBlocksOnNodes(), [], 'no probe block left on any node');
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
