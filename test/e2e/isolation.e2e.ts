/**
 * Isolation end to end on the real cluster: a NetworkPolicy with a selector typo must FAIL (exit 1)
 * with a message that names the unexpectedly allowed path and the policies selecting the target, and
 * must report a refused connection and a DNS failure as such — never as "blocked".
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kube, ownedNamespaces, ROOT, runCli, runIdOf, startCli, waitUntil } from './helpers.ts';

/** Namespaces holding the cut-off policy kubeproof injects. */
async function cutOffNamespaces(): Promise<string[]> {
  const owned = await ownedNamespaces();
  const withPolicy = await Promise.all(owned.map(async (ns) => ((await kube().get('NetworkPolicy', 'kubeproof-cut-off', ns)) ? ns : undefined)));
  return withPolicy.filter((ns): ns is string => ns !== undefined);
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
    assert.match(result.stdout, /1\/4 paths as expected; unexpected:/);
    assert.match(result.stdout, /app=frontend → service\/postgres:5432 was ALLOWED, expected blocked \(exit 0: [^)]*\); policies selecting postgres: none \(every ingress is allowed\)/);
    assert.match(result.stdout, /app=frontend → pod\/postgres-0:5433 was REFUSED, expected blocked \(exit 7: the connection was refused/);
    assert.match(result.stdout, /app=frontend → service\/no-such-service:80 was a DNS FAILURE, expected blocked \(exit 6: /);
    assert.doesNotMatch(result.stdout, /app=api → service\/postgres:5432 was/, 'the allowed path behaved and must not be listed');
    const runId = runIdOf(result.stderr);
    await waitUntil('the run\'s namespaces to be gone', 120_000, async () => ((await ownedNamespaces(runId)).length === 0 ? true : undefined));
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
    await waitUntil('the dead run\'s namespace to be gone', 120_000, async () => ((await ownedNamespaces(runId)).length === 0 ? true : undefined));
    assert.equal(existsSync(join(ROOT, '.kubeproof/journal', runId!)), false, 'the dead run\'s journal is cleared');
  });
});
