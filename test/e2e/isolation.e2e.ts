/**
 * Isolation end to end on the real cluster: a NetworkPolicy with a selector typo must FAIL (exit 1)
 * with a message that names the unexpectedly allowed path and the policies selecting the target, and
 * must report a refused connection and a DNS failure as such — never as "blocked". LimitRanges,
 * same-name objects in two namespaces, per-namespace quotas and reconnecting a cut-off namespace
 * PASS; a LimitRange whose max is too high and a name expected to cross namespaces FAIL.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kube, ownedNamespaces, ROOT, runCli, runIdOf, startCli, waitUntil, untilRunNamespacesGone, attachmentsOf } from './helpers.ts';

/** Namespaces holding the cut-off policy kubeproof injects. */
async function cutOffNamespaces(): Promise<string[]> {
  const owned = await ownedNamespaces();
  const withPolicy = await Promise.all(owned.map(async (ns) => ((await kube().get('NetworkPolicy', 'kubeproof-cut-off', ns)) ? ns : undefined)));
  return withPolicy.filter((ns): ns is string => ns !== undefined);
}

/** Waits until nothing of run `runId` is left: its namespaces (alias namespaces too) and its journal. */
async function nothingLeftBehind(runId: string | undefined): Promise<void> {
  assert.ok(runId, 'the CLI printed no run id');
  await untilRunNamespacesGone(runId);
  assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId)), false, 'the run\'s journal is cleared');
}

/** The timeline events of every scenario of a run, from its cucumber messages file. */
function allTimelineEvents(messagesFile: string): Array<Record<string, any>> {
  return attachmentsOf(messagesFile).filter((a) => a.fileName === 'timeline.json').flatMap((a) => (JSON.parse(a.body) as { events: Array<Record<string, any>> }).events);
}

describe('isolation on the real cluster', { concurrency: false }, () => {
  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
  });

  it('a policy with a selector typo FAILS naming the ALLOWED path; refused and DNS failures are not "blocked"', async () => {
    const result = await runCli(['test/e2e/features/isolation-broken/selector-typo.feature']);
    const out = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 1, out);
    assert.match(result.stdout, /\[1\/1\] ✘ FAIL {2}the postgres policy selects "postgress"/);
    assert.match(result.stdout, /1 of 4 paths as expected; unexpected:/);
    assert.match(result.stdout, /app=frontend → service\/postgres:5432 was ALLOWED, expected blocked \(exit 0: [^)]*\); policies selecting postgres: none \(every ingress is allowed\)/);
    assert.match(result.stdout, /app=frontend → pod\/postgres-0:5433 was REFUSED, expected blocked \(exit 7: the connection was refused/);
    assert.match(result.stdout, /app=frontend → service\/no-such-service:80 was a DNS FAILURE, expected blocked \(exit 6: /);
    assert.doesNotMatch(result.stdout, /app=api → service\/postgres:5432 was/, 'the allowed path behaved and must not be listed');
    const runId = runIdOf(result.stderr);
    await untilRunNamespacesGone(runId);
  });

  it('SIGKILL while a namespace is cut off: --janitor deletes the journalled policy and the namespace', async () => {
    const run = startCli(['test/e2e/features/sigkill/cutoff-and-wait.feature']);
    const namespace = await waitUntil('the scenario to cut its namespace off', 120_000, async () => (await cutOffNamespaces())[0]);
    const runId = runIdOf(run.output());
    assert.ok(runId, run.output());
    run.child.kill('SIGKILL');
    await run.done;
    assert.ok(await kube().get('NetworkPolicy', 'kubeproof-cut-off', namespace), 'the killed run could not clean up: the policy is still there');

    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    assert.match(janitor.stderr, new RegExp(`NetworkPolicy ${namespace}/kubeproof-cut-off deleted`));
    await untilRunNamespacesGone(runId);
    assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId!)), false, 'the dead run\'s journal is cleared');
  });

  it('LimitRange, same-name "web"s, per-namespace quota and reconnecting a cut-off namespace PASS; the After hook does not undo the reconnect twice', async () => {
    const messages = join(mkdtempSync(join(tmpdir(), 'kp-iso-e2e-')), 'messages.ndjson');
    const result = await runCli(['features/isolation/limits-and-names.feature', 'features/isolation/namespaces.feature:45', '--format', `message:${messages}`]);
    const out = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, out);
    assert.match(result.stderr, /3 scenarios — 3 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/, out);
    const events = allTimelineEvents(messages);
    const reconnects = events.filter((e) => e.kind === 'fault.reverted' && e.fault === 'namespace-cutoff');
    assert.equal(reconnects.length, 1, `one reconnect: ${JSON.stringify(reconnects)}`);
    assert.match(reconnects[0]?.detail ?? '', /kubeproof-cut-off deleted/);
    // The undo was marked done by the reconnect step, so the After hook replays nothing for it.
    assert.deepEqual(events.filter((e) => e.kind === 'fault.reverted' && e.fault === 'networkpolicy.delete'), []);
    await nothingLeftBehind(runIdOf(result.stderr));
  });

  it('a LimitRange whose max is too high, and a short name expected to reach another namespace, FAIL with what was observed', async () => {
    const result = await runCli(['test/e2e/features/isolation-broken/limits-and-names.feature']);
    const out = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 1, out);
    assert.match(result.stderr, /2 scenarios — 0 PASS, 2 FAIL, 0 INCONCLUSIVE, 0 ERROR/, out);
    assert.match(result.stdout, /✘ FAIL {2}the LimitRange lets a container ask for 4 CPU/);
    assert.match(result.stdout, /Received: the pod was ADMITTED on every try for 10s; LimitRange "container-limits" has max\.cpu = 4, which lets a container ask for 2/);
    assert.match(result.stdout, /✘ FAIL {2}"web" from team-a is expected to reach team-b's web/);
    assert.match(result.stdout, /Expected: answered by a pod of namespace "team-b" \(kp-[a-z0-9-]+-team-b\)\n\s*Received: answered by pod web-[a-z0-9-]+ of namespace "team-a" \(kp-[a-z0-9-]+-team-a\)/);
    await nothingLeftBehind(runIdOf(result.stderr));
  });
});
