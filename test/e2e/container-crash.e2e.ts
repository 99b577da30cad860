/** Container crash end to end: a real SIGKILL through the node's containerd, a real in-place restart. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, runCli, runIdOf, timelineEvents, untilRunNamespacesGone } from './helpers.ts';


describe('container crash', () => {
  it('the kubelet restarts the crashed container in the same pod: PASS with restartCount up and time to recover', async () => {
    // Our own message file: reports/ is shared with any other run on this machine.
    const file = join(tmpdir(), `kubeproof-e2e-crash-${process.pid}.ndjson`);
    const result = await runCli(['test/e2e/features/container-crash/crash.feature', '--format', `message:${file}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const attachments = attachmentsOf(file);
    const events = timelineEvents(file);
    const fault = events.find((e) => e.kind === 'fault.injected' && e.fault === 'container-crash');
    assert.ok(fault, 'the timeline records the crash');
    const pod = String(fault.target).replace('pod/', '');
    assert.ok(events.some((e) => e.kind === 'k8s.pod' && e.name === pod && !e.ready && e.t > fault.t), 'the pod went NotReady after the kill (the container really died)');
    assert.ok(events.some((e) => e.kind === 'condition.met' && e.subject.endsWith(`/${pod}`) && /restarted in place \(restartCount > 0\)/.test(e.expectation)), 'the same pod was seen restarted');
    assert.ok(attachments.some((a) => /^time to recover: \d+\.\ds$/.test(a.body ?? '')), 'the time to recover is logged');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
