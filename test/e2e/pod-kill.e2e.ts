/** Pod kill by percentage, and the 1-replica broken variant that must FAIL. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';

interface Envelope { [key: string]: any }
/** Each run writes its own message file: reports/ is shared with any other run on this machine. */
const messageFile = (name: string): string => join(tmpdir(), `kubeproof-e2e-pod-kill-${process.pid}-${name}.ndjson`);
const attachments = (file: string): Envelope[] => attachmentsOf(file);

describe('pod kill', { concurrency: false }, () => {
  it('60% of 3 replicas kills 2 pods (rounded up); they are replaced and the time to recover is logged', async () => {
    const file = messageFile('percent');
    const result = await runCli(['test/e2e/features/pod-kill/percent.feature', '--format', `message:${file}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.ok(attachments(file).some((a) => /^deployment\/pause-app: killed pause-app-[^,]+, pause-app-[^,]+$/.test(a.body ?? '')), 'two victims named in the log');
    assert.ok(attachments(file).some((a) => /^time to recover: \d+\.\ds$/.test(a.body ?? '')), 'the time to recover is logged');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('broken variant: with 1 replica, killing its pod breaks "keeps at least 1 ready replica" — FAIL, exit 1, clear message', async () => {
    const result = await runCli(['test/e2e/features/pod-kill/one-replica.feature', '--format', `message:${messageFile('one')}`]);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] ✘ FAIL  one replica loses its only pod/);
    assert.match(result.stdout, /throughout\.toHaveReadyReplicas\(>= 1\) failed/);
    assert.match(result.stdout, /Expected: at least 1 ready replica throughout 10\.0s/);
    // When the hold starts the killed pod is Terminating, gone, or already replaced by a Pending one: all 0 ready.
    assert.match(result.stdout, /Received: 0\/1 ready \(/);
    assert.match(result.stdout, /Violated: at \d+ms into the 10\.0s phase/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
