/**
 * End to end on the real kind cluster. The first test fails (not skips) when the cluster is
 * unreachable, so `npm test` can never pass without having exercised a cluster.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, kube, ownedNamespaces, ROOT, runCli, runIdOf, startCli, untilRunNamespacesGone, waitUntil } from './helpers.ts';

interface Envelope { [key: string]: any }
const messages = (): Envelope[] => readFileSync(join(ROOT, 'reports/messages.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope);
const attachments = (): Envelope[] => attachmentsOf();

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => { const f = join(dir, e); return statSync(f).isDirectory() ? allFiles(f) : [f]; });
}

async function cordonedNodes(): Promise<string[]> {
  return (await kube().list('Node')).filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name ?? '');
}

/** The etcd image every kind node has (no registry is reachable); etcd logs its --name at startup. */
async function etcdImage(): Promise<string> {
  const pods = await kube().list('Pod', { namespace: 'kube-system', labelSelector: 'component=etcd' });
  const image = pods[0]?.spec?.containers?.[0]?.image as string | undefined;
  assert.ok(image, 'no etcd pod in kube-system');
  return image;
}

/** Writes (outside the repo) a scenario whose pod logs a Secret value and then fails, so evidence is collected. */
function writeLeakyScenario(secret: string, image: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-leaky-'));
  mkdirSync(join(dir, 'manifests'));
  writeFileSync(join(dir, 'manifests', 'leaky.yaml'), `apiVersion: v1
kind: Secret
metadata: { name: db-credentials }
stringData: { password: ${secret} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: leaky }
spec:
  replicas: 1
  selector: { matchLabels: { app: leaky } }
  template:
    metadata: { labels: { app: leaky } }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: etcd
        image: ${image}
        imagePullPolicy: IfNotPresent
        env:
        - name: PASSWORD
          valueFrom: { secretKeyRef: { name: db-credentials, key: password } }
        # Kubernetes expands $(PASSWORD) here, so etcd prints the secret in its startup log.
        command: [etcd, "--name=$(PASSWORD)", --data-dir=/tmp/etcd]
`);
  writeFileSync(join(dir, 'leaky.feature'), `Feature: a pod that logs a Secret value
  Scenario: evidence of a failure must not leak the secret
    Given the manifests in "${join(dir, 'manifests')}" are applied
    And deployment "leaky" has 1 ready replica within 60 seconds
    Then deployment "leaky" has 2 ready replicas within 5 seconds
`);
  return join(dir, 'leaky.feature');
}

