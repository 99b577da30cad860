/**
 * The fault family's @nightly part (npm test runs test/e2e/faults.e2e.ts): a 1 Mbit/s link the web tier
 * rides out, latency INCONCLUSIVE where the kernel has no netem, and the broken variants of DNS failure,
 * packet loss, a thin link, a freeze, CPU stress and a NoExecute taint, each FAILing with its own message
 * and leaving nothing on the nodes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_FEATURES, kernelLacksNetem, traces } from '../fault-traces.ts';
import { runCli, runIdOf, timelineEvents, untilRunNamespacesGone } from '../helpers.ts';

describe('network, resource, freeze and taint faults (nightly)', () => {
  it('a 1 Mbit/s link is enough for the web tier; latency is INCONCLUSIVE without netem', async () => {
    assert.deepEqual(await traces(), [], 'a fault trace is left from before; run npm run chaos -- --janitor');
    const file = join(tmpdir(), `kubeproof-e2e-faults-nightly-pass-${process.pid}.ndjson`);
    const result = await runCli([`${FAULT_FEATURES}/passes.feature`, '--tags', '@nightly', '--format', `message:${file}`]);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 0, out);
    assert.match(out, /PASS {2}a 1 Mbit\/s link is enough for the web tier's answers/);
    if (kernelLacksNetem()) {
      assert.match(out, /INCONCLUSIVE {2}latency needs the kernel's netem/);
      assert.match(out, /network-latency needs the network emulator \(tc netem, kernel module sch_netem, CONFIG_NET_SCH_NETEM\), which node kubeproof-worker\d? does not offer: .*(unknown|No such file)/);
    } else {
      assert.match(out, /PASS {2}latency needs the kernel's netem/);
    }
    assert.ok(timelineEvents(file, 0).some((e) => e.kind === 'fault.reverted' && /^lifted after 25\.0s: qdisc 6b70: deleted from pod web-/.test(e.detail)), 'the tbf qdisc was deleted when the 25 s were over');
    assert.deepEqual(await traces(), [], 'nothing is left on the nodes');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('each broken variant FAILs with what went wrong, and leaves nothing on the nodes', async () => {
    const result = await runCli([`${FAULT_FEATURES}/broken.feature`, '--tags', '@nightly', '--parallel', '3']);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 1, out);
    assert.match(out, /6 scenarios — 0 PASS, 6 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    const failed = (title: string): string => {
      const at = out.indexOf(`FAIL  ${title}`);
      assert.ok(at >= 0, `"${title}" did not FAIL:\n${out}`);
      const next = out.slice(at + 6).search(/\n\[\d+\/\d+\] /);
      return out.slice(at, next < 0 ? undefined : at + 6 + next);
    };
    assert.match(failed('readiness that resolves a dependency by name takes web out of service when DNS fails'), /Received: [01]\/2 ready/);
    assert.match(failed('a readiness probe without slack flaps under packet loss'), /Received: [01]\/2 ready/);
    assert.match(failed('a link too thin for the traffic breaks the latency objective'), /Expected: p95 latency below 500 ms for the requests sent during the fault/);
    const frozen = failed('without a liveness probe a frozen pod is never restarted');
    assert.match(frozen, /Received: restartCount 0; web-/);
    assert.match(frozen, /has no livenessProbe, so a hung app is never restarted/);
    const hpa = failed('CPU stress cannot scale an HPA whose pods request no CPU');
    assert.match(hpa, /the HPA cannot compute CPU utilisation: the pods request no CPU/);
    assert.doesNotMatch(hpa, /no load was started/, 'the CPU stress is what drives the CPU here');
    const taint = failed('pods that tolerate every taint stay on a node tainted NoExecute');
    assert.match(taint, /Received: [12]\/2 pods on kubeproof-worker\d?/);
    assert.match(taint, /a toleration with operator Exists and no key tolerates every taint/);
    assert.deepEqual(await traces(), [], 'every broken scenario still undid its faults');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
