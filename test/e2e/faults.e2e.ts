/**
 * The network, resource, freeze and taint faults end to end: what a well-built workload rides out PASSes
 * (the demo-shop scenarios of the shipped suite cover the rest), each broken variant FAILs with its own
 * message, and a SIGKILLed run leaves rules, qdiscs, stress processes, a frozen container and a taint
 * behind that --janitor removes — checked on the nodes themselves, not only in the runner's words.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dockerPodNetwork } from '../../src/cluster/kind-pod-net.ts';
import { nodeContainerStress } from '../../src/cluster/kind-stress.ts';
import { CHAOS_TAINT_KEY } from '../../src/faults/node-taint.ts';
import { run } from '../../src/util/exec.ts';
import { kube, ROOT, runCli, runIdOf, startCli, timelineEvents, untilRunNamespacesGone, waitUntil } from './helpers.ts';

const FEATURES = 'test/e2e/features/faults';

/** The kind nodes of the cluster under test (docker containers labelled with its name). */
async function kindNodes(): Promise<string[]> {
  const r = await run('docker', ['ps', '--filter', 'label=io.x-k8s.kind.cluster=kubeproof', '--format', '{{.Names}}'], { timeoutMs: 20_000 });
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

/** Everything a fault of this family can leave behind, looked up on every node and in the API. */
async function traces(): Promise<string[]> {
  const found: string[] = [];
  for (const node of await kindNodes()) {
    for (const t of await dockerPodNetwork.traces(node)) found.push(`${node}: ${t}`);
    for (const t of await nodeContainerStress.traces(node)) found.push(`${node}: stress process ${t}`);
    const tasks = await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'ls'], { timeoutMs: 20_000 });
    for (const line of tasks.stdout.split('\n')) if (/\sPAUSED\s*$/.test(line)) found.push(`${node}: frozen task ${line.trim()}`);
  }
  for (const n of await kube().list('Node')) {
    if (((n.spec?.taints ?? []) as Array<{ key: string }>).some((t) => t.key === CHAOS_TAINT_KEY)) found.push(`taint ${CHAOS_TAINT_KEY} on node ${n.metadata?.name}`);
  }
  return found;
}

/** Whether this machine's kernel was built without netem (then latency scenarios must be INCONCLUSIVE). */
function kernelLacksNetem(): boolean {
  try {
    return !/^CONFIG_NET_SCH_NETEM=[ym]$/m.test(gunzipSync(readFileSync('/proc/config.gz')).toString());
  } catch {
    return false;
  }
}

