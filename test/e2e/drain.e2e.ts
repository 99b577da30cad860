/**
 * Node drain end to end: a real node is cordoned and the scenario's pods on it are evicted through
 * the Eviction API, so the PodDisruptionBudget really refuses; the scenario passes or fails for the
 * right reason; and the node is always uncordoned — by the After hook, or by --janitor after a
 * SIGKILL. Every test starts and ends with every node schedulable.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kube, ROOT, runCli, runIdOf, startCli, timelineEvents, untilRunNamespacesGone, waitUntil } from './helpers.ts';

async function cordonedNodes(): Promise<string[]> {
  return (await kube().list('Node')).filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name ?? '');
}

interface Envelope { [key: string]: any }
/** Each run writes its own message file: reports/ is shared with any other run on this machine. */
const messageFile = (name: string): string => join(tmpdir(), `kubeproof-e2e-drain-${process.pid}-${name}.ndjson`);
const timelineOf = (file: string): Envelope[] => timelineEvents(file);
const drainedNode = (events: Envelope[]): string => {
  const drain = events.find((e) => e.kind === 'fault.injected' && e.fault === 'node-drain');
  assert.ok(drain, 'the timeline records the drain');
  return String(drain.target).replace('node/', '');
};

describe('node drain (cordon + evictions through the Eviction API)', { concurrency: false }, () => {
  before(async () => {
    assert.deepEqual(await cordonedNodes(), [], 'a node is cordoned before the tests; run npm run chaos -- --janitor');
  });
  after(async () => {
    // Never leave the shared cluster with an unschedulable node, whatever failed above (the tests
    // run under the cluster lock, so a cordon seen here is one of ours).
    for (const n of await cordonedNodes()) await kube().patchMerge('Node', n, undefined, { spec: { unschedulable: null } });
  });

  it('with a PodDisruptionBudget: PASS, a refused eviction on the timeline, never below 3 ready, node uncordoned', async () => {
    const messages = messageFile('pass');
    const result = await runCli(['features/foundation/drain.feature', '--format', `message:${messages}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] ✔ PASS  a drain waits for the PodDisruptionBudget and the replicas move elsewhere/);
    const events = timelineOf(messages);
    const node = drainedNode(events);
    const drainT = events.find((e) => e.kind === 'fault.injected' && e.fault === 'node-drain')?.t as number;
    // The budget's status is read just after the refusal and may already be recomputed: only its rule is fixed.
    const refusals = events.filter((e) => e.kind === 'marker' && /^eviction of pod drain-app-\S+ refused by PodDisruptionBudget drain-app \(minAvailable 3; \d healthy of 3 needed, \d disruptions? allowed\): HTTP 429 \(TooManyRequests\): Cannot evict pod as it would violate the pod's disruption budget/.test(e.label));
    assert.ok(refusals.length >= 1, `the PodDisruptionBudget refused an eviction (markers: ${events.filter((e) => e.kind === 'marker').map((e) => e.label).join(' | ')})`);
    assert.ok(refusals.every((e) => e.t > drainT));
    assert.ok(events.some((e) => e.kind === 'marker' && new RegExp(`^drain of node ${node} finished: evicted 2 pod\\(s\\)`).test(e.label)), 'both pods of the drained node were evicted');
    assert.ok(events.some((e) => e.kind === 'condition.met' && e.expectation === `at least 3 ready replicas while node ${node} is drained`), 'the guard held for the whole drain');
    assert.ok(events.some((e) => e.kind === 'fault.reverted' && e.fault === 'node.uncordon' && e.ok && e.target === node), 'the After hook uncordoned the node');
    assert.notEqual((await kube().get('Node', node))?.spec?.unschedulable, true, `node ${node} is schedulable again`);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('broken variant: replicas co-located and no PodDisruptionBudget FAIL, naming the drop and the missing budget', async () => {
    const messages = messageFile('broken');
    const result = await runCli(['test/e2e/features/drain-broken/colocated.feature', '--format', `message:${messages}`]);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] ✘ FAIL  a drain takes every co-located replica at once/);
    assert.match(result.stdout, /expect\(apps\/v1\/Deployment kp-[^)]+\/drain-app\)\.while\.toHaveReadyReplicas\(>= 3\) failed/);
    assert.match(result.stdout, /Expected: at least 3 ready replicas while node kubeproof-worker\d? is drained/);
    assert.match(result.stdout, /Received: [0-2]\/4 ready \(.*Terminating on kubeproof-worker/);
    assert.match(result.stdout, /unchanged since \+\d+\.\ds/);
    assert.match(result.stdout, /Hint: +no PodDisruptionBudget protects deployment "drain-app" \(none in namespace kp-[^ ]+ selects its pods\)/);
    const node = drainedNode(timelineOf(messages));
    assert.notEqual((await kube().get('Node', node))?.spec?.unschedulable, true, 'the failed scenario still uncordoned its node');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('SIGKILL mid-drain leaves the node cordoned; --janitor uncordons it and deletes the namespace', async () => {
    const run = startCli(['test/e2e/features/drain-sigkill/drain-and-wait.feature']);
    // The budget refuses every eviction, so once the node is cordoned the drain is retrying until killed.
    const node = await waitUntil('the scenario to cordon a node', 120_000, async () => (await cordonedNodes())[0]);
    const runId = runIdOf(run.output());
    assert.ok(runId, run.output());
    run.child.kill('SIGKILL');
    await run.done;
    assert.deepEqual(await cordonedNodes(), [node], 'the killed run could not clean up: the node is still cordoned');

    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    assert.match(janitor.stderr, new RegExp(`node ${node} uncordoned`));
    assert.deepEqual(await cordonedNodes(), []);
    await untilRunNamespacesGone(runId);
    assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId!)), false, 'the dead run\'s journal is cleared');
  });
});
