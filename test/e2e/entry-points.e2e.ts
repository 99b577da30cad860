/**
 * Cucumber's own entry points (issue 20) and capabilities from steps (issue 19 item 5), end to end:
 * plain `npx cucumber-js` with the project's cucumber.mjs, the `kubeproof` bin from a project that
 * depends on kubeproof (a linked install and an installed copy), and what an editor's Cucumber language
 * server finds with the documented settings. Runs on the real cluster (fails, never skips, without it).
 * The installed-copy project (an npm install of ~400 MB) is entry-points-installed.e2e.ts.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { LOCK_NAME, LOCK_NAMESPACE, lockStateOf } from '../../src/run/cluster-lock.ts';
import { attachmentsOf, kube, ownedNamespaces, ROOT, runCli, runIdOf, untilRunNamespacesGone, waitUntil } from './helpers.ts';
import { all, cordonedNodes, cucumberJs, editorView, expectCourseDryRun, handOverFiles, installedProject, journalRuns, noFrames, outsideEnv, pausedNodes, start } from './entry-helpers.ts';

describe('cucumber-js with the project\'s cucumber.mjs: no cluster needed', () => {
  it('--dry-run lists every scenario as skipped (not ERROR), exit 0, without touching the cluster', async () => {
    const result = await cucumberJs(['--dry-run'], { ...process.env, KUBECONFIG: '/nonexistent' });
    assert.equal(result.code, 0, all(result));
    const lines = result.stdout.trim().split('\n');
    const listed = lines.filter((l) => /^\[\d+\/\d+\] /.test(l));
    assert.ok(listed.length >= 10, all(result));
    assert.deepEqual(listed.filter((l) => !/^\[\d+\/\d+\] - SKIPPED  /.test(l)), [], 'every scenario is listed as skipped');
    assert.equal(lines.at(-1), `${listed.length} scenarios (${listed.length} skipped): listed, not run`);
    assert.doesNotMatch(result.stdout + result.stderr, /ERROR|skipped without a reason/);
    assert.equal(result.stderr, '');
  });

  it('a run the cluster cannot take is refused in one kubeproof line, exit 2, no stack trace, no scenario run, nothing journalled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-kubeconfig-'));
    writeFileSync(join(dir, 'config'), [
      'apiVersion: v1', 'kind: Config', 'current-context: kind-nowhere',
      'clusters: [{ name: kind-nowhere, cluster: { server: "https://127.0.0.1:59999" } }]',
      'users: [{ name: u, user: { token: x } }]',
      'contexts: [{ name: kind-nowhere, context: { cluster: kind-nowhere, user: u } }]', '',
    ].join('\n'));
    const before = journalRuns();
    const result = await cucumberJs(['--tags', '@scaling'], { ...process.env, KUBECONFIG: join(dir, 'config') });
    assert.equal(result.code, 2, all(result));
    assert.equal(result.stdout, '', 'no scenario ran');
    assert.match(result.stderr, /^kubeproof: cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:59999: .*ECONNREFUSED.*npm run cluster:up\)\n$/);
    noFrames(result.stderr);
    assert.deepEqual(journalRuns(), before);
  });

  it('what only our CLI does is refused in one line naming npm run chaos, exit 2', async () => {
    const result = await cucumberJs(['--tags', '@scaling', '--world-parameters', '{"janitor":true}']);
    assert.equal(result.code, 2, all(result));
    assert.equal(result.stderr, 'kubeproof: world parameter "janitor" is not for cucumber-js: cleaning up after killed runs is not a test run: use npm run chaos -- --janitor (or npx kubeproof --janitor)\n');
  });

  // The load wiring's refusals hold under cucumber-js too: exit 2, one line, before the cluster (no kubeconfig at all).
  const noCluster = { ...process.env, KUBECONFIG: '/nonexistent' };
  it('a load above the caps is refused before the cluster, exit 2', async () => {
    const before = journalRuns();
    const result = await cucumberJs(['-p', 'only', 'test/e2e/features/load-over-cap'], noCluster);
    assert.equal(result.code, 2, all(result));
    assert.equal(result.stdout, '', 'no scenario ran');
    assert.match(result.stderr, /^kubeproof: test\/e2e\/features\/load-over-cap\/over-cap\.feature \(ten thousand requests per second\): the load: 10000 requests per second is above the limit of 5000: lower the rate[^\n]*\n$/);
    assert.deepEqual(journalRuns(), before);
  });

  it('k6 missing, when a selected scenario runs a user\'s k6 script: refused before the cluster, exit 2', async () => {
    const result = await cucumberJs(['-p', 'only', 'test/e2e/features/load-k6'], noCluster);
    assert.equal(result.code, 2, all(result));
    assert.match(result.stderr, /^kubeproof: the selected scenarios run a k6 script, but k6 is not installed \(this step runs your own k6 script; kubeproof's own load steps use vegeta and do not need k6\)[^\n]*\n$/);
  });

  it('vegeta missing (and no Go to build it), when a selected scenario sends load: refused before the cluster, exit 2', async () => {
    // PATH with node and docker only, and an empty cache: vegeta can be neither found nor built.
    const dir = mkdtempSync(join(tmpdir(), 'kp-path-'));
    symlinkSync(process.execPath, join(dir, 'node'));
    const docker = ['/usr/bin/docker', '/usr/local/bin/docker'].find((p) => existsSync(p));
    assert.ok(docker, 'docker not found in /usr/bin or /usr/local/bin');
    symlinkSync(docker, join(dir, 'docker'));
    const env = { ...noCluster, PATH: dir, KUBEPROOF_CACHE: mkdtempSync(join(tmpdir(), 'kp-cache-')) };
    const result = await start(process.execPath, [join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '-p', 'only', 'test/e2e/features/load/needs-vegeta.feature'], { env }).done;
    assert.equal(result.code, 2, all(result));
    assert.match(result.stderr, /^kubeproof: the selected scenarios send load, but vegeta \(the load generator\) is not installed: install Go .* or put a vegeta v12 binary on PATH\n$/);
  });

  it('a malformed feature file is cucumber\'s own parse error, exit 1 (not a "no scenario matched")', async () => {
    const result = await cucumberJs(['-p', 'only', 'test/e2e/features/malformed'], { ...process.env, KUBECONFIG: '/nonexistent' });
    assert.equal(result.code, 1, all(result));
    assert.match(result.stderr, /^Parse error in "test\/e2e\/features\/malformed\/malformed\.feature" \(4:5\)/);
    assert.doesNotMatch(result.stderr, /no scenario matched/);
  });

  it('no scenario matched: cucumber exits 0, and we say so (npm run chaos exits 2)', async () => {
    const result = await cucumberJs(['--tags', '@no-such-tag'], { ...process.env, KUBECONFIG: '/nonexistent' });
    assert.equal(result.code, 0, all(result));
    assert.equal(result.stderr, 'kubeproof: no scenario matched (cucumber-js exits 0 here; npm run chaos exits 2)\n');
  });
});

describe('cucumber-js on the real cluster', { concurrency: false }, () => {
  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
    assert.deepEqual(await cordonedNodes(), [], 'a node is cordoned before the tests; run npm run chaos -- --janitor');
  });

  it('npx cucumber-js --tags @foundation --parallel 2: the same run as npm run chaos, exit 0, reports written, nothing left behind', async () => {
    const result = await cucumberJs(['--tags', '@foundation', '--parallel', '2']);
    assert.equal(result.code, 0, all(result));
    assert.equal(result.stdout.split('\n').filter((l) => /^\[\d\/5\] ✔ PASS  /.test(l)).length, 5, all(result));
    assert.match(result.stderr, /^kubeproof run [0-9a-f]{6}: context kind-kubeproof \(Kubernetes v[\d.]+\), seed \d+ \(replay with --world-parameters '\{"seed":\d+\}'\), 5 scenarios$/m);
    assert.match(result.stderr, /^ {2}workers: {8}3 ready$/m);
    assert.match(result.stderr, /kubeproof: 5 scenarios — 5 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    for (const f of ['reports/cucumber-report.html', 'reports/junit.xml', 'reports/messages.ndjson', 'reports/allure-report/index.html']) {
      assert.ok(existsSync(join(ROOT, f)), `${f} missing`);
    }
    // Worker threads got the prepared world parameters: every scenario ran in a namespace of this run, with its seed.
    const runId = runIdOf(result.stderr);
    const infos = attachmentsOf().filter((a) => a.mediaType === 'text/x.kubeproof.scenario+plain').map((a) => a.body);
    assert.equal(infos.length, 5);
    for (const info of infos) assert.match(info, new RegExp(`^namespace kp-${runId}-.*, seed \\d+ \\(replay with --world-parameters`));
    await untilRunNamespacesGone(runId);
    assert.deepEqual(await cordonedNodes(), [], 'the cordon and drain faults were undone');
    assert.ok(!journalRuns().includes(runId ?? ''), 'the run\'s journal is cleared');
    assert.deepEqual(handOverFiles(), [], 'the hand-over file to the workers is removed');
    assert.equal(lockStateOf(await kube().get('Lease', LOCK_NAME, LOCK_NAMESPACE)).holder, undefined, 'the AfterAll released the cluster lock');
  });

  it('a load scenario under cucumber-js: vegeta found by the same preflight (the testbed cache), the load judged, PASS, exit 0', async () => {
    const result = await cucumberJs(['-p', 'only', 'test/e2e/features/entry-load']);
    assert.equal(result.code, 0, all(result));
    assert.match(result.stdout, /\[1\/1\] ✔ PASS  a short load through the NodePort answers/);
    assert.match(result.stderr, /kubeproof: 1 scenario — 1 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    const logs = attachmentsOf().filter((a) => a.mediaType === 'text/x.cucumber.log+plain').map((a) => a.body).join('\n');
    assert.match(logs, /load on service\/web \(127\.0\.0\.1:30080\)/, 'the load step sent its load');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('SIGINT under cucumber-js undoes the journalled fault, then exits 130; --janitor is for what a SIGKILL leaves', async () => {
    const run = start(process.execPath, [join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '-p', 'only', 'test/e2e/features/sigkill/cordon-and-wait.feature']);
    await waitUntil('the scenario to cordon a node', 120_000, async () => (await cordonedNodes())[0]);
    run.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, all(result));
    assert.match(result.stderr, /SIGINT: undoing journalled faults of run [0-9a-f]{6} before exiting…\n {2}undone: node \S+ uncordoned\n/);
    assert.deepEqual(await cordonedNodes(), []);
    await untilRunNamespacesGone(runIdOf(result.stderr));
    assert.deepEqual(handOverFiles(), []);
    assert.equal(lockStateOf(await kube().get('Lease', LOCK_NAME, LOCK_NAMESPACE)).holder, undefined, 'the signal handler released the cluster lock');
  });
});

describe('capabilities follow from the steps (no tag on the scenario)', { concurrency: false }, () => {
  const feature = 'test/e2e/features/capabilities-from-steps/untagged-node-death.feature';
  // The cluster has 3 workers; the world parameter "capabilities" lowers what preflight measured, so
  // the gate decides as it would on a one-worker cluster — without touching a node.
  const oneWorker = ['--world-parameters', '{"capabilities":{"workers":1}}'];
  const reason = 'the step "the node running the most "pause-app" pods dies" needs at least 2 ready worker nodes, the cluster has 1';

  for (const [entry, run] of [
    ['npm run chaos', () => runCli([feature, ...oneWorker])],
    ['cucumber-js', () => cucumberJs(['-p', 'only', feature, ...oneWorker])],
  ] as const) {
    it(`${entry}: an untagged node death on too few workers is INCONCLUSIVE, exit 0, and nothing is paused`, async () => {
      const result = await run();
      assert.equal(result.code, 0, all(result));
      assert.match(result.stdout, /\[1\/1\] \? INCONCLUSIVE  a node dies and its pods come back elsewhere/);
      assert.ok(result.stdout.includes(`      ${reason}\n`), all(result));
      assert.match(result.stderr, /overridden: {5}workers 1 \(measured 3\)/);
      assert.ok(result.stderr.includes(`  INCONCLUSIVE a node dies and its pods come back elsewhere: ${reason}`), all(result));
      assert.equal((await ownedNamespaces(runIdOf(result.stderr))).length, 0, 'an INCONCLUSIVE scenario creates no namespace');
      assert.deepEqual(await pausedNodes(), []);
    });
  }

  it('on the real three workers the same scenario is not gated (its dry run says what it needs)', async () => {
    const result = await runCli(['--dry-run', feature], { ...process.env, KUBECONFIG: '/nonexistent' });
    assert.equal(result.code, 0, all(result));
    assert.match(result.stdout, /needs: 2 ready workers, a dead node's pods evicted within 120s/);
  });
});

describe('the kubeproof bin from a project that depends on kubeproof by a local path (npm install <folder>, a link)', { concurrency: false }, () => {
  let project = '';
  before(async () => { project = await installedProject(true); });

  it('npx kubeproof --dry-run lists the project\'s scenario with the fault kubeproof\'s step would inject', async () => {
    await expectCourseDryRun(project);
  });

  it('npx kubeproof --tags @course: PASS with the project\'s own step, exit 0, reports and journal in the project', async () => {
    const result = await start('npx', ['kubeproof', '--tags', '@course'], { cwd: project, env: outsideEnv() }).done;
    assert.equal(result.code, 0, all(result));
    assert.match(result.stdout, /\[1\/1\] ✔ PASS  a killed pod is replaced  \(features\/web\.feature:4, /);
    assert.match(result.stderr, /1 scenario — 1 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR/);
    assert.ok(existsSync(join(project, 'reports/allure-report/index.html')), 'the Allure report is the project\'s');
    const messages = readFileSync(join(project, 'reports/messages.ndjson'), 'utf8');
    assert.match(messages, /the course says done in namespace kp-/, 'the project\'s own step ran, in kubeproof\'s World');
    await untilRunNamespacesGone(runIdOf(result.stderr));
    assert.deepEqual(journalRuns(project), []);
  });

  it('editors: the documented settings of the project give the language server kubeproof\'s steps and the project\'s own', async () => {
    const seen = await editorView(project);
    assert.ok(seen.glueFiles.includes('steps/course.steps.ts') && seen.glueFiles.includes('node_modules/kubeproof/steps/expectation.steps.ts'), JSON.stringify(seen.glueFiles));
    assert.ok(seen.stepDefinitions.includes('the course\'s own step says {string}'));
    assert.ok(seen.stepDefinitions.includes('deployment {string} has {int} ready replica(s) within {duration}'));
    assert.deepEqual(seen.parameterTypes, ['duration', 'workload', 'load target', 'config source']);
  });
});

describe('editors: the Cucumber language server with .vscode/settings.json', () => {
  let seen: Awaited<ReturnType<typeof editorView>>;
  let defined: Array<{ pattern: string; fault: boolean }>;
  before(async () => {
    seen = await editorView(ROOT);
    const environment = { cwd: ROOT, stdout: process.stdout, stderr: process.stderr, env: process.env };
    const { runConfiguration } = await loadConfiguration({}, environment);
    const support = await loadSupport(runConfiguration, environment);
    defined = ((support as unknown as { stepDefinitions: unknown }).stepDefinitions as Array<{ pattern: string; options: { wrapperOptions?: { fault?: string } } }>)
      .map((d) => ({ pattern: String(d.pattern), fault: Boolean(d.options.wrapperOptions?.fault) }));
  });

  it('finds every step file, the {duration} parameter type, and every step written as a Given/When/Then call', () => {
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.glueFiles, readdirSync(join(ROOT, 'steps')).filter((f) => f.endsWith('.ts')).map((f) => `steps/${f}`).sort());
    assert.deepEqual(seen.parameterTypes, ['duration', 'workload', 'load target', 'config source']);
    assert.deepEqual(defined.filter((d) => !d.fault).map((d) => d.pattern).filter((p) => !seen.stepDefinitions.includes(p)), []);
  });

  it('every step the features use is defined for the editor (fault and security steps are literal When/Then calls too)', () => {
    assert.deepEqual(defined.map((d) => d.pattern).filter((p) => !seen.stepDefinitions.includes(p)), []);
    assert.deepEqual(seen.undefinedSteps.filter((s) => !s.includes('the moon turns into cheese')), []);
  });
});
