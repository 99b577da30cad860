import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifestDir, ManifestError, parseManifests } from './manifests.ts';

describe('parseManifests', () => {
  it('reads every document with the line it starts on', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n';
    const out = parseManifests(text, 'x.yaml');
    assert.deepEqual(out.map((m) => [m.object.metadata?.name, m.line]), [['a', 1], ['b', 5]]);
  });

  it('skips empty documents', () => {
    assert.equal(parseManifests('---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\n', 'x.yaml').length, 1);
  });

  it('names file and line of invalid YAML', () => {
    assert.throws(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n', 'dir/bad.yaml'),
      (e: Error) => e instanceof ManifestError && /^invalid YAML in dir\/bad\.yaml line \d+: /.test(e.message));
  });

  it('says which required fields are missing', () => {
    assert.throws(() => parseManifests('kind: ConfigMap\nmetadata: {}\n', 'm.yaml'), /m\.yaml line 1: missing apiVersion, metadata\.name/);
  });

  it('rejects a document that is not a mapping', () => {
    assert.throws(() => parseManifests('- a\n- b\n', 'list.yaml'), /expected a Kubernetes object \(a mapping\), got a list/);
  });
});

describe('loadManifestDir', () => {
  it('loads .yaml and .yml files recursively in name order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-manifests-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n');
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    writeFileSync(join(dir, 'sub', 'c.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    assert.deepEqual(loadManifestDir('.', dir).map((m) => m.object.metadata?.name), ['a', 'b', 'c']);
  });

  it('explains a missing folder', () => {
    assert.throws(() => loadManifestDir('fixtures/nope/manifests', tmpdir()), /manifest folder "fixtures\/nope\/manifests" does not exist/);
  });

  it('explains an empty folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-empty-'));
    assert.throws(() => loadManifestDir('.', dir), /contains no \.yaml or \.yml file/);
  });
});
