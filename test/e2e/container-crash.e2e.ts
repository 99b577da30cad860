/** Container crash end to end: a real SIGKILL through the node's containerd, a real in-place restart. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownedNamespaces, runCli, runIdOf, waitUntil } from './helpers.ts';

interface Envelope { [key: string]: any }

describe('container crash', () => {
  it('the kubelet restarts the crashed container in the same pod: PASS with restartCount up and time to recover', async () => {
    // Our own message file: reports/ is shared with any other run on this machine.
    const file = join(tmpdir(), `kubeproof-e2e-crash-${process.pid}.ndjson`);
    const result = await runCli(['test/e2e/features/container-crash/crash.feature', '--format', `message:${file}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const attachments = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope).filter((m) => m.attachment).map((m) => m.attachment);
    const events = JSON.parse(attachments.find((a) => a.fileName === 'timeline.json')?.body ?? '{}').events as Envelope[];
    const fault = events.find((e) => e.kind === 'fault.injected' && e.fault === 'container-crash');
    assert.ok(fault, 'the timeline records the crash');
    const pod = String(fault.target).replace('pod/', '');
    assert.ok(events.some((e) => e.kind === 'k8s.pod' && e.name === pod && !e.ready && e.t > fault.t), 'the pod went NotReady after the kill (the container really died)');
    assert.ok(events.some((e) => e.kind === 'condition.met' && e.subject.endsWith(`/${pod}`) && /restarted in place \(restartCount > 0\)/.test(e.expectation)), 'the same pod was seen restarted');
    assert.ok(attachments.some((a) => /^time to recover: \d+\.\ds$/.test(a.body ?? '')), 'the time to recover is logged');
    await waitUntil('the run\'s namespace to be gone', 120_000, async () => ((await ownedNamespaces(runIdOf(result.stderr))).length === 0 ? true : undefined));
  });
});
