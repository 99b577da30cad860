/**
 * The network, resource, freeze and taint faults end to end, npm test's lean part: packet loss that a
 * well-built web tier rides out PASSes, two broken variants (a partition, an allocation without a memory
 * limit) FAIL with their own message, and a SIGKILLed run leaves rules, qdiscs, stress processes, a frozen
 * container and a taint behind that --janitor removes — checked on the nodes themselves, not only in the
 * runner's words. The other scenarios of the family (@nightly) run in test/e2e/nightly/faults.e2e.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAOS_TAINT_KEY } from '../../src/faults/node-taint.ts';
import { FAULT_FEATURES, traces } from './fault-traces.ts';
import { ROOT, runCli, runIdOf, startCli, timelineEvents, untilRunNamespacesGone, waitUntil } from './helpers.ts';

describe('network, resource, freeze and taint faults', () => {
  it('the well-built web tier rides out 10% packet loss; the rules are deleted when its time is over', async () => {
    assert.deepEqual(await traces(), [], 'a fault trace is left from before; run npm run chaos -- --janitor');
    const file = join(tmpdir(), `kubeproof-e2e-faults-pass-${process.pid}.ndjson`);
    const result = await runCli([`${FAULT_FEATURES}/passes.feature`, '--tags', 'not @nightly', '--format', `message:${file}`]);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 0, out);
    assert.match(out, /PASS {2}10% packet loss keeps every pod ready and the requests answered/);
    assert.match(out, /1 scenario — 1 PASS/);
    const lifted = timelineEvents(file, 0).filter((e) => e.kind === 'fault.reverted' && /^lifted after 30\.0s: nft table kubeproof_loss_[0-9a-f]{8} deleted from pod web-/.test(e.detail));
    assert.equal(lifted.length, 2, 'both pods\' loss rules were deleted when the 30 s were over');
    assert.deepEqual(await traces(), [], 'nothing is left on the nodes');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('a partition and an unlimited allocation FAIL with what went wrong, and leave nothing on the nodes', async () => {
    const result = await runCli([`${FAULT_FEATURES}/broken.feature`, '--tags', 'not @nightly', '--parallel', '2']);
    const out = result.stdout + result.stderr;
    assert.equal(result.code, 1, out);
    assert.match(out, /2 scenarios — 0 PASS, 2 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    const failed = (title: string): string => {
      const at = out.indexOf(`FAIL  ${title}`);
      assert.ok(at >= 0, `"${title}" did not FAIL:\n${out}`);
      const next = out.slice(at + 6).search(/\n\[\d+\/\d+\] /);
      return out.slice(at, next < 0 ? undefined : at + 6 + next);
    };
    assert.match(failed('readiness that follows a dependency takes web out of service during a partition'), /Received: [01]\/2 ready/);
    const oom = failed('without a memory limit an allocation is never OOMKilled');
    assert.match(oom, /Received: restartCount 0; web-/);
    assert.match(oom, /no memory limit \(resources\.limits\.memory\)/);
    assert.deepEqual(await traces(), [], 'every broken scenario still undid its faults');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('SIGKILL with every fault in place leaves them on the nodes; --janitor removes each, checked on the nodes', async () => {
    assert.deepEqual(await traces(), [], 'a fault trace is left from before; run npm run chaos -- --janitor');
    const cli = startCli([`${FAULT_FEATURES}/sigkill.feature`]);
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
