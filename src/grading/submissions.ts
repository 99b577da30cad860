/**
 * A class's submissions: one subfolder of `--submissions <dir>` per student, holding their manifests
 * (YAML at any depth, Kustomize honoured) and optionally a mapping file `kubeproof.yaml`:
 *
 *   student: Alice Martin          # how reports name them (default: the folder's name)
 *   names: { api: orders, postgres: db }   # the suite's object names → theirs
 *   images: [ shop/orders:1.2 ]    # images to load into the cluster's nodes from the local Docker engine
 *
 * Problems of the class as a whole (no folder, no YAML, an unreadable mapping) are input errors (exit 2);
 * problems inside one student's manifests are that student's, found when the submission is deployed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../failure/failure.ts';

/** Mapping file names, looked for at the top of a submission. */
export const MAPPING_FILES = ['kubeproof.yaml', 'kubeproof.yml'] as const;

/** One student's submission. */
export interface Submission {
  /** Stable id used in tags, folders and namespaces: the folder name as a lowercase slug. */
  id: string;
  /** Display name (mapping `student:`, else the folder name). */
  name: string;
  /** Folder, absolute. */
  dir: string;
  /** Folder as given (relative to the working directory), for messages. */
  displayDir: string;
  /** Suite name → submission name. */
  names: Record<string, string>;
  /** Images named in the mapping file. */
  images: string[];
}

const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** "Alice Martin (B2)" → "alice-martin-b2". */
export function slug(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || 'student';
}

function isYaml(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

function hasManifest(dir: string, top = true): boolean {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) { if (hasManifest(full, false)) return true; }
    else if (isYaml(entry) && !(top && (MAPPING_FILES as readonly string[]).includes(entry))) return true;
  }
  return false;
}

/**
 * Reads a mapping file's text.
 * @throws InputError naming the file and what is wrong
 */
export function parseMapping(text: string, file: string): { student?: string; names: Record<string, string>; images: string[] } {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (err) {
    throw new InputError(`cannot read the mapping file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { names: {}, images: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`cannot read the mapping file ${file}: expected keys student, names, images (e.g. "names: { api: orders }")`);
  const d = doc as Record<string, unknown>;
  const unknown = Object.keys(d).filter((k) => !['student', 'names', 'images'].includes(k));
  if (unknown.length) throw new InputError(`cannot read the mapping file ${file}: unknown key "${unknown[0]}" (expected student, names, images; e.g. "names: { ${unknown[0]}: … }")`);
  if (d.student !== undefined && typeof d.student !== 'string') throw new InputError(`cannot read the mapping file ${file}: "student" must be a name (text)`);
  const names: Record<string, string> = {};
  if (d.names !== undefined) {
    if (typeof d.names !== 'object' || d.names === null || Array.isArray(d.names)) throw new InputError(`cannot read the mapping file ${file}: "names" maps the suite's names to yours, e.g. "names: { api: orders }"`);
    for (const [from, to] of Object.entries(d.names as Record<string, unknown>)) {
      if (typeof to !== 'string' || !DNS_NAME.test(to)) throw new InputError(`cannot read the mapping file ${file}: names.${from} must be a Kubernetes object name (lowercase letters, digits, "-"), got ${JSON.stringify(to)}`);
      names[from] = to;
    }
  }
  const images: string[] = [];
  if (d.images !== undefined) {
    if (!Array.isArray(d.images) || d.images.some((i) => typeof i !== 'string' || !i.trim() || /\s/.test(i))) throw new InputError(`cannot read the mapping file ${file}: "images" is a list of image references, e.g. "images: [ shop/orders:1.2 ]"`);
    images.push(...(d.images as string[]));
  }
  return { ...(typeof d.student === 'string' && d.student.trim() ? { student: d.student.trim() } : {}), names, images };
}

/**
 * Lists the submissions under `root` (one subfolder each, sorted by name).
 * @throws InputError when root is missing or empty, a folder has no YAML, or a mapping file is unreadable
 */
export function discoverSubmissions(root: string, cwd = process.cwd()): Submission[] {
  const full = resolve(cwd, root);
  let isDir = false;
  try { isDir = statSync(full).isDirectory(); } catch { isDir = false; }
  if (!isDir) throw new InputError(`--submissions ${root}: no such folder (one subfolder per student, holding their manifests)`);
  const folders = readdirSync(full).filter((e) => !e.startsWith('.') && statSync(join(full, e)).isDirectory()).sort();
  if (!folders.length) throw new InputError(`--submissions ${root} is empty: put one subfolder per student in it, holding their manifests`);
  const taken = new Set<string>();
  return folders.map((folder) => {
    const dir = join(full, folder);
    const displayDir = relative(cwd, dir) || dir;
    if (!hasManifest(dir)) throw new InputError(`submission "${folder}" (${displayDir}) contains no .yaml or .yml manifest`);
    const mappingFile = MAPPING_FILES.map((f) => join(dir, f)).find((f) => { try { return statSync(f).isFile(); } catch { return false; } });
    let mapping: ReturnType<typeof parseMapping> = { names: {}, images: [] };
    if (mappingFile) {
      let text: string;
      try { text = readFileSync(mappingFile, 'utf8'); } catch (err) { throw new InputError(`cannot read the mapping file ${relative(cwd, mappingFile)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`); }
      mapping = parseMapping(text, relative(cwd, mappingFile));
    }
    let id = slug(folder);
    for (let n = 2; taken.has(id); n++) id = `${slug(folder)}-${n}`;
    taken.add(id);
    return { id, name: mapping.student ?? folder, dir, displayDir, names: mapping.names, images: mapping.images };
  });
}
