/** Steady traffic through a real NodePort on 127.0.0.1 while a real pod is killed, judged by phase. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, runCli, runIdOf, timelineEvents, untilRunNamespacesGone } from './helpers.ts';



describe('traffic during a fault', () => {
  it('a healthy Service: PASS, the report splits requests into before / during / after recovery', async () => {
    const file = join(tmpdir(), `kubeproof-e2e-traffic-${process.pid}.ndjson`);
    const result = await runCli(['test/e2e/features/traffic/recovers.feature', '--format', `message:${file}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const summary = attachmentsOf(file).find((a) => a.fileName === 'traffic.txt')?.body as string | undefined;
    assert.ok(summary, 'the traffic summary is attached to the report');
    assert.match(summary, /traffic to service\/web \(127\.0\.0\.1:30080\): \d{3} requests/);
    assert.match(summary, /after recovery \(\+\d+\.\ds → end\): 0\/\d+ failed/);
    const events = timelineEvents(file);
    assert.ok(events.some((e) => e.kind === 'load.started') && events.some((e) => e.kind === 'load.stopped'), 'the load window is on the timeline');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('broken variant: a stray Ready pod behind the Service FAILS with the error rate after recovery and its reasons', async () => {
    const result = await runCli(['test/e2e/features/traffic/stray-pod.feature']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /FAIL {2}requests keep failing after the killed pod is replaced/);
    assert.match(out, /Expected: fewer than 1% of the requests sent after recovery \(\+\d+\.\ds\) fail/);
    assert.match(out, /Received: \d+\/\d+ failed \((1\d|2\d|3\d)\.\d%/);
    assert.match(out, /look at pods that are Ready but do not answer/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