describe('network, resource, freeze and taint faults', () => {
  it('the well-built web tier rides out packet loss and a 1 Mbit/s link; latency is INCONCLUSIVE without netem', async () => {
    assert.deepEqual(await traces(), [], 'a fault trace is left from before; run npm run chaos -- --janitor');
    const file = join(tmpdir(), `kubeproof-e2e-faults-pass-${process.pid}.ndjson`);
    const result = await runCli([`${FEATURES}/passes.feature`, '--format', `message:${file}`]);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 0, out);
    assert.match(out, /PASS {2}10% packet loss keeps every pod ready and the requests answered/);
    assert.match(out, /PASS {2}a 1 Mbit\/s link is enough for the web tier's answers/);
    if (kernelLacksNetem()) {
      assert.match(out, /INCONCLUSIVE {2}latency needs the kernel's netem/);
      assert.match(out, /network-latency needs the network emulator \(tc netem, kernel module sch_netem, CONFIG_NET_SCH_NETEM\), which node kubeproof-worker\d? does not offer: .*(unknown|No such file)/);
    } else {
      assert.match(out, /PASS {2}latency needs the kernel's netem/);
    }
    const lifted = timelineEvents(file, 0).filter((e) => e.kind === 'fault.reverted' && /^lifted after 30\.0s: nft table kubeproof_loss_[0-9a-f]{8} deleted from pod web-/.test(e.detail));
    assert.equal(lifted.length, 2, 'both pods\' loss rules were deleted when the 30 s were over');
    assert.ok(timelineEvents(file, 1).some((e) => e.kind === 'fault.reverted' && /^lifted after 25\.0s: qdisc 6b70: deleted from pod web-/.test(e.detail)), 'the tbf qdisc was deleted when the 25 s were over');
    assert.deepEqual(await traces(), [], 'nothing is left on the nodes');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('each broken variant FAILs with what went wrong, and leaves nothing on the nodes', async () => {
    const result = await runCli([`${FEATURES}/broken.feature`, '--parallel', '3']);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 1, out);
    assert.doesNotMatch(out, /\b(PASS|ERROR|INCONCLUSIVE) {2}/, 'every scenario FAILs');
    const failed = (title: string): string => {
      const at = out.indexOf(`FAIL  ${title}`);
      assert.ok(at >= 0, `"${title}" did not FAIL:\n${out}`);
      const next = out.slice(at + 6).search(/\n\[\d+\/\d+\] /);
      return out.slice(at, next < 0 ? undefined : at + 6 + next);
    };
    assert.match(failed('readiness that follows a dependency takes web out of service during a partition'), /Received: [01]\/2 ready/);
    assert.match(failed('readiness that resolves a dependency by name takes web out of service when DNS fails'), /Received: [01]\/2 ready/);
    assert.match(failed('a readiness probe without slack flaps under packet loss'), /Received: [01]\/2 ready/);
    assert.match(failed('a link too thin for the traffic breaks the latency objective'), /Expected: p95 latency below 500 ms for the requests sent during the fault/);
    const oom = failed('without a memory limit an allocation is never OOMKilled');
    assert.match(oom, /Received: restartCount 0; web-/);
    assert.match(oom, /no memory limit \(resources\.limits\.memory\)/);
    const frozen = failed('without a liveness probe a frozen pod is never restarted');
    assert.match(frozen, /Received: restartCount 0; web-/);
    assert.match(frozen, /has no livenessProbe, so a hung app is never restarted/);
    assert.match(failed('CPU stress cannot scale an HPA whose pods request no CPU'), /the HPA cannot compute CPU utilisation: the pods request no CPU/);
    const taint = failed('pods that tolerate every taint stay on a node tainted NoExecute');
    assert.match(taint, /Received: [12]\/2 pods on kubeproof-worker\d?/);
    assert.match(taint, /a toleration with operator Exists and no key tolerates every taint/);
    assert.deepEqual(await traces(), [], 'every broken scenario still undid its faults');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('SIGKILL with every fault in place leaves them on the nodes; --janitor removes each, checked on the nodes', async () => {
    assert.deepEqual(await traces(), [], 'a fault trace is left from before; run npm run chaos -- --janitor');
    const cli = startCli([`${FEATURES}/sigkill.feature`]);
    await waitUntil('the scenario to taint a node (its last fault)', 240_000, async () => ((await traces()).some((t) => t.startsWith('taint ')) ? true : undefined));
    const runId = runIdOf(cli.output());
    assert.ok(runId, cli.output());
    cli.child.kill('SIGKILL');
    await cli.done;
    const left = (await traces()).join('\n');
    assert.equal(left.match(/nft table kubeproof_partition_/g)?.length, 2, left);
    assert.equal(left.match(/nft table kubeproof_dns_/g)?.length, 2, left);
    assert.equal(left.match(/nft table kubeproof_loss_/g)?.length, 2, left);
    assert.equal(left.match(/qdisc 6b70: on eth0/g)?.length, 2, left);
    assert.match(left, /stress process \d+ .*kubeproof-stress-[0-9a-f]{12}/);
    assert.match(left, /frozen task [0-9a-f]+ +\d+ +PAUSED/);
    assert.match(left, new RegExp(`taint ${CHAOS_TAINT_KEY} on node kubeproof-worker\\d?`));

    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    const said = janitor.stdout + janitor.stderr;
    assert.match(said, new RegExp(`taint ${CHAOS_TAINT_KEY} removed from node kubeproof-worker\\d?`));
    assert.match(said, /container web of pod web-[a-z0-9-]+ thawed/);
    assert.match(said, /stopped \d+ stress process(es)? on node kubeproof-worker\d?/);
    assert.equal(said.match(/qdisc 6b70: deleted from pod web-/g)?.length, 2, said);
    assert.equal(said.match(/nft table kubeproof_(partition|dns|loss)_[0-9a-f]{8} deleted from pod web-/g)?.length, 6, said);
    assert.deepEqual(await traces(), [], 'nothing is left on any node');
    await untilRunNamespacesGone(runId);
    assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId!)), false, 'the dead run\'s journal is cleared');
  });
});
