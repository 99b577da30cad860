import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { INCONCLUSIVE_MEDIA_TYPE, VERDICT_MEDIA_TYPE } from '../report/verdicts.ts';
import { renderClassSummary, renderGradesCsv } from './class-report.ts';
import { createClassFold } from './class-fold.ts';
import { standingOf, summarizeFailure, totals } from './grades.ts';
import type { GradedScenario, StudentGrade } from './grades.ts';
import { mapStepArguments } from './names.ts';
import { renderStudentReport } from './student-report.ts';
import { discoverSubmissions, parseMapping, slug } from './submissions.ts';
import { loadSuite, pointsOf, tagForStudent } from './suite.ts';

/** A temporary tree: { "a/b.yaml": "text" }. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kp-grade-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FEATURE = `@grading
Feature: web
  Background:
    Given the submission is deployed

  @points:2
  Scenario: killed pod
    Then deployment "web" has 3 ready replicas within 10 seconds

  Scenario: default points
    Then deployment "web" has 3 ready replicas within 10 seconds
`;

describe('discoverSubmissions', () => {
  it('lists one submission per folder with its mapping, and gives colliding folder names distinct ids', () => {
    const root = tree({
      'Ada L/app/deploy.yaml': 'kind: Deployment',
      'ada-l/x.yml': 'kind: Service',
      'bob/kubeproof.yaml': 'student: Bob B\nnames: { web: shop }\nimages: [ shop:1 ]\n',
      'bob/shop.yaml': 'kind: Deployment',
    });
    const subs = discoverSubmissions(root, '/');
    assert.deepEqual(subs.map((s) => [s.id, s.name]), [['ada-l', 'Ada L'], ['ada-l-2', 'ada-l'], ['bob', 'Bob B']]);
    assert.deepEqual(subs[2]?.names, { web: "shop" });
    assert.deepEqual(subs[2]?.images, ['shop:1']);
  });

  it('refuses what makes the class ungradable, one line each', () => {
    assert.throws(() => discoverSubmissions('/nope/never'), /--submissions \/nope\/never: no such folder/);
    assert.throws(() => discoverSubmissions(tree({ 'README.md': 'x' })), /is empty: put one subfolder per student/);
    assert.throws(() => discoverSubmissions(tree({ 'ada/notes.txt': 'x', 'ada/kubeproof.yaml': 'student: A' })), /submission "ada" .* contains no \.yaml or \.yml manifest/);
    assert.throws(() => discoverSubmissions(tree({ 'ada/a.yaml': 'x', 'ada/kubeproof.yaml': 'names: [web]' })), /cannot read the mapping file .*kubeproof\.yaml: "names" maps the suite's names to yours/);
    assert.throws(() => discoverSubmissions(tree({ 'ada/a.yaml': 'x', 'ada/kubeproof.yaml': 'names: {web: "Not A Name"}' })), /names\.web must be a Kubernetes object name/);
    assert.throws(() => discoverSubmissions(tree({ 'ada/a.yaml': 'x', 'ada/kubeproof.yaml': 'api: orders' })), /unknown key "api"/);
    assert.throws(() => discoverSubmissions(tree({ 'ada/a.yaml': 'x', 'ada/kubeproof.yaml': 'names: {web: [' })), /cannot read the mapping file/);
  });
});

const shop = 'shop';
describe('parseMapping and slug', () => {
  it('reads an empty mapping file as no mapping', () => {
    assert.deepEqual(parseMapping('', 'k.yaml'), { names: {}, images: [] });
    assert.equal(slug('Élodie  Durand (B2)'), 'elodie-durand-b2');
    assert.equal(shop, 'shop');
  });
});

describe('loadSuite', () => {
  it('reads scenarios with their points (default 1) and a fingerprint that follows the text', () => {
    const dir = tree({ 'web.feature': FEATURE });
    const suite = loadSuite(dir, '/');
    assert.deepEqual(suite.scenarios.map((s) => [s.name, s.points, s.line]), [['killed pod', 2, 7], ['default points', 1, 10]]);
    const other = loadSuite(tree({ 'web.feature': FEATURE.replace('@points:2', '@points:3') }), '/');
    assert.notEqual(other.fingerprint, suite.fingerprint);
  });

  it('refuses a suite it cannot grade with, naming the scenario', () => {
    assert.throws(() => loadSuite(tree({ 'README.md': 'x' }), '/'), /has no scenario to grade with/);
    assert.throws(() => loadSuite(tree({ 'a.feature': 'Feature: x\n  Scenario: s\n    Given the manifests in "m" are applied\n' }), '/'), /a\.feature:2 \(s\) never deploys the submission: start it .*"Given the submission is deployed"/);
    assert.throws(() => loadSuite(tree({ 'a.feature': FEATURE.replace('@points:2', '@points:two') }), '/'), /@points:two is not a number of points/);
    assert.throws(() => loadSuite(tree({ 'a.feature': 'Feature: x\n  Scenario: s\n    Given the submission is deployed\n  Oops\n' }), '/'), /malformed feature file .*a\.feature line 4/);
    assert.throws(() => loadSuite('/nope', '/'), /--suite \/nope: no such folder/);
  });

  it('takes the innermost @points tag', () => {
    assert.equal(pointsOf(['@points:1', '@x', '@points:4'], 'w'), 4);
    assert.equal(pointsOf(['@x'], 'w'), 1);
  });

  it('tags a copy for one student above the Feature keyword, keeping the feature tags and the language line', () => {
    const text = '# language: en\n@grading\nFeature: web\n  Scenario: s\n';
    assert.equal(tagForStudent(text, 3, 'ada'), '# language: en\n@grading\n@student:ada\nFeature: web\n  Scenario: s\n');
  });
});

describe('points', () => {
  it('counts PASS and FAIL and the submission\'s own ERROR; leaves INCONCLUSIVE and tooling ERROR out', () => {
    const s = (points: number, verdict: 'PASS' | 'FAIL' | 'ERROR' | 'INCONCLUSIVE', kind?: string) => ({ points, standing: standingOf(verdict, kind) });
    assert.deepEqual(totals([s(2, 'PASS'), s(3, 'FAIL', 'fail'), s(1, 'ERROR', 'submission'), s(4, 'INCONCLUSIVE'), s(5, 'ERROR', 'error'), s(1, 'ERROR')]), { score: 2, total: 6, max: 16 });
  });

  it('finds the one sentence and the hint in a rendered failure', () => {
    const message = 'expect(apps/v1/Deployment ns/web).toHaveRestarted() failed\n\nExpected: pod web-1 restarted by its liveness probe within 20.0s\nReceived: restartCount 0, Ready\n          unchanged since +2.0s\nHint:     add a livenessProbe to the container\n          (see docs/runner.md)';
    assert.deepEqual(summarizeFailure(message), { reason: 'expected pod web-1 restarted by its liveness probe within 20.0s; received restartCount 0, Ready', hint: 'add a livenessProbe to the container (see docs/runner.md)' });
    assert.deepEqual(summarizeFailure('Cause:    pod web-1 is Pending: 0/4 nodes are available (scheduler)\nexpect(x).y failed'), { reason: 'pod web-1 is Pending: 0/4 nodes are available (scheduler)' });
    assert.deepEqual(summarizeFailure('SubmissionError: invalid YAML in cleo/deployment.yaml line 18: bad indentation\n    at x'), { reason: 'invalid YAML in cleo/deployment.yaml line 18: bad indentation' });
  });
});

describe('mapStepArguments', () => {
  it('replaces whole names and kind/name cells, never label selectors or other text', () => {
    const table = { rawTable: [['from', 'to'], ['app=api', 'service/postgres'], ['api', 'deployment/other']] };
    const mapped = mapStepArguments(['api', 'kubeproof/demo-app:1.0.0', 3, table], { api: 'orders', postgres: 'db' });
    assert.deepEqual(mapped.slice(0, 3), ['orders', 'kubeproof/demo-app:1.0.0', 3]);
    assert.deepEqual(table.rawTable, [['from', 'to'], ['app=api', 'service/db'], ['orders', 'deployment/other']]);
  });
});

// ---------------------------------------------------------------------------------------------- fold

const ts = (s: number) => ({ seconds: s, nanos: 0 });
const dur = { seconds: 1, nanos: 0 };
function scenario(id: string, student: string, name: string, status: string, opts: { kind?: string; message?: string; inconclusive?: string; points?: number } = {}): Envelope[] {
  const tags = [`@student:${student}`, ...(opts.points ? [`@points:${opts.points}`] : [])].map((name) => ({ name, astNodeId: 'x' }));
  const envs: Envelope[] = [
    { pickle: { id: `p${id}`, name, uri: `.kubeproof/grading/f/features/${student}/web.feature`, astNodeIds: [`s${id}`], steps: [{ id: `ps${id}`, text: 'the submission is deployed', astNodeIds: [] }], tags, language: 'en' } as never },
    { testCase: { id: `tc${id}`, pickleId: `p${id}`, testSteps: [{ id: `ts${id}`, pickleStepId: `ps${id}` }] } as never },
    { testCaseStarted: { id: `tcs${id}`, testCaseId: `tc${id}`, attempt: 0, timestamp: ts(1) } },
  ];
  if (opts.kind) envs.push({ attachment: { testCaseStartedId: `tcs${id}`, mediaType: VERDICT_MEDIA_TYPE, body: opts.kind, contentEncoding: 'IDENTITY' } as never });
  if (opts.inconclusive) envs.push({ attachment: { testCaseStartedId: `tcs${id}`, mediaType: INCONCLUSIVE_MEDIA_TYPE, body: `INCONCLUSIVE: ${opts.inconclusive}`, contentEncoding: 'IDENTITY' } as never });
  envs.push({ attachment: { testCaseStartedId: `tcs${id}`, testStepId: `ts${id}`, mediaType: 'image/svg+xml', fileName: 'timeline.svg', body: '<svg/>', contentEncoding: 'IDENTITY' } as never });
  envs.push({ testStepFinished: { testCaseStartedId: `tcs${id}`, testStepId: `ts${id}`, timestamp: ts(3), testStepResult: { status, duration: dur, message: opts.message } as never } });
  envs.push({ testCaseFinished: { testCaseStartedId: `tcs${id}`, timestamp: ts(4), willBeRetried: false } });
  return envs;
}

describe('createClassFold', () => {
  it('grades each student\'s scenarios from the run\'s messages, blaming the submission only for its own errors', () => {
    const fold = createClassFold((uri) => uri.split('/').slice(-1)[0] ?? uri);
    const got: Array<[string, GradedScenario]> = [];
    fold.onScenario((id, s) => got.push([id, s]));
    [
      ...scenario('1', 'ada', 'heals', 'PASSED', { points: 2 }),
      ...scenario('2', 'cleo', 'heals', 'FAILED', { kind: 'submission', message: 'invalid YAML in cleo/deployment.yaml line 18: bad indentation', points: 2 }),
      ...scenario('3', 'bob', 'heals', 'FAILED', { kind: 'error', message: 'docker exec failed' }),
      ...scenario('4', 'bob', 'scales', 'SKIPPED', { inconclusive: 'no metrics API' }),
    ].forEach((e) => fold.ingest(e));
    assert.deepEqual(got.map(([id, s]) => [id, s.verdict, s.standing, s.earned, s.points]), [
      ['ada', 'PASS', 'earned', 2, 2], ['cleo', 'ERROR', 'submission-error', 0, 2], ['bob', 'ERROR', 'tooling-error', 0, 1], ['bob', 'INCONCLUSIVE', 'inconclusive', 0, 1],
    ]);
    assert.equal(got[1]?.[1].reason, 'invalid YAML in cleo/deployment.yaml line 18: bad indentation');
    assert.equal(got[0]?.[1].file, 'web.feature');
    assert.deepEqual(got[0]?.[1].steps.map((s) => [s.text, s.status]), [['the submission is deployed', 'PASSED']]);
    assert.deepEqual(got[0]?.[1].attachments.map((a) => a.name), ['timeline.svg']);
    assert.deepEqual([...fold.planned()], [['ada', 1], ['cleo', 1], ['bob', 2]]);
  });
});

// ------------------------------------------------------------------------------------------ reports

function grade(id: string, name: string, scenarios: Array<Partial<GradedScenario> & Pick<GradedScenario, 'name' | 'points' | 'verdict' | 'standing' | 'earned'>>): StudentGrade {
  const full = scenarios.map((s, i) => ({ file: 'web.feature', line: 10 + i, durationMs: 1000, steps: [], attachments: [], ...s }));
  return { id, name, folder: `subs/${id}`, suiteFingerprint: 'f', gradedAt: '2026-11-30T10:00:00.000Z', names: {}, ...totals(full), scenarios: full };
}
const ada = grade('ada', 'Ada', [{ name: 'killed pod', points: 2, verdict: 'PASS', standing: 'earned', earned: 2 }, { name: 'liveness', points: 3, verdict: 'PASS', standing: 'earned', earned: 3 }]);
const bob = grade('bob', 'Bob, "the builder"', [{ name: 'killed pod', points: 2, verdict: 'PASS', standing: 'earned', earned: 2 }, { name: 'liveness', points: 3, verdict: 'FAIL', standing: 'lost', earned: 0, reason: 'expected a restart; received restartCount 0', hint: 'add a livenessProbe' }]);
const cleo = grade('cleo', 'Cleo <script>', [{ name: 'killed pod', points: 2, verdict: 'ERROR', standing: 'submission-error', earned: 0, reason: 'invalid YAML in cleo/deployment.yaml line 18' }, { name: 'liveness', points: 3, verdict: 'INCONCLUSIVE', standing: 'inconclusive', earned: 0, reason: 'no metrics API' }]);

describe('class reports', () => {
  it('writes one CSV row per student with points per scenario, why a cell did not count, and the failed scenarios', () => {
    const csv = renderGradesCsv([ada, bob, cleo]).trim().split('\n');
    assert.deepEqual(csv, [
      'student,folder,score,total,max,killed pod (2),liveness (3),failed scenarios,not counted',
      'Ada,subs/ada,5,5,5,2,3,,',
      '"Bob, ""the builder""",subs/bob,2,5,5,2,0,liveness,',
      'Cleo <script>,subs/cleo,0,2,5,0,INCONCLUSIVE,killed pod,liveness',
    ]);
  });

  it('builds a sortable class page with the distribution chart and the scenarios most students failed, escaping names', () => {
    const html = renderClassSummary([ada, bob, cleo], { suite: 'grading/web', gradedAt: '2026-11-30T10:00:00Z', notGraded: ['Dan'] }, (g) => `${g.id}/index.html`);
    assert.match(html, /<table class="sortable">/);
    assert.match(html, /<img class="chart" alt="score distribution" src="data:image\/svg\+xml;base64,/);
    assert.match(html, /Cleo &lt;script&gt;/);
    assert.doesNotMatch(html, /Cleo <script>/);
    assert.match(html, /Not graded yet .*Dan/);
    // liveness: Bob failed it; killed pod: Cleo's submission error. Both 1 of 3, sorted by failures then name.
    assert.match(html, /mean 47 % · median 40 %/);
  });

  it('puts the score and every scenario with points, verdict, reason and hint on the student report\'s first screen', () => {
    const html = renderStudentReport(bob, 'grading/web');
    assert.match(html, /<p class="score">2 \/ 5 <small>points \(40 %\)<\/small><\/p>/);
    assert.match(html, /<td class="num">0 \/ 3<\/td>\s*<td><span class="badge fail">FAIL<\/span><\/td>\s*<td><p class="why">expected a restart; received restartCount 0<\/p><p class="hint">add a livenessProbe<\/p><\/td>/);
    const c = renderStudentReport(cleo, 'grading/web');
    assert.match(c, /ERROR \(submission\)/);
    assert.match(c, /1 scenario was INCONCLUSIVE/);
    assert.match(c, /<p class="score">0 \/ 2 /);
  });
});

describe('prepareImages', () => {
  it('loads from the local Docker engine what the nodes lack, and names for each student the images found nowhere', async () => {
    const { prepareImages } = await import('./images.ts');
    const loaded: string[][] = [];
    const store = {
      inNodes: async () => new Set(['kubeproof/demo-app:1.0.0', 'nginx:latest']),
      inDocker: async (img: string) => img === 'shop/orders:2',
      load: async (imgs: readonly string[]) => { loaded.push([...imgs]); },
    };
    const problems = await prepareImages([
      { id: 'ada', images: ['docker.io/kubeproof/demo-app:1.0.0', 'nginx'] },
      { id: 'bob', images: ['shop/orders:2'] },
      { id: 'cleo', images: ['shop/ordres:2', 'kubeproof/demo-app:1.0.0'] },
    ], store, () => {});
    assert.deepEqual(loaded, [['shop/orders:2']]);
    assert.deepEqual([...problems.keys()], ['cleo']);
    assert.match(problems.get('cleo') ?? '', /^image shop\/ordres:2 is neither in the cluster's nodes nor in the local Docker engine/);
  });
});
