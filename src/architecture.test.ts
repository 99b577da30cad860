/** Import-direction rules (code-style.md §2.2), checked on the source text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

interface Import { from: string; to: string; typeOnly: boolean }

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => {
    const spec = m[2] ?? '';
    const to = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec;
    return { from: relative(root, file), to, typeOnly: Boolean(m[1]) };
  });
}

const all = [...files(join(root, 'src')), ...files(join(root, 'steps'))].flatMap(imports);
const violations = (rule: (i: Import) => boolean): string[] => all.filter(rule).map((i) => `${i.from} → ${i.to}`);

describe('architecture', () => {
  it('steps/ import only src/index.ts, cucumber and each other', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('steps/') && !['src/index.ts', '@cucumber/cucumber'].includes(i.to) && !i.to.startsWith('steps/')), []);
  });

  it('only cluster/kube-client.ts talks to @kubernetes/client-node and undici', () => {
    assert.deepEqual(violations((i) => ['@kubernetes/client-node', 'undici'].includes(i.to) && i.from !== 'src/cluster/kube-client.ts'), []);
  });

  it('only util/exec.ts spawns processes', () => {
    assert.deepEqual(violations((i) => i.to === 'node:child_process' && i.from !== 'src/util/exec.ts'), []);
  });

  it('conditions/ never import faults/, report/ or cucumber', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('src/conditions/') && (i.to.startsWith('src/faults/') || i.to.startsWith('src/report/') || i.to.startsWith('@cucumber/'))), []);
  });

  it('report/ uses cluster/ for types only', () => {
    assert.deepEqual(violations((i) => i.from.startsWith('src/report/') && i.to.startsWith('src/cluster/') && !i.typeOnly), []);
  });

  it('nothing outside cli/ imports cli/', () => {
    assert.deepEqual(violations((i) => i.to.startsWith('src/cli/') && !i.from.startsWith('src/cli/')), []);
  });

  it('no console output outside cli/ and util/logger.ts', () => {
    const offenders = files(join(root, 'src')).concat(files(join(root, 'steps')))
      .filter((f) => !relative(root, f).startsWith('src/cli/') && !f.endsWith('util/logger.ts'))
      .filter((f) => /\bconsole\.\w+\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
  });

  it('found the imports it checks (the rules above are not vacuous)', () => {
    assert.ok(all.some((i) => i.to === '@kubernetes/client-node'));
    assert.ok(all.some((i) => i.from.startsWith('steps/') && i.to === 'src/index.ts'));
  });
});
