/**
 * Bad input: one clear line, exit 2, nothing left behind. These checks stop before the cluster is
 * touched (except the context checks, which only read it).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, existsSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers.ts';

const journalRuns = (): string[] => (existsSync(join(ROOT, '.kubeproof/journal')) ? readdirSync(join(ROOT, '.kubeproof/journal')) : []);

/** Asserts exit 2 with a first stderr line matching `line`, and that no run was journalled. */
let lastStderr = '';
async function expectRejected(args: string[], line: RegExp, env?: NodeJS.ProcessEnv): Promise<void> {
  const runsBefore = journalRuns();
  const result = await runCli(args, env);
  assert.equal(result.code, 2, `expected exit 2, got ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  const first = result.stderr.split('\n')[0] ?? '';
  assert.match(first, line);
  assert.deepEqual(journalRuns(), runsBefore, 'a rejected run must not start (no journal entry)');
  lastStderr = result.stderr;
}

describe('bad input exits 2 with one clear line', () => {
  it('unknown option', () => expectRejected(['--bogus'], /^kubeproof: unknown option "--bogus"/));

  it('malformed feature file (file and line)', () =>
    expectRejected(['test/e2e/features/malformed'], /^kubeproof: malformed feature file test\/e2e\/features\/malformed\/malformed\.feature line 4: /));

  it('undefined step, with the snippet to implement it', async () => {
    await expectRejected(['test/e2e/features/undefined-step'], /^kubeproof: undefined step "the moon turns into cheese" in test\/e2e\/features\/undefined-step\/undefined\.feature:2/);
    assert.match(lastStderr, /When\('the moon turns into cheese', async function \(\) \{/);
  });

  it('invalid YAML manifest (file and line)', () =>
    expectRejected(['test/e2e/features/invalid-yaml'], /^kubeproof: invalid YAML in test\/e2e\/features\/invalid-yaml\/manifests\/broken\.yaml line \d+: /));

  it('zero scenarios matched (cucumber alone would exit 0)', () =>
    expectRejected(['--tags', '@no-such-tag'], /^kubeproof: no scenario matched the tag expression "\(@no-such-tag\)"/));

  it('malformed tag expression: one line, no stack trace', async () => {
    await expectRejected(['--tags', '@a and ('], /^kubeproof: cannot select scenarios: /);
    assert.doesNotMatch(lastStderr, /\n\s+at /, 'no stack frames');
  });

  it('unreachable API server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-kubeconfig-'));
    const file = join(dir, 'config');
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: kind-nowhere',
      'clusters: [{ name: kind-nowhere, cluster: { server: "https://127.0.0.1:59999" } }]',
      'users: [{ name: u, user: { token: x } }]',
      'contexts: [{ name: kind-nowhere, context: { cluster: kind-nowhere, user: u } }]', '',
    ].join('\n'));
    return expectRejected(['--tags', '@scaling'], /^kubeproof: cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:59999: .*ECONNREFUSED.*is the cluster up\?/, { ...process.env, KUBECONFIG: file });
  });

  it('docker missing', () => {
    // A PATH with only node on it: docker cannot be found.
    const dir = mkdtempSync(join(tmpdir(), 'kp-path-'));
    symlinkSync(process.execPath, join(dir, 'node'));
    return expectRejected(['--tags', '@scaling'], /^kubeproof: docker is not installed or not on PATH/, { ...process.env, PATH: dir });
  });

  it('vegeta missing (and no Go to build it), only when a selected scenario sends load', async () => {
    // PATH with node and docker only, and an empty cache: vegeta can be neither found nor built.
    const dir = mkdtempSync(join(tmpdir(), 'kp-path-'));
    symlinkSync(process.execPath, join(dir, 'node'));
    const docker = ['/usr/bin/docker', '/usr/local/bin/docker'].find((p) => existsSync(p));
    assert.ok(docker, 'docker not found in /usr/bin or /usr/local/bin');
    symlinkSync(docker, join(dir, 'docker'));
    const env = { ...process.env, PATH: dir, KUBEPROOF_CACHE: mkdtempSync(join(tmpdir(), 'kp-cache-')) };
    await expectRejected(['test/e2e/features/load/needs-vegeta.feature'], /^kubeproof: the selected scenarios send load, but vegeta \(the load generator\) is not installed: install Go .* or put a vegeta v12 binary on PATH$/m, env);
    // The same PATH is fine for scenarios without load: the run gets past the vegeta check (dry run stops before the cluster).
    const ok = await runCli(['--dry-run', '--tags', '@scaling'], env);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('k6 missing, only when a selected scenario runs a user\'s k6 script', () =>
    expectRejected(['test/e2e/features/load-k6'], /^kubeproof: the selected scenarios run a k6 script, but k6 is not installed \(this step runs your own k6 script; kubeproof's own load steps use vegeta and do not need k6\)/));

  it('a load above the caps (rate or duration)', () =>
    expectRejected(['test/e2e/features/load-over-cap'], /^kubeproof: test\/e2e\/features\/load-over-cap\/over-cap\.feature:3 \(ten thousand requests per second\): the load: 10000 requests per second is above the limit of 5000: lower the rate/));

  it('a bad --seed value', () => expectRejected(['--seed', 'x'], /^kubeproof: --seed expects a whole number, got "x"/));
});

describe('context safety', () => {
  let kubeconfig = '';
  before(() => {
    // The real cluster under another context name: preflight must refuse it as "not kind".
    const original = readFileSync(process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'kp-kubeconfig-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, original.replaceAll('kind-kubeproof', 'staging'));
  });

  it('refuses a context that is not a kind cluster', () =>
    expectRejected(['--tags', '@scaling', '--context', 'staging'], /^kubeproof: kube context "staging" is not a kind cluster .*--allow-context/, { ...process.env, KUBECONFIG: kubeconfig }));

  it('refuses an unknown context, listing the known ones', () =>
    expectRejected(['--tags', '@scaling', '--context', 'nope'], /^kubeproof: kube context "nope" is not in your kubeconfig \(known contexts: staging\)/, { ...process.env, KUBECONFIG: kubeconfig }));
});

describe('--dry-run', () => {
  it('lists scenarios with the faults and targets they would hit, without a cluster', async () => {
    // The foundation profile: a fixed set of scenarios (the default suite grows with every feature).
    const result = await runCli(['--dry-run', '--seed', '7', '--profile', 'foundation'], { ...process.env, KUBECONFIG: '/nonexistent' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^5 scenarios would run \(dry run: the cluster is not touched\)/);
    assert.match(result.stdout, /fault: pod-kill: 1 pod of deployment "pause-app" \(victims chosen with seed 7\)/);
    assert.match(result.stdout, /fault: node-cordon: the node running the most "pause-app" pods/);
    assert.match(result.stdout, /fault: node-drain: cordon the node running the most "drain-app" pods .*deployment "drain-app" must keep at least 3 ready replicas throughout/);
  });

  it('prints a feature outside the checkout as the path given, not as "../../…"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-outside-'));
    writeFileSync(join(dir, 'scaling.feature'), readFileSync(join(ROOT, 'features/foundation/scaling.feature')));
    for (const given of [join(dir, 'scaling.feature'), dir]) {
      const result = await runCli(['--dry-run', given], { ...process.env, KUBECONFIG: '/nonexistent' });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(`[1/1] scale out and back in  (${join(dir, 'scaling.feature')}:8)`), result.stdout);
      assert.doesNotMatch(result.stdout, /\(\.\.\//);
    }
  });
});