describe('real cluster', { concurrency: false }, () => {
  before(async () => {
    // Fail loudly (not skip) without a cluster: e2e results must come from a real one.
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
    assert.deepEqual(await cordonedNodes(), [], 'a node is cordoned before the tests; run npm run chaos -- --janitor');
  });

  it('runs the shipped foundation features: exit 0, every report written, nothing left behind', async () => {
    const result = await runCli(['--tags', '@foundation']);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/5\] ✔ PASS/);
    assert.match(result.stdout, /\[5\/5\] ✔ PASS/);
    assert.match(result.stderr, /5 scenarios — 5 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    for (const f of ['reports/cucumber-report.html', 'reports/junit.xml', 'reports/messages.ndjson', 'reports/allure-report/index.html']) {
      assert.ok(existsSync(join(ROOT, f)), `${f} missing`);
    }
    assert.ok(readdirSync(join(ROOT, 'reports/allure-results')).some((f) => f.endsWith('-result.json')), 'no Allure results');
    assert.match(readFileSync(join(ROOT, 'reports/junit.xml'), 'utf8'), /<testsuite[^>]*tests="5"[^>]*failures="0"/);
    const timelines = attachments().filter((a) => a.fileName === 'timeline.json').map((a) => JSON.parse(a.body));
    assert.equal(timelines.length, 5, 'every scenario carries its timeline');
    const killed = timelines.find((t) => t.events.some((e: Envelope) => e.kind === 'fault.injected' && e.fault === 'pod-kill'));
    assert.ok(killed?.events.some((e: Envelope) => e.kind === 'k8s.pod' && e.deleted), 'the timeline shows the killed pod going away');
    assert.equal(typeof killed?.timeToRecoverMs, 'number', 'time to recover is computed from the timeline');
    const runId = runIdOf(result.stderr);
    assert.ok(runId);
    await untilRunNamespacesGone(runId);
    assert.deepEqual(await cordonedNodes(), [], 'the cordon fault was undone');
  });

  it('@exclusive scenarios never overlap with others under --parallel', async () => {
    const result = await runCli(['--tags', '@foundation', '--parallel', '3']);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const pickles = new Map(messages().filter((m) => m.pickle).map((m) => [m.pickle.id, m.pickle]));
    const cases = new Map(messages().filter((m) => m.testCase).map((m) => [m.testCase.id, m.testCase.pickleId]));
    const spans = new Map<string, { start: number; end: number; exclusive: boolean }>();
    const seconds = (t: { seconds: number; nanos: number }): number => t.seconds + t.nanos / 1e9;
    for (const m of messages()) {
      if (m.testCaseStarted) {
        const pickle = pickles.get(cases.get(m.testCaseStarted.testCaseId));
        spans.set(m.testCaseStarted.id, { start: seconds(m.testCaseStarted.timestamp), end: Infinity, exclusive: pickle.tags.some((t: Envelope) => t.name === '@exclusive') });
      }
      if (m.testCaseFinished) spans.get(m.testCaseFinished.testCaseStartedId)!.end = seconds(m.testCaseFinished.timestamp);
    }
    const all = [...spans.values()];
    const overlaps = (a: typeof all[0], b: typeof all[0]): boolean => a.start < b.end && b.start < a.end;
    const others = all.filter((s) => !s.exclusive);
    assert.ok(others.some((a) => others.some((b) => a !== b && overlaps(a, b))), 'non-exclusive scenarios should have run in parallel');
    for (const ex of all.filter((s) => s.exclusive)) {
      assert.ok(all.every((o) => o === ex || !overlaps(ex, o)), 'an @exclusive scenario overlapped another one');
    }
  });

  it('broken variant: a deployment that cannot become ready FAILS with our message, evidence, and exit 1; --keep keeps its namespace', async () => {
    const result = await runCli(['test/e2e/features/broken/unready.feature', '--keep']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] ✘ FAIL  replicas that can never be scheduled/);
    assert.match(result.stdout, /expect\(apps\/v1\/Deployment kp-[0-9a-f]{6}-[^)]+\/stuck\)\.toHaveReadyReplicas\(3\) failed/);
    assert.match(result.stdout, /Expected: 3 ready replicas within 10\.0s/);
    assert.match(result.stdout, /Received: 0\/3 ready \(stuck-[^ ]+ Pending: Unschedulable/);
    assert.match(result.stdout, /unchanged since \+\d+\.\ds/);
    // No node has the pods' nodeSelector label: a final state, so the wait ends at once (not after 10 s).
    assert.match(result.stdout, /Final: {4}gave up after \S+ of 10\.0s, the state final since \+\d+\.\ds: at most 0 of the 3 expected ready replicas can ever exist: 3 pods can never become ready: no node can ever run it .* \(condition budget "within 10 seconds"; step cap 600000ms\)/);
    const names = attachments().map((a) => a.fileName);
    for (const f of ['evidence-events.json', 'evidence-status.json', 'evidence-pod-logs.txt', 'timeline.json']) assert.ok(names.includes(f), `${f} not attached`);
    assert.match(attachments().find((a) => a.fileName === 'evidence-events.json')?.body ?? '', /FailedScheduling/);
    const runId = runIdOf(result.stderr);
    assert.equal((await ownedNamespaces(runId)).length, 1, '--keep must keep the failed scenario\'s namespace');
    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    await untilRunNamespacesGone(runId);
  });

  it('a missing fixture fails its step with a clear message (exit 2: the environment, not the system, is wrong)', async () => {
    const result = await runCli(['test/e2e/features/broken/missing-fixture.feature']);
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /! ERROR .*fixture "no-such-fixture" is not installed: expected its manifests in fixtures\/no-such-fixture\/manifests\//s);
  });

  it('Secret values never reach a report, even when a pod logs them', async () => {
    const secret = 'kp-e2e-secret-value-7731';
    const result = await runCli([writeLeakyScenario(secret, await etcdImage())]);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const logs = attachments().find((a) => a.fileName === 'evidence-pod-logs.txt')?.body ?? '';
    assert.match(logs, /\*\*\*REDACTED\*\*\*/, 'the pod log must have contained the secret (else this test proves nothing)');
    const leaks = allFiles(join(ROOT, 'reports')).filter((f) => {
      const body = readFileSync(f);
      return body.includes(secret) || body.includes(Buffer.from(secret).toString('base64'));
    });
    assert.deepEqual(leaks, []);
  });

  it('a scenario whose capabilities are missing is INCONCLUSIVE with its reason, and touches nothing', async () => {
    const result = await runCli(['test/e2e/features/inconclusive/too-few-workers.feature']);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] \? INCONCLUSIVE  needs nine worker nodes/);
    assert.match(result.stdout, /@workers:9 needs at least 9 ready worker nodes, the cluster has 3/);
    assert.match(result.stderr, /1 scenario — 0 PASS, 0 FAIL, 1 INCONCLUSIVE, 0 ERROR/);
    assert.equal((await ownedNamespaces(runIdOf(result.stderr))).length, 0, 'an INCONCLUSIVE scenario must not create its namespace');
    assert.match(readFileSync(join(ROOT, 'reports/junit.xml'), 'utf8'), /<skipped/);
  });

  it('an @isolation scenario runs the NetworkPolicy canary first and runs when policies are enforced', async () => {
    const result = await runCli(['test/e2e/features/isolation/canary.feature']);
    assert.match(result.stderr, /NetworkPolicy: {2}enforced — a deny-all ingress policy blocked pod-to-pod traffic/, result.stderr);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] ✔ PASS/);
    const runId = runIdOf(result.stderr);
    await waitUntil('the canary namespace to be deleted', 60_000, async () => ((await ownedNamespaces(runId)).length === 0 ? true : undefined));
  });

  it('SIGKILL mid-scenario leaves a journalled fault; --janitor undoes it and deletes the namespace', async () => {
    const run = startCli(['test/e2e/features/sigkill/cordon-and-wait.feature']);
    const node = await waitUntil('the scenario to cordon a node', 120_000, async () => (await cordonedNodes())[0]);
    const runId = runIdOf(run.output());
    assert.ok(runId, run.output());
    run.child.kill('SIGKILL');
    await run.done;
    assert.deepEqual(await cordonedNodes(), [node], 'the killed run could not clean up: the node is still cordoned');
    assert.equal((await ownedNamespaces(runId)).length, 1);

    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    assert.match(janitor.stderr, new RegExp(`node ${node} uncordoned`));
    // The killed run still held the cluster's run lock (src/run/cluster-lock.ts): the janitor frees it.
    assert.match(janitor.stderr, new RegExp(`janitor: cluster lock of run ${runId} \\(npm run chaos, pid ${run.child.pid} on \\S+\\) released: its process ${run.child.pid} is gone`));
    assert.deepEqual(await cordonedNodes(), []);
    await untilRunNamespacesGone(runId);
    assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId!)), false, 'the dead run\'s journal is cleared');
  });

  it('SIGINT mid-scenario undoes the fault before exiting 2', async () => {
    const run = startCli(['test/e2e/features/sigkill/cordon-and-wait.feature']);
    await waitUntil('the scenario to cordon a node', 120_000, async () => (await cordonedNodes())[0]);
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /SIGINT: undoing journalled faults/);
    assert.match(result.stderr, /partial report: reports\/allure-report\/index\.html/);
    assert.deepEqual(await cordonedNodes(), []);
    const runId = runIdOf(result.stderr);
    await untilRunNamespacesGone(runId);
  });
});
