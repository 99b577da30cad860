/** Reads manifest folders. Bad YAML is reported with file and line, before anything is applied. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../failure/failure.ts';
import type { KubeObject } from './types.ts';

/** A manifest the runner cannot use (input, not a FAIL); the message names the file (and line when known). */
export class ManifestError extends InputError {
  override name = 'ManifestError';
}

/** One object read from disk, with where it came from (for messages). */
export interface LoadedManifest {
  object: KubeObject;
  file: string;
  line: number;
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/i.test(entry)) out.push(full);
  }
  return out;
}

/** Parses the YAML documents of one file; `displayName` is used in messages. */
export function parseManifests(text: string, displayName: string): LoadedManifest[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const out: LoadedManifest[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new ManifestError(`invalid YAML in ${displayName}${line ? ` line ${line}` : ''}: ${error.message.split('\n')[0]?.replace(/:\s*$/, '')}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // empty document (e.g. trailing ---)
    const line = doc.contents?.range ? lineOf(text, doc.contents.range[0]) : 1;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestError(`invalid manifest in ${displayName} line ${line}: expected a Kubernetes object (a mapping), got ${Array.isArray(value) ? 'a list' : typeof value}`);
    }
    const obj = value as KubeObject;
    const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string');
    if (!obj.metadata?.name) missing.push('metadata.name');
    if (missing.length) {
      throw new ManifestError(`invalid manifest in ${displayName} line ${line}: missing ${missing.join(', ')}`);
    }
    out.push({ object: obj, file: displayName, line });
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/**
 * Loads every *.yaml / *.yml under `dir` (sorted, recursive).
 * @throws ManifestError when the folder is missing or empty, or a file is invalid
 */
export function loadManifestDir(dir: string, cwd = process.cwd()): LoadedManifest[] {
  const full = resolve(cwd, dir); // absolute folders work too
  let isDir = false;
  try { isDir = statSync(full).isDirectory(); } catch { isDir = false; }
  if (!isDir) throw new ManifestError(`manifest folder "${dir}" does not exist (looked in ${full})`);
  const files = yamlFilesUnder(full);
  if (files.length === 0) throw new ManifestError(`manifest folder "${dir}" contains no .yaml or .yml file`);
  return files.flatMap((file) => parseManifests(readFileSync(file, 'utf8'), relative(cwd, file)));
}

/** Validates (without applying) every manifest under `dir`; returns the problem or undefined. */
export function checkManifestDir(dir: string, cwd = process.cwd()): string | undefined {
  try { loadManifestDir(dir, cwd); return undefined; } catch (err) { return (err as Error).message; }
}
