/**
 * Verdicts a student can act on (issue 19), on the real cluster: broken copies of small workloads must
 * FAIL with the likeliest cause in the message's first line, and those whose state is final must fail as
 * soon as it is final — not after their 120 s budget. A healthy control with a transient state (a
 * restart that succeeds) must PASS. One run, scenarios in parallel (they are namespace-scoped).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** "Final:    gave up after 3.1s of 2m00s, the state final since +4.2s: …" → seconds into the budget, and the offset (s) since which the state was final. */
function finalLine(v: Verdict): { after: number; sinceT: number } | undefined {
  const m = /^Final: {4}gave up after (\d+(?:\.\d+)?)(ms|s) of 2m00s, the state final since \+(\d+\.\d)s: /.exec(v.lines.find((l) => l.startsWith('Final:')) ?? '');
  return m ? { after: Number(m[1]) / (m[2] === 'ms' ? 1000 : 1), sinceT: Number(m[3]) } : undefined;
}

/** The timeline of each scenario, by name (from the run's cucumber messages). */
function timelinesByName(file: string): Map<string, Array<Record<string, any>>> {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  const pickles = new Map(lines.filter((m) => m.pickle).map((m) => [m.pickle.id, m.pickle.name as string]));
  const cases = new Map(lines.filter((m) => m.testCase).map((m) => [m.testCase.id, m.testCase.pickleId as string]));
  const started = new Map(lines.filter((m) => m.testCaseStarted).map((m) => [m.testCaseStarted.id, m.testCaseStarted.testCaseId as string]));
  const out = new Map<string, Array<Record<string, any>>>();
  for (const m of lines) {
    if (m.attachment?.fileName !== 'timeline.json') continue;
    const name = pickles.get(cases.get(started.get(m.attachment.testCaseStartedId) ?? '') ?? '') ?? '?';
    out.set(name, (JSON.parse(m.attachment.body) as { events: Array<Record<string, any>> }).events);
  }
  return out;
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
      const parsed = finalLine(v);
      assert.ok(parsed && parsed.after < 120, v.lines.join('\n'));
      // The goal: the verdict within 15 s of the state being final (the engine confirms it for 3 s).
      const failedT = timelinesByName(messages).get(name)?.find((e) => e.kind === 'condition.failed')?.t as number;
      const afterFinal = failedT / 1000 - parsed.sinceT;
      assert.ok(afterFinal >= 0 && afterFinal <= 15, `verdict ${afterFinal.toFixed(1)}s after the state was seen final`);
      t.diagnostic(`verdict ${parsed.after}s into the 120 s budget, ${afterFinal.toFixed(1)}s after the state was seen final`);
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
