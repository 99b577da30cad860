/**
 * Nightly: the slow half of grading's proof (npm test keeps test/e2e/grading.e2e.ts, the 3-student sample
 * class). Here, on the real cluster:
 *  - two ordinary runs started at the same moment both finish: the second waits on the cluster lock,
 *    naming the first, instead of failing or interleaving with it (so CLI runs started concurrently or one
 *    after the other keep working with the lock);
 *  - the shipped demo-shop grading suite (grading/demo-shop, the default --suite) grades a small class made
 *    from the fixture's own manifests: one untouched (full marks), one whose api lost its liveness probe
 *    (the liveness scenario FAILs) and one without the NetworkPolicy guarding PostgreSQL (the isolation
 *    scenario FAILs) — the suite's broken variants.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StudentGrade } from '../../../src/grading/grades.ts';
import { LOCK_NAME, LOCK_NAMESPACE, lockStateOf } from '../../../src/run/cluster-lock.ts';
import { cliEnv, kube, ROOT, runIdOf, startCli, untilRunNamespacesGone } from '../helpers.ts';

const GRADES = join(ROOT, 'reports', 'grades');
const gradeOf = (id: string): StudentGrade => JSON.parse(readFileSync(join(GRADES, id, 'grade.json'), 'utf8')) as StudentGrade;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe('cluster lock: CLI runs started together', { timeout: 10 * 60_000 }, () => {
  it('serialises two runs started at once; both pass and the lock is free afterwards', async () => {
    const t0 = performance.now();
    const a = startCli(['features/foundation/scaling.feature']);
    const b = startCli(['features/foundation/scaling.feature']);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    process.stderr.write(`# two concurrent runs, serialised: ${seconds(performance.now() - t0)}\n`);
    assert.equal(ra.code, 0, ra.stdout + ra.stderr);
    assert.equal(rb.code, 0, rb.stdout + rb.stderr);
    const ids = [runIdOf(ra.stderr), runIdOf(rb.stderr)];
    assert.ok(ids[0] && ids[1] && ids[0] !== ids[1], `two runs: ${ids.join(', ')}`);
    // Exactly one of them waited, and it named the other as the holder.
    const waited = [ra, rb].map((r) => /cluster lock: waiting for run ([0-9a-f]{6}) \(npm run chaos, pid \d+ on \S+\) to finish/.exec(r.stderr)?.[1]);
    assert.equal(waited.filter(Boolean).length, 1, `one run waits for the other: ${waited.join(', ')}`);
    assert.equal(waited[0] ?? waited[1], waited[0] ? ids[1] : ids[0], 'the waiting run names the one holding the lock');
    for (const id of ids) await untilRunNamespacesGone(id as string);
    assert.equal(lockStateOf(await kube().get('Lease', LOCK_NAME, LOCK_NAMESPACE)).holder, undefined, 'both runs released the lock');
  });
});

describe('npm run grade with the shipped demo-shop suite', { timeout: 20 * 60_000 }, () => {
  it('gives the untouched fixture full marks, one without liveness probe 7/10, one without its NetworkPolicy 6/10', async () => {
    const klass = mkdtempSync(join(tmpdir(), 'kp-grade-demo-shop-'));
    const manifests = join(ROOT, 'fixtures', 'demo-shop', 'manifests');
    cpSync(manifests, join(klass, 'full-marks'), { recursive: true });
    cpSync(manifests, join(klass, 'no-liveness'), { recursive: true });
    const api = join(klass, 'no-liveness', '21-deployment-api.yaml');
    const withoutProbe = readFileSync(api, 'utf8').replace(/ {8}livenessProbe:\n(?: {10}.*\n)+/, '');
    assert.doesNotMatch(withoutProbe, /livenessProbe/, 'the probe was removed from the copy');
    writeFileSync(api, withoutProbe);
    cpSync(manifests, join(klass, 'open-db'), { recursive: true, filter: (src) => !src.endsWith('03-networkpolicy-postgres.yaml') });

    const t0 = performance.now();
    const child = spawn(process.execPath, ['src/cli/grade.ts', '--submissions', klass], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    process.stderr.write(`# demo-shop suite, class of 3: ${seconds(performance.now() - t0)}\n`);
    assert.equal(code, 0, stdout + stderr);
    await untilRunNamespacesGone(runIdOf(stderr) as string);

    const full = gradeOf('full-marks');
    assert.deepEqual([full.score, full.total, full.scenarios.map((s) => s.verdict)], [10, 10, ['PASS', 'PASS', 'PASS']], JSON.stringify(full.scenarios.map((s) => [s.name, s.verdict, s.message])));
    const broken = gradeOf('no-liveness');
    assert.equal(broken.score, 7);
    assert.equal(broken.total, 10);
    const failed = broken.scenarios.filter((s) => s.verdict !== 'PASS');
    assert.deepEqual(failed.map((s) => [s.name, s.verdict, s.earned]), [['an unhealthy api pod is restarted by its liveness probe', 'FAIL', 0]]);
    assert.match(failed[0]?.message ?? '', /restartCount 0/, 'the reason says the pod was never restarted');
    const open = gradeOf('open-db');
    assert.deepEqual([open.score, open.total], [6, 10]);
    const leaked = open.scenarios.filter((s) => s.verdict !== 'PASS');
    assert.deepEqual(leaked.map((s) => [s.name, s.verdict, s.earned]), [['only api and auth open connections to PostgreSQL', 'FAIL', 0]]);
    assert.match(leaked[0]?.message ?? '', /frontend/, 'the reason names the path that should have been blocked');
    const csv = readFileSync(join(GRADES, 'grades.csv'), 'utf8');
    assert.match(csv, /^full-marks,.*,10,10,10,/m);
    assert.match(csv, /^no-liveness,.*,7,10,10,/m);
    assert.match(csv, /^open-db,.*,6,10,10,/m);
  });
});
