/**
 * Verdicts a student can act on (issue 19), on the real cluster: broken copies of small workloads must
 * FAIL with the likeliest cause in the message's first line, and those whose state is final must fail as
 * soon as it is final — not after their 120 s budget. A healthy control with a transient state (a
 * restart that succeeds) must PASS. One run, scenarios in parallel (they are namespace-scoped).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, kube, runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';
import type { CliRun } from './helpers.ts';

interface Verdict {
  verdict: string;
  /** The message's lines, "ConditionError: " left out of the first. */
  lines: string[];
}

/** The progress output's blocks: "[i/n] ✘ FAIL  name  (file:line, …)" and the indented message below. */
function verdictsOf(stdout: string): Map<string, Verdict> {
  const found = new Map<string, Verdict>();
  let current: Verdict | undefined;
  for (const line of stdout.split('\n')) {
    const head = /^\[\d+\/\d+\] \S+ (PASS|FAIL|INCONCLUSIVE|ERROR) {2}(.+?) {2}\(/.exec(line);
    if (head) {
      current = { verdict: head[1] ?? '', lines: [] };
      found.set(head[2] ?? '', current);
    } else if (current && line.startsWith('      ')) {
      current.lines.push(line.slice(6).replace(/^\w+Error: /, ''));
    } else {
      current = undefined;
    }
  }
  return found;
}

/** Seconds into the budget at which a final state ended the wait ("Final:    gave up after 2.1s of 2m00s: …"). */
function finalAfter(v: Verdict): number | undefined {
  const m = /^Final: {4}gave up after (\d+(?:\.\d+)?)(ms|s) of 2m00s/.exec(v.lines.find((l) => l.startsWith('Final:')) ?? '');
  return m ? Number(m[1]) / (m[2] === 'ms' ? 1000 : 1) : undefined;
}

describe('verdicts: broken copies FAIL with the cause first, final states at once', { concurrency: false }, () => {
  let run: CliRun;
  let verdicts: Map<string, Verdict>;
  const messages = join(tmpdir(), `kubeproof-e2e-verdicts-${process.pid}.ndjson`);
  const of = (name: string): Verdict => {
    const v = verdicts.get(name);
    assert.ok(v, `scenario "${name}" not in the output:\n${run.stdout}`);
    return v;
  };

  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
    run = await runCli(['test/e2e/features/verdicts', '--parallel', '4', '--format', `message:${messages}`]);
    verdicts = verdictsOf(run.stdout);
  });

  it('exits 1: every broken copy FAILS, the healthy control PASSES', async () => {
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /kubeproof: 10 scenarios — 1 PASS, 9 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    assert.equal(of('a container that fails its first start, then runs, passes').verdict, 'PASS');
    await untilRunNamespacesGone(runIdOf(run.stderr));
  });

  const finalStates: Array<[string, RegExp, RegExp]> = [
    ['the spec asks for 1 replica and nothing can raise it',
      /^Cause: {4}at most \d of the 3 expected ready replicas can ever exist: deployment "web" asks for 1 replica \(spec\.replicas\) and no HorizontalPodAutoscaler targets it$/,
      /the cause above cannot change by itself/],
    ['an image no node has, with pull policy Never',
      /^Cause: {4}pod web-\S+ container web: ErrImageNeverPull: Container image "kubeproof\/demo-app:9\.9\.9" is not present with pull policy of Never \(kubelet\)/,
      /at most 0 of the 3 expected ready replicas can ever exist: 3 pods can never become ready: image "kubeproof\/demo-app:9\.9\.9" is on no node and its pull policy is Never/],
    ['an image no node has and no registry serves',
      /^Cause: {4}pod web-\S+ container web: (ErrImagePull|ImagePullBackOff): .*no such host \(kubelet\)/,
      /at most 0 of the 3 expected ready replicas can ever exist: 3 pods can never become ready: image "kubeproof\/demo-app:9\.9\.9" is on no node and the kubelet could not pull it and is backing off/],
    ['pinned to a node that does not exist',
      /^Cause: {4}pod web-\S+ is Pending: 0\/4 nodes are available: .*didn't match Pod's node affinity\/selector.* \(scheduler\)/,
      /at most 0 of the 3 expected ready replicas can ever exist: 3 pods can never become ready: no node can ever run it \(.*kubeproof-worker, kubeproof-worker2, kubeproof-worker3: nodeSelector kubernetes\.io\/hostname=kubeproof-worker9 does not match\)/],
    ['each pod requests more CPU than any node has',
      /^Cause: {4}pod web-\S+ is Pending: 0\/4 nodes are available: .*Insufficient cpu.* \(scheduler\)/,
      /no node can ever run it \(.*kubeproof-worker, kubeproof-worker2, kubeproof-worker3: requests cpu 16 > allocatable 2\)/],
    ['the app crashes on start',
      /^Cause: {4}pod web-\S+ container web: (CrashLoopBackOff after \d+ restart\(s\), last exit 1 \(Error\)|exited 1 \(Error\) after \d+ restart\(s\)) \(kubelet\)/,
      /can never become ready: container web crashed 3 times in a row/],
  ];
  for (const [name, cause, final] of finalStates) {
    it(`final state — ${name}: FAILS before its 120 s budget, the cause first`, (t) => {
      const v = of(name);
      assert.equal(v.verdict, 'FAIL', v.lines.join('\n'));
      assert.match(v.lines[0] ?? '', cause);
      assert.match(v.lines.find((l) => l.startsWith('Final:')) ?? v.lines.join('\n'), final);
      const after = finalAfter(v);
      assert.ok(after !== undefined && after < 120, v.lines.join('\n'));
      t.diagnostic(`verdict ${after}s into the 120 s budget`);
    });
  }

  it('a readiness probe on a port the app does not listen on: the cause says so', () => {
    const v = of('the readiness probe checks a port the app does not listen on');
    assert.equal(v.verdict, 'FAIL');
    assert.match(v.lines[0] ?? '', /^Cause: {4}pod web-\S+: readinessProbe of container web checks port 4001, which the container does not declare \(its ports: http\/4000\); the kubelet: Readiness probe failed: .*:4001\/ready.*connection refused/);
  });

  it('a Service whose selector matches no pod: the cause names the selector and the pods\' labels', () => {
    const v = of('the Service\'s selector matches no pod');
    assert.equal(v.verdict, 'FAIL');
    assert.equal(v.lines[0], 'Cause:    service "web" selects no pod: selector app=wbe matches none of the 2 pods (labels app=web ×2)');
    assert.ok(v.lines.some((l) => /0 of 1 path as expected; unexpected:/.test(l)));
  });

  it('a NetworkPolicy whose podSelector matches no pod: the cause names the policy and its selector', () => {
    const v = of('the NetworkPolicy\'s podSelector matches no pod');
    assert.equal(v.verdict, 'FAIL');
    assert.match(v.lines[0] ?? '', /^Cause: {4}NetworkPolicy "db-allow-api" selects app=dbb, which matches no pod in namespace kp-\S+ \(pods' labels: app=db\), so it isolates nothing$/);
    assert.ok(v.lines.some((l) => /1 of 2 paths as expected; unexpected:/.test(l)));
  });

  it('the timeline excerpts stay short: repeats collapsed, warnings about the subject first', () => {
    for (const [name, v] of verdicts) {
      const at = v.lines.findIndex((l) => /^Timeline \(/.test(l));
      if (at < 0) continue;
      const excerpt = v.lines.slice(at + 1).filter((l) => /^ {2}\S|^ {4,}[+-]\d/.test(l));
      assert.ok(excerpt.length <= 14, `${name}: ${excerpt.length} lines\n${excerpt.join('\n')}`);
    }
    const crash = of('the app crashes on start').lines;
    assert.ok(crash.includes('  warnings about it:'), crash.join('\n'));
    assert.ok(crash.some((l) => /\(×\d+ since \+\d+\.\ds\)$/.test(l)), 'repeated events are collapsed');
  });

  it('every timeline is attached', () => {
    assert.equal(attachmentsOf(messages).filter((a) => a.fileName === 'timeline.json').length, 10);
  });
});
