#!/usr/bin/env node
/**
 * `npm run grade -- --submissions <dir> [--suite <features dir>] [--resume] [--parallel n] [run options]`:
 * grades a class. Each subfolder of <dir> is a student's submission; every scenario of the suite is run
 * once per student (a tagged copy of each feature, `@student:<id>`) in ONE `npm run chaos` run — so
 * preflight, the cluster lock, the journal, signals and --janitor are the ordinary run's, `--parallel`
 * interleaves students and `@exclusive` scenarios stay serial. This process watches the run's messages,
 * prints progress, and writes each student's report as soon as their last scenario finished
 * (reports/grades/<student>/), then the class summary (reports/grades/index.html, grades.csv).
 */
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { currentContextName } from '../cluster/kube-client.ts';
import { InputError } from '../failure/failure.ts';
import { renderClassSummary, renderGradesCsv } from '../grading/class-report.ts';
import { createClassFold } from '../grading/class-fold.ts';
import type { GradingParameters } from '../grading/deploy.ts';
import { formatPoints, totals } from '../grading/grades.ts';
import type { GradedScenario, StudentGrade } from '../grading/grades.ts';
import { kindImageStore, prepareImages } from '../grading/images.ts';
import { imagesOf, loadSubmissionManifests } from '../grading/submission-manifests.ts';
import { discoverSubmissions } from '../grading/submissions.ts';
import type { Submission } from '../grading/submissions.ts';
import { renderStudentReport } from '../grading/student-report.ts';
import { loadSuite, writeStudentCopies } from '../grading/suite.ts';
import type { Suite } from '../grading/suite.ts';
import { ensureOwnCluster, targetsOwnCluster } from '../testbed/own-cluster.ts';
import { run } from '../util/exec.ts';
import { EXIT, UsageError } from './exit-codes.ts';

const cwd = process.cwd();
const GRADES_DIR = join('reports', 'grades');
const DEFAULT_SUITE = join('grading', 'demo-shop');
const DEFAULT_PARALLEL = 3;
/** How `npm run chaos` starts Node (package.json): a 4 MB young generation keeps a run ~30 MB smaller. */
const RUNNER_NODE_FLAGS = ['--max-semi-space-size=4'];
/** A path as a teacher reads it: relative inside the project, absolute outside (never "../../tmp/…"). */
const shownPath = (path: string): string => { const r = relative(cwd, path); return r.startsWith('..') ? path : r || '.'; };
const say = (line = ''): void => { process.stderr.write(`${line}\n`); };
const out = (line: string): void => { process.stdout.write(`${line}\n`); };

export const GRADE_USAGE = `usage: npm run grade -- --submissions <dir> [--suite <features dir>] [options]

Grades every subfolder of <dir> (one student each: their manifests, optionally kubeproof.yaml with
student, names and images) with the suite's scenarios (default ${DEFAULT_SUITE}; @points:N, default 1).

  --submissions <dir>  the class: one folder per student
  --suite <dir>        the grading suite (every scenario starts with "Given the submission is deployed")
  --resume             keep students already graded with this suite (reports/grades/<student>/grade.json)
  --parallel <n>       scenarios at once across students (default ${DEFAULT_PARALLEL}; @exclusive ones run alone)
  --janitor            clean up after a killed grading run (same as npm run chaos -- --janitor)
  --help               this text
Any other option goes to the run: --tags, --name, --context, --allow-context, --seed, --keep, --lock-wait, --retry …

Reports: reports/grades/index.html (class), grades.csv, reports/grades/<student>/index.html (to hand back).
exit codes: 0 every student graded, 2 bad input, a tooling error, or students left ungraded (resume with --resume)`;

interface GradeArgs {
  submissions: string | undefined;
  suite: string;
  resume: boolean;
  parallel: number;
  janitor: boolean;
  help: boolean;
  dryRun: boolean;
  context: string | undefined;
  passthrough: string[];
}

function parseGradeArgs(argv: readonly string[]): GradeArgs {
  const a: GradeArgs = { submissions: undefined, suite: DEFAULT_SUITE, resume: false, parallel: DEFAULT_PARALLEL, janitor: false, help: false, dryRun: false, context: undefined, passthrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      const v = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('-'))) throw new UsageError(`option ${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--submissions': a.submissions = value(); break;
      case '--suite': a.suite = value(); break;
      case '--resume': a.resume = true; break;
      case '--janitor': a.janitor = true; break;
      case '--help': case '-h': a.help = true; break;
      case '--parallel': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--parallel expects a whole number, got "${v}"`);
        a.parallel = Number(v);
        break;
      }
      case '--dry-run': case '-d': a.dryRun = true; a.passthrough.push(raw); break;
      case '--context': { const v = value(); a.context = v; a.passthrough.push('--context', v); break; }
      default:
        if (!name.startsWith('-')) throw new UsageError(`unexpected argument "${raw}": the suite is given with --suite <folder> (see npm run grade -- --help)`);
        a.passthrough.push(raw);
    }
  }
  return a;
}

