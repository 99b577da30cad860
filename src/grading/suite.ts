/**
 * The grading suite: its feature files, scenarios and points (`@points:N`, default 1), checked before
 * anything runs, and one copy of each feature per student carrying the tag `@student:<id>` — so one
 * cucumber run grades the whole class, every scenario knows whose submission it deploys, and
 * `--parallel` interleaves students.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import { InputError } from '../failure/failure.ts';

/** The step a graded scenario deploys the student's work with. */
export const SUBMISSION_STEP = 'the submission is deployed';
/** Tag prefixes: points of a scenario, and the student a copied feature belongs to. */
export const POINTS_TAG = '@points:';
export const STUDENT_TAG = '@student:';

/** One scenario (a pickle: outlines give one per example row). */
export interface SuiteScenario {
  /** Feature file relative to the suite folder. */
  file: string;
  line: number;
  name: string;
  tags: string[];
  points: number;
}

/** A suite ready to grade with. */
export interface Suite {
  /** Suite folder as given. */
  dir: string;
  features: Array<{ file: string; text: string; featureLine: number }>;
  scenarios: SuiteScenario[];
  /** Changes when any feature changes: grades of an older suite are not resumed. */
  fingerprint: string;
}

/**
 * Points of a scenario from its tags (the innermost `@points:N` wins; default 1).
 * @throws InputError for a value that is not a number ≥ 0
 */
export function pointsOf(tags: readonly string[], where: string): number {
  const tag = [...tags].reverse().find((t) => t.startsWith(POINTS_TAG));
  if (!tag) return 1;
  const value = tag.slice(POINTS_TAG.length);
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InputError(`${where}: ${tag} is not a number of points (write e.g. @points:2)`);
  return Number(value);
}

function featureFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) return featureFiles(full);
    return e.endsWith('.feature') ? [full] : [];
  });
}

/**
 * Reads and checks the suite under `dir`.
 * @throws InputError: no folder, no scenario, a malformed feature, bad points, a scenario that never deploys the submission
 */
export function loadSuite(dir: string, cwd = process.cwd()): Suite {
  const full = resolve(cwd, dir);
  let isDir = false;
  try { isDir = statSync(full).isDirectory(); } catch { isDir = false; }
  if (!isDir) throw new InputError(`--suite ${dir}: no such folder of .feature files`);
  const features: Suite['features'] = [];
  const scenarios: SuiteScenario[] = [];
  const hash = createHash('sha256');
  for (const path of featureFiles(full)) {
    const file = relative(full, path);
    const text = readFileSync(path, 'utf8');
    hash.update(`${file}\0${text}\0`);
    const envelopes = generateMessages(text, file, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, { includeGherkinDocument: true, includePickles: true, includeSource: false, newId: IdGenerator.incrementing() });
    const parseError = envelopes.find((e) => e.parseError)?.parseError;
    if (parseError) throw new InputError(`malformed feature file ${join(dir, file)} line ${parseError.source.location?.line ?? '?'}: ${parseError.message.split('\n').pop()?.trim()}`);
    const doc = envelopes.find((e) => e.gherkinDocument)?.gherkinDocument;
    if (!doc?.feature) continue; // an empty file
    features.push({ file, text, featureLine: doc.feature.location.line });
    const lineOf = new Map<string, number>();
    const collect = (children: readonly any[]): void => {
      for (const c of children) {
        if (c.rule) collect(c.rule.children);
        if (c.scenario) {
          lineOf.set(c.scenario.id, c.scenario.location.line);
          for (const ex of c.scenario.examples ?? []) for (const row of ex.tableBody ?? []) lineOf.set(row.id, row.location.line);
        }
      }
    };
    collect(doc.feature.children);
    for (const e of envelopes) {
      if (!e.pickle) continue;
      const ids = e.pickle.astNodeIds;
      const line = lineOf.get(ids[ids.length - 1] ?? '') ?? lineOf.get(ids[0] ?? '') ?? 0;
      const where = `${join(dir, file)}:${line} (${e.pickle.name})`;
      const tags = e.pickle.tags.map((t) => t.name);
      if (tags.some((t) => t.startsWith(STUDENT_TAG))) throw new InputError(`${where}: ${STUDENT_TAG}… tags are set by npm run grade itself; remove it`);
      if (!e.pickle.steps.some((s) => s.text === SUBMISSION_STEP)) {
        throw new InputError(`${where} never deploys the submission: start it (or the Background) with "Given ${SUBMISSION_STEP}"`);
      }
      scenarios.push({ file, line, name: e.pickle.name, tags, points: pointsOf(tags, where) });
    }
  }
  if (!scenarios.length) throw new InputError(`--suite ${dir} has no scenario to grade with (no .feature file with a Scenario under ${full})`);
  return { dir, features, scenarios, fingerprint: hash.digest('hex').slice(0, 12) };
}

/** The feature text with `@student:<id>` added to the feature's tags (a line of its own, above the keyword). */
export function tagForStudent(text: string, featureLine: number, studentId: string): string {
  const lines = text.split('\n');
  // Feature tags sit on the lines above the keyword; a new tag line right above it joins them.
  lines.splice(featureLine - 1, 0, `${STUDENT_TAG}${studentId}`);
  return lines.join('\n');
}

/** Writes every student's tagged copy of the suite under `outDir/<student id>/`; returns the feature paths. */
export function writeStudentCopies(suite: Suite, studentIds: readonly string[], outDir: string): string[] {
  rmSync(outDir, { recursive: true, force: true });
  const paths: string[] = [];
  for (const id of studentIds) {
    for (const f of suite.features) {
      const target = join(outDir, id, f.file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, tagForStudent(f.text, f.featureLine, id));
      paths.push(target);
    }
  }
  return paths;
}

/** The student of a scenario, from its tags (undefined outside grading). */
export function studentOf(tags: readonly string[]): string | undefined {
  return tags.find((t) => t.startsWith(STUDENT_TAG))?.slice(STUDENT_TAG.length);
}
