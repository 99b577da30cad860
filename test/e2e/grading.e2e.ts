/**
 * npm run grade end to end: bad input stops before the cluster with one line; on the real cluster a
 * class of three sample submissions (test/e2e/features/grading/submissions: healthy, no liveness probe
 * under another name, invalid YAML) is graded, killed after the first student, resumed, and every grade
 * checked — while it runs, an ordinary run is refused by the cluster lock, naming the grading run.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StudentGrade } from '../../src/grading/grades.ts';
import { LOCK_NAME, LOCK_NAMESPACE, lockStateOf } from '../../src/run/cluster-lock.ts';
import { cliEnv, kube, ROOT, runCli, runIdOf, untilRunNamespacesGone, waitUntil } from './helpers.ts';

const SUITE = 'test/e2e/features/grading/suite';
const CLASS = 'test/e2e/features/grading/submissions';
const GRADES = join(ROOT, 'reports', 'grades');

/** Starts `node src/cli/grade.ts …`. */
function startGrade(args: readonly string[]) {
  const child = spawn(process.execPath, ['src/cli/grade.ts', ...args], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kp-grade-e2e-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const gradeOf = (id: string): StudentGrade => JSON.parse(readFileSync(join(GRADES, id, 'grade.json'), 'utf8')) as StudentGrade;

describe('npm run grade: bad input', () => {
  it('stops with one line and exit 2, before touching the cluster', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--suite', SUITE], /^kubeproof grade: --submissions <dir> is missing/],
      [['--submissions', tree({ 'notes.md': 'x' }), '--suite', SUITE], /is empty: put one subfolder per student in it/],
      [['--submissions', tree({ 'ada/README.md': 'x' }), '--suite', SUITE], /submission "ada" .* contains no \.yaml or \.yml manifest/],
      [['--submissions', tree({ 'ada/a.yaml': 'kind: Pod', 'ada/kubeproof.yaml': 'names: { web: [ }' }), '--suite', SUITE], /cannot read the mapping file .*ada\/kubeproof\.yaml/],
      [['--submissions', CLASS, '--suite', tree({ 'README.md': 'no features' })], /has no scenario to grade with/],
      [['--submissions', CLASS, '--suite', tree({ 'a.feature': 'Feature: f\n  Scenario: s\n    Given the manifests in "x" are applied\n' })], /never deploys the submission/],
      [['--submissions', CLASS, '--suite', SUITE, 'features/x.feature'], /unexpected argument "features\/x\.feature": the suite is given with --suite/],
    ];
    for (const [args, message] of cases) {
      const r = await startGrade(args).done;
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
      assert.match(lines[0] ?? '', message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});

describe('npm run grade: a class on the real cluster', { timeout: 15 * 60_000 }, () => {
  let wall = 0;
  after(() => { process.stderr.write(`# grading e2e wall time: ${(wall / 1000).toFixed(1)} s\n`); });

  it('grades a killed run\'s first student, resumes the rest, and serialises other runs with the cluster lock', async () => {
    const t0 = performance.now();
    // One scenario at a time, in the run's own process: the run is surely mid-class when the first student
    // is graded, and SIGTERM reaches the process that runs the scenario.
    const first = startGrade(['--submissions', CLASS, '--suite', SUITE, '--parallel', '0']);
    await waitUntil('the grading run to start (its header)', 120_000, async () => runIdOf(first.output()));
    const gradingRun = runIdOf(first.output()) as string;

    // An ordinary run meanwhile: the lock names the grading run and the run gives up after --lock-wait.
    const other = await runCli(['features/foundation/scaling.feature', '--lock-wait', '3s']);
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, new RegExp(`kubeproof: the cluster is busy: run ${gradingRun} \\(grading 3 submissions with ${SUITE}, pid \\d+ on \\S+\\) holds its run lock`));
    assert.match(other.stderr, /cluster lock: waiting for run/);

    await waitUntil('the first student to be graded', 300_000, async () => (/graded ada-healthy \(1\/3\): 5\/5 points/.test(first.output()) ? true : undefined));
    first.child.kill('SIGTERM');
    const killed = await first.done;
    assert.equal(killed.code, 2, killed.stderr);
    assert.match(killed.stderr, /SIGTERM: stopping the grading run/);
    assert.match(killed.stderr, /not graded: Bob Broken, cleo-invalid-yaml — finish with: npm run grade -- .* --resume/);
    await untilRunNamespacesGone(gradingRun);
    assert.equal(lockStateOf(await kube().get('Lease', LOCK_NAME, LOCK_NAMESPACE)).holder, undefined, 'the killed run released the cluster lock');
    assert.match(readFileSync(join(GRADES, 'index.html'), 'utf8'), /Not graded yet .*Bob Broken, cleo-invalid-yaml/);

    const resumed = await startGrade(['--submissions', CLASS, '--suite', SUITE, '--resume']).done;
    wall = performance.now() - t0;
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stderr, /1 already graded \(--resume\): ada-healthy/);
    assert.doesNotMatch(resumed.stdout, /ada-healthy \(1\/3\) ▶/, 'the graded student is not run again');
    await untilRunNamespacesGone(runIdOf(resumed.stderr));

    const ada = gradeOf('ada-healthy');
    assert.deepEqual([ada.score, ada.total, ada.scenarios.map((s) => s.verdict)], [5, 5, ['PASS', 'PASS']]);
    const bob = gradeOf('bob-no-liveness');
    assert.equal(bob.name, 'Bob Broken');
    assert.deepEqual([bob.score, bob.total, bob.scenarios.map((s) => `${s.verdict}:${s.earned}/${s.points}`)], [2, 5, ['PASS:2/2', 'FAIL:0/3']]);
    assert.match(bob.scenarios[1]?.message ?? '', /shop/, 'the suite\'s "web" was graded as Bob\'s "shop"');
    assert.match(bob.scenarios[1]?.reason ?? '', /restart/i);
    const cleo = gradeOf('cleo-invalid-yaml');
    assert.deepEqual([cleo.score, cleo.total, cleo.scenarios.map((s) => s.standing)], [0, 5, ['submission-error', 'submission-error']]);
    for (const s of cleo.scenarios) assert.match(s.reason ?? '', /invalid YAML in cleo-invalid-yaml\/deployment\.yaml line 18/);

    const csv = readFileSync(join(GRADES, 'grades.csv'), 'utf8').trim().split('\n');
    assert.deepEqual(csv.slice(1).map((l) => l.split(',').slice(0, 5).join(',')), [
      'ada-healthy,test/e2e/features/grading/submissions/ada-healthy,5,5,5',
      'Bob Broken,test/e2e/features/grading/submissions/bob-no-liveness,2,5,5',
      'cleo-invalid-yaml,test/e2e/features/grading/submissions/cleo-invalid-yaml,0,5,5',
    ]);
    const summary = readFileSync(join(GRADES, 'index.html'), 'utf8');
    assert.doesNotMatch(summary, /Not graded yet/);
    assert.match(summary, /mean 47 %/);
    const report = readFileSync(join(GRADES, 'bob-no-liveness', 'index.html'), 'utf8');
    assert.match(report, /<p class="score">2 \/ 5 /);
    assert.match(report, /data:image\/svg\+xml;base64,/, 'the timeline chart is embedded');
    assert.ok(existsSync(join(ROOT, 'reports', 'allure-report', 'index.html')), 'the run\'s Allure report is there too');
  });
});