/** Reads the messages the run appends, a complete line at a time. */
function createTail(file: string, onEnvelope: (e: Envelope) => void): () => void {
  let offset = 0;
  let rest = '';
  return () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size <= offset) return;
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      offset = size;
      const text = rest + buffer.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onEnvelope(JSON.parse(line) as Envelope);
    } finally {
      closeSync(fd);
    }
  };
}

function readGrade(file: string): StudentGrade | undefined {
  try { return JSON.parse(readFileSync(file, 'utf8')) as StudentGrade; } catch { return undefined; }
}

const clock = (ms: number): string => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

async function grade(args: GradeArgs): Promise<number> {
  const started = performance.now();
  if (!args.submissions) throw new UsageError('--submissions <dir> is missing: the folder holding one subfolder per student (see npm run grade -- --help)');
  let suite: Suite;
  let students: Submission[];
  try {
    suite = loadSuite(args.suite, cwd);
    students = discoverSubmissions(args.submissions, cwd);
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
  const gradesDir = resolve(cwd, GRADES_DIR);
  const workDir = resolve(cwd, '.kubeproof', 'grading', suite.fingerprint);
  const graded = new Map<string, StudentGrade>();
  if (args.resume) {
    for (const s of students) {
      const g = readGrade(join(gradesDir, s.id, 'grade.json'));
      if (g && g.suiteFingerprint === suite.fingerprint) graded.set(s.id, g);
    }
  } else if (!args.dryRun) {
    rmSync(gradesDir, { recursive: true, force: true });
  }
  const todo = students.filter((s) => !graded.has(s.id));
  const totalPoints = suite.scenarios.reduce((n, s) => n + s.points, 0);
  say(`grading ${students.length} submission${students.length === 1 ? '' : 's'} of ${shownPath(resolve(cwd, args.submissions))} with ${args.suite} (${suite.scenarios.length} scenario${suite.scenarios.length === 1 ? '' : 's'}, ${formatPoints(totalPoints)} points)${graded.size ? `; ${graded.size} already graded (--resume): ${[...graded.values()].map((g) => g.name).join(', ')}` : ''}`);

  const writeClass = (notGraded: readonly string[]): void => {
    mkdirSync(gradesDir, { recursive: true });
    const all = students.flatMap((s) => (graded.has(s.id) ? [graded.get(s.id) as StudentGrade] : []));
    writeFileSync(join(gradesDir, 'index.html'), renderClassSummary(all, { suite: args.suite, gradedAt: new Date().toISOString(), notGraded }, (g) => `${g.id}/index.html`));
    writeFileSync(join(gradesDir, 'grades.csv'), renderGradesCsv(all));
  };
  if (!todo.length) {
    writeClass([]);
    say(`every student is already graded: ${join(GRADES_DIR, 'index.html')}, ${join(GRADES_DIR, 'grades.csv')}`);
    return EXIT.passed;
  }

  // Images: what the submissions run must be in the nodes (nothing can be pulled); only our kind cluster is loaded.
  const problems = new Map<string, string>();
  if (!args.dryRun && targetsOwnCluster(args.context, currentContextName())) {
    await ensureOwnCluster(say);
    const wanted = await Promise.all(todo.map(async (s) => {
      const fromManifests = await loadSubmissionManifests(s.dir, s.id).then((m) => imagesOf(m.map((x) => x.object)), () => []); // bad YAML: the step reports it
      return { id: s.id, images: [...new Set([...s.images, ...fromManifests])] };
    }));
    for (const [id, p] of await prepareImages(wanted, kindImageStore('kubeproof', cwd), say)) problems.set(id, p);
  }

  const grading: GradingParameters = { students: Object.fromEntries(todo.map((s) => [s.id, { name: s.name, dir: s.dir, names: s.names, ...(problems.has(s.id) ? { problem: problems.get(s.id) } : {}) }])) };
  const featuresDir = join(workDir, 'features');
  const paths = writeStudentCopies(suite, todo.map((s) => s.id), featuresDir);
  const messages = join(workDir, 'messages.ndjson');
  rmSync(messages, { force: true });

  // Follow the run: per scenario a line, per student a report as soon as their last scenario finished.
  const prefix = `${featuresDir}${sep}`;
  const fold = createClassFold((uri) => {
    const full = resolve(cwd, uri);
    const rel = full.startsWith(prefix) ? full.slice(prefix.length) : uri;
    return rel.split(sep).slice(1).join('/'); // drop the student folder
  });
  const byStudent = new Map<string, GradedScenario[]>();
  const indexOf = new Map(students.map((s, i) => [s.id, i + 1]));
  const nameOf = new Map(students.map((s) => [s.id, s.name]));
  const tag = (id: string): string => `${nameOf.get(id) ?? id} (${indexOf.get(id)}/${students.length})`;
  const elapsed = (): string => clock(performance.now() - started);
  fold.onStarted((id, scenario) => out(`[${elapsed()}] ${tag(id)} ▶ ${scenario}`));
  fold.onScenario((id, scenario) => {
    const list = [...(byStudent.get(id) ?? []), scenario];
    byStudent.set(id, list);
    const so = totals(list);
    const pts = scenario.standing === 'inconclusive' || scenario.standing === 'tooling-error' ? 'not counted' : `${formatPoints(scenario.earned)}/${formatPoints(scenario.points)}`;
    out(`[${elapsed()}] ${tag(id)} ${scenario.verdict.padEnd(12)} ${scenario.name}  ${pts}  → ${formatPoints(so.score)}/${formatPoints(so.total)} so far${scenario.reason ? `\n          ${scenario.reason}` : ''}`);
    const planned = fold.planned().get(id) ?? Infinity;
    if (list.length < planned) return;
    const s = students.find((x) => x.id === id) as Submission;
    const ordered = [...list].sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }) || a.line - b.line);
    const g: StudentGrade = { id, name: s.name, folder: shownPath(s.dir), suiteFingerprint: suite.fingerprint, gradedAt: new Date().toISOString(), ...totals(ordered), names: s.names, scenarios: ordered };
    graded.set(id, g);
    mkdirSync(join(gradesDir, id), { recursive: true });
    writeFileSync(join(gradesDir, id, 'grade.json'), `${JSON.stringify(g, null, 1)}\n`);
    writeFileSync(join(gradesDir, id, 'index.html'), renderStudentReport(g, args.suite));
    writeClass(students.filter((x) => !graded.has(x.id)).map((x) => x.name));
    out(`[${elapsed()}] graded ${tag(id)}: ${formatPoints(g.score)}/${formatPoints(g.total)} points → ${join(GRADES_DIR, id, 'index.html')}  (${graded.size}/${students.length} students graded)`);
  });
  const poll = createTail(messages, (e) => fold.ingest(e));

  const runArgs = [...RUNNER_NODE_FLAGS, 'bin/kubeproof.mjs', ...paths.map((p) => relative(cwd, p)), '--parallel', String(args.parallel),
    '--world-parameters', JSON.stringify({ grading }), '--format', `message:${relative(cwd, messages)}`, ...args.passthrough];
  let childPid: number | undefined;
  let interrupted: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    say(`\n${signal}: stopping the grading run (its faults are undone); finish later with --resume`);
    if (childPid) { try { process.kill(childPid, signal); } catch { /* already gone */ } }
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const timer = setInterval(poll, 300);
  let exit;
  try {
    exit = await run(process.execPath, runArgs, {
      cwd, allowFailure: true,
      env: { ...process.env, KUBEPROOF_RUN_PURPOSE: `grading ${todo.length} submission${todo.length === 1 ? '' : 's'} with ${args.suite}` },
      onStart: (pid) => { childPid = pid; },
      // The run's header, lock and summary lines go to the teacher; its per-scenario lines are replaced by ours.
      onOutput: (stream, chunk) => { if (stream === 'stderr' || args.dryRun) process[stream === 'stderr' ? 'stderr' : 'stdout'].write(chunk); },
    });
  } finally {
    clearInterval(timer);
  }
  poll();
  if (args.dryRun) return exit.code ?? EXIT.error;
  const missing = students.filter((s) => !graded.has(s.id));
  writeClass(missing.map((s) => s.name));
  const all = [...graded.values()];
  const tooling = all.flatMap((g) => g.scenarios.filter((s) => s.standing === 'tooling-error').map((s) => `${g.name}: ${s.name}`));
  say('');
  say(`graded ${graded.size}/${students.length} students in ${clock(performance.now() - started)}: ${join(GRADES_DIR, 'index.html')}, ${join(GRADES_DIR, 'grades.csv')}`);
  for (const g of students.flatMap((s) => (graded.has(s.id) ? [graded.get(s.id) as StudentGrade] : []))) say(`  ${g.name.padEnd(24)} ${formatPoints(g.score).padStart(4)} / ${formatPoints(g.total)}`);
  if (tooling.length) say(`tooling ERROR (not counted; rerun these students): ${tooling.join('; ')}`);
  if (missing.length) {
    say(`not graded: ${missing.map((s) => s.name).join(', ')}${interrupted ? '' : ` (the run ended with code ${exit.code}; see above)`} — finish with: npm run grade -- ${process.argv.slice(2).filter((x) => x !== '--resume').join(' ')} --resume`);
    return EXIT.error;
  }
  return tooling.length ? EXIT.error : EXIT.passed;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseGradeArgs(argv);
  if (args.help) { process.stdout.write(`${GRADE_USAGE}\n`); return EXIT.passed; }
  if (args.janitor) {
    const r = await run(process.execPath, [...RUNNER_NODE_FLAGS, 'bin/kubeproof.mjs', '--janitor', ...args.passthrough], { cwd, allowFailure: true, passthrough: true });
    return r.code ?? EXIT.error;
  }
  return grade(args);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`kubeproof grade: ${err.message}\n`);
    else process.stderr.write(`kubeproof grade: tooling error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = EXIT.error;
  },
);
