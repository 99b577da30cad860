/**
 * Node death end to end: a kind node container is really paused, the scenario passes or fails for
 * the right reason, and the node is always unpaused — by the After hook, or by --janitor after a
 * SIGKILL. Every test starts and ends with no paused node.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, kube, ROOT, runCli, runIdOf, startCli, timelineEvents, untilRunNamespacesGone, waitUntil } from '../helpers.ts';

/** Paused containers of the kubeproof kind cluster (docker ps lists paused containers too). */
function pausedNodes(): string[] {
  return execFileSync('docker', ['ps', '--filter', 'label=io.x-k8s.kind.cluster=kubeproof', '--filter', 'status=paused', '--format', '{{.Names}}'], { encoding: 'utf8' })
    .split('\n').filter(Boolean);
}

async function notReadyNodes(): Promise<string[]> {
  return (await kube().list('Node')).filter((n) => !(n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata?.name ?? '');
}

interface Envelope { [key: string]: any }
/** Each run writes its own message file: reports/ is shared with any other run on this machine. */
const messageFile = (name: string): string => join(tmpdir(), `kubeproof-e2e-node-death-${process.pid}-${name}.ndjson`);
const attachments = (file: string): Envelope[] => attachmentsOf(file);

describe('node death (docker pause)', { concurrency: false }, () => {
  before(async () => {
    assert.deepEqual(pausedNodes(), [], 'a kind node is paused before the tests; run npm run chaos -- --janitor');
    assert.deepEqual(await notReadyNodes(), [], 'a node is NotReady before the tests');
  });
  after(() => {
    // Never leave the shared cluster with a frozen node, whatever failed above.
    for (const n of pausedNodes()) execFileSync('docker', ['unpause', n]);
    for (const n of ['kubeproof-worker', 'kubeproof-worker2', 'kubeproof-worker3']) execFileSync('docker', ['exec', n, 'systemctl', 'start', 'kubelet']);
  });

  it('a dead node\'s pods are replaced elsewhere: PASS, time to recover reported, node unpaused and Ready', async () => {
    const messages = messageFile('dies');
    const result = await runCli(['test/e2e/features/node-death/dies.feature', '--format', `message:${messages}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, /node loss: +pods evicted ~50s after a node dies — node-monitor-grace-period 20s \+ unreachable toleration 30s, from kube-system static pod flags/);
    const timeline = JSON.parse(attachments(messages).find((a) => a.fileName === 'timeline.json')?.body ?? '{}') as Envelope;
    const events = timeline.events as Envelope[];
    const paused = events.find((e) => e.kind === 'fault.injected' && e.fault === 'node-pause');
    assert.ok(paused, 'the timeline records the pause');
    const node = String(paused.target).replace('node/', '');
    assert.ok(events.some((e) => e.kind === 'k8s.node' && e.name === node && !e.ready && e.t > paused.t), 'the timeline shows the node going NotReady after the pause');
    assert.ok(timeline.timeToRecoverMs > 20_000, `time to recover ${timeline.timeToRecoverMs}ms is too short to include the node's death`);
    assert.ok(attachments(messages).some((a) => /^time to recover: \d+\.\ds$/.test(a.body ?? '')), 'the within step logs the time to recover');
    assert.ok(events.some((e) => e.kind === 'fault.reverted' && e.ok && /unpaused, Ready after/.test(e.detail)), 'the After hook unpaused the node and saw it Ready');
    assert.deepEqual(pausedNodes(), []);
    assert.deepEqual(await notReadyNodes(), []);
  });

  it('a stopped kubelet: the node goes NotReady, its pods are replaced, the kubelet is started again', async () => {
    const messages = messageFile('kubelet');
    const result = await runCli(['test/e2e/features/node-death/kubelet-stops.feature', '--format', `message:${messages}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const events = timelineEvents(messages);
    const stopped = events.find((e) => e.kind === 'fault.injected' && e.fault === 'kubelet-stop');
    assert.ok(stopped, 'the timeline records the kubelet stop');
    const node = String(stopped.target).replace('node/', '');
    assert.ok(events.some((e) => e.kind === 'k8s.node' && e.name === node && !e.ready && e.t > stopped.t), 'the node went NotReady');
    assert.ok(events.some((e) => e.kind === 'fault.reverted' && e.ok && e.detail.startsWith(`kubelet on node ${node} started, Ready after`)), 'the After hook started the kubelet');
    assert.equal(execFileSync('docker', ['exec', node, 'systemctl', 'is-active', 'kubelet'], { encoding: 'utf8' }).trim(), 'active');
    assert.deepEqual(await notReadyNodes(), []);
  });

  it('broken variant: replicas pinned to one node by a nodeSelector FAIL with the Pending replacements in the message', async () => {
    const messages = messageFile('pinned');
    const result = await runCli(['test/e2e/features/node-death/pinned.feature', '--format', `message:${messages}`]);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] ✘ FAIL  replicas pinned to one node cannot move when it dies/);
    assert.match(result.stdout, /expect\(apps\/v1\/Deployment kp-[^)]+\/pinned\)\.toHaveReadyReplicas\(3\) failed/);
    assert.match(result.stdout, /Expected: 3 ready replicas within 1m00s/);
    assert.match(result.stdout, /Received: 0\/3 ready \(.*pinned-[^ ]+ Pending: Unschedulable/);
    assert.match(result.stdout, /FailedScheduling pod\/pinned-[^:]+: 0\/4 nodes are available: .*didn't match Pod's node affinity\/selector/);
    const events = timelineEvents(messages);
    assert.ok(events.some((e) => e.kind === 'fault.injected' && e.target === 'node/kubeproof-worker'), 'the pinned node is the one that died');
    assert.deepEqual(pausedNodes(), [], 'the failed scenario still unpaused its node');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('SIGKILL while a node is paused leaves it paused; --janitor unpauses it and deletes the namespace', async () => {
    const run = startCli(['test/e2e/features/sigkill/pause-and-wait.feature']);
    const node = await waitUntil('the scenario to pause a node', 120_000, async () => pausedNodes()[0]);
    const runId = runIdOf(run.output());
    assert.ok(runId, run.output());
    run.child.kill('SIGKILL');
    await run.done;
    assert.deepEqual(pausedNodes(), [node], 'the killed run could not clean up: the node is still paused');

    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    assert.match(janitor.stderr, new RegExp(`node ${node} unpaused, Ready after \\d+\\.\\ds`));
    assert.deepEqual(pausedNodes(), []);
    assert.deepEqual(await notReadyNodes(), []);
    await untilRunNamespacesGone(runId);
    assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId!)), false, 'the dead run\'s journal is cleared');
  });
});
