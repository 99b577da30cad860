/** The boundaries of the tree (code-style.md §2.2, architecture.md), checked on the source text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function files(dir: string, withTests = false): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) return files(full, withTests);
    return full.endsWith('.ts') && (withTests || !full.endsWith('.test.ts')) ? [full] : [];
  });
}

interface Import { from: string; to: string; typeOnly: boolean }

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  // Static imports and re-exports, and dynamic import('…') of a literal (lazy imports count too).
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'|\bimport\('([^']+)'\)/gm)].map((m) => {
    const spec = m[2] ?? m[3] ?? '';
    const to = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec;
    return { from: relative(root, file), to, typeOnly: Boolean(m[1]) };
  });
}

const sources = [...files(join(root, 'src')), ...files(join(root, 'steps'))];
const all = sources.flatMap(imports);
const violations = (rule: (i: Import) => boolean): string[] => all.filter(rule).map((i) => `${i.from} → ${i.to}`);
const rel = (f: string): string => relative(root, f);
/** Source files (not tests) whose text matches `pattern`, as paths relative to the root. */
const containing = (pattern: RegExp): string[] => sources.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map(rel).sort();

describe('architecture', () => {
  it('steps/ import only src/index.ts, cucumber and each other', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('steps/') && !['src/index.ts', '@cucumber/cucumber'].includes(i.to) && !i.to.startsWith('steps/')), []);
  });

  it('only cluster/kube-client.ts talks to @kubernetes/client-node', () => {
    assert.deepEqual(violations((i) => i.to === '@kubernetes/client-node' && i.from !== 'src/cluster/kube-client.ts'), []);
  });

  it('only util/exec.ts spawns processes', () => {
    assert.deepEqual(violations((i) => i.to === 'node:child_process' && i.from !== 'src/util/exec.ts'), []);
  });

  it('conditions/ never import faults/, report/ or cucumber', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('src/conditions/') && (i.to.startsWith('src/faults/') || i.to.startsWith('src/report/') || i.to.startsWith('@cucumber/'))), []);
  });

  it('the failure model sits below everything: failure/ imports only util/', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('src/failure/') && !i.to.startsWith('src/util/')), []);
  });

  it('faults/ never import the capabilities that use them', () => {
    const capabilities = ['src/isolation/', 'src/self-healing/', 'src/load/', 'src/workloads/', 'src/scenario.ts', 'src/registry.ts'];
    assert.deepEqual(violations((i) => i.from.startsWith('src/faults/') && capabilities.some((c) => i.to.startsWith(c))), []);
  });

  it('report/ uses cluster/ for types only', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('src/report/') && i.to.startsWith('src/cluster/') && !i.typeOnly), []);
  });

  it('nothing outside cli/ imports cli/, and nothing imports scenario.ts but index.ts', () => {
    assert.deepEqual(violations((i) => i.to.startsWith('src/cli/') && !i.from.startsWith('src/cli/')), []);
    assert.deepEqual(violations((i) => i.to === 'src/scenario.ts' && i.from !== 'src/index.ts'), []);
  });

  it('grading/ is used by the scenario facade and the grade CLI only, and never drives cucumber itself', () => {
    assert.deepEqual(violations((i) => i.to.startsWith('src/grading/') && !i.from.startsWith('src/grading/') && !['src/scenario.ts', 'src/index.ts', 'src/cli/grade.ts'].includes(i.from)), []);
    assert.deepEqual(violations((i) => i.from.startsWith('src/grading/') && (i.to === '@cucumber/cucumber' || i.to.startsWith('src/cli/'))), []);
  });

  it('the fakes of src/testing/ are used by tests only', () => {
    assert.deepEqual(violations((i) => i.to.startsWith('src/testing/') && !i.from.startsWith('src/testing/')), []);
  });

  it('no console output outside cli/', () => {
    assert.deepEqual(containing(/\bconsole\.\w+\(/).filter((f) => !f.startsWith('src/cli/')), []);
  });

  it('one wait: only conditions/wait.ts builds a deadline around store changes', () => {
    assert.deepEqual(containing(/\.onChange\(/).filter((f) => /setTimeout\(/.test(readFileSync(join(root, f), 'utf8'))), ['src/conditions/wait.ts']);
  });

  it('commands run inside containers one way: ctr tasks exec in cluster/kind-container-exec.ts', () => {
    assert.deepEqual(containing(/'tasks', 'exec'/), ['src/cluster/kind-container-exec.ts']);
  });

  it('Kubernetes rules are written once, in cluster/predicates.ts', () => {
    assert.deepEqual(containing(/'DoesNotExist'/), ['src/cluster/predicates.ts'], 'label selector operators');
    assert.deepEqual(containing(/node-role\.kubernetes\.io\/control-plane/), ['src/cluster/predicates.ts'], 'the control-plane role');
    assert.deepEqual(containing(/'Ready' && \w+\.status === 'True'/), [], 'the Ready condition (predicates.ts reads any condition type)');
    assert.deepEqual(containing(/function \w*[sS]elect\w*Match|matchLabels\)\.every/), ['src/cluster/predicates.ts'], 'label selector matching');
  });

  it('verdicts come from typed kinds: error classes outside failure/ are tooling (cli, util, cluster, run) or extend the failure model', () => {
    assert.deepEqual(containing(/extends Error\b/).filter((f) => !/^src\/(failure|cli|util|cluster|run)\//.test(f)), []);
  });

  it('every fault module is registered, and every undo it defines is in the one undo table', async () => {
    const faultFiles = files(join(root, 'src/faults')).map(rel).filter((f) => /defineFault</.test(readFileSync(join(root, f), 'utf8')));
    const registry = readFileSync(join(root, 'src/faults/registry.ts'), 'utf8');
    for (const f of faultFiles) assert.ok(registry.includes(`'./${f.slice('src/faults/'.length)}'`), `${f} defines a fault but registry.ts does not list it`);
    const defined = sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/defineUndo<[^>]*>\('([^']+)'/g)].map((m) => m[1]));
    const { UNDOS } = await import('./registry.ts');
    assert.deepEqual(defined.filter((k) => !UNDOS.has(k ?? '')), []);
    assert.ok(faultFiles.length >= 10 && defined.length >= 5, `found ${faultFiles.length} faults and ${defined.length} undo kinds`);
  });

  it('found the imports it checks (the rules above are not vacuous)', () => {
    assert.ok(all.some((i) => i.to === '@kubernetes/client-node'));
    assert.ok(all.some((i) => i.from.startsWith('steps/') && i.to === 'src/index.ts'));
    assert.ok(all.some((i) => i.from.startsWith('src/faults/') && i.to === 'src/conditions/wait.ts'));
  });
});
