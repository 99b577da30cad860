/**
 * Reads one submission's manifests: YAML files at any depth, and every folder holding a
 * kustomization.yaml built with `kubectl kustomize` instead of read file by file. Every problem is the
 * student's (SubmissionError, named with file and line); images the objects run are listed for loading.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseManifests } from '../cluster/manifests.ts';
import type { LoadedManifest } from '../cluster/manifests.ts';
import type { KubeObject } from '../cluster/types.ts';
import { SubmissionError } from '../failure/failure.ts';
import { run } from '../util/exec.ts';
import { MAPPING_FILES } from './submissions.ts';

const KUSTOMIZATIONS = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Builds a kustomization folder to YAML text (`kubectl kustomize`). */
export type KustomizeBuild = (dir: string) => Promise<string>;

/** kubectl from PATH, else the one the testbed builds (testbed/build-binaries.sh). */
export const kubectlKustomize: KustomizeBuild = async (dir) => {
  const cache = join(process.env.KUBEPROOF_CACHE || '/var/cache/kubeproof', 'bin');
  const built = existsSync(cache) ? readdirSync(cache).filter((d) => /^kube-v[\d.]+$/.test(d)).map((d) => join(cache, d, 'kubectl')).find((f) => existsSync(f)) : undefined;
  const kubectl = built ?? 'kubectl';
  const r = await run(kubectl, ['kustomize', dir], { timeoutMs: 60_000, allowFailure: true });
  if (r.code !== 0) throw new Error(r.stderr.trim().split('\n').slice(-2).join(' ') || `kubectl kustomize exited with code ${r.code}`);
  return r.stdout;
};

/**
 * Loads every object of the submission in `dir` (`label` prefixes file names in messages, e.g. "alice").
 * @throws SubmissionError for invalid YAML, a failed kustomize build, or no object at all
 */
export async function loadSubmissionManifests(dir: string, label: string, kustomize: KustomizeBuild = kubectlKustomize): Promise<LoadedManifest[]> {
  const out: LoadedManifest[] = [];
  const display = (path: string): string => join(label, relative(dir, path));
  const walk = async (folder: string, top: boolean): Promise<void> => {
    const entries = readdirSync(folder).sort();
    if (entries.some((e) => KUSTOMIZATIONS.includes(e))) {
      let text: string;
      try {
        text = await kustomize(folder);
      } catch (err) {
        throw new SubmissionError(`kustomize build of ${display(folder) || label} failed: ${(err as Error).message}`);
      }
      out.push(...parse(text, `${display(folder) || label} (kustomize build)`));
      return;
    }
    for (const e of entries) {
      const full = join(folder, e);
      if (statSync(full).isDirectory()) { if (!e.startsWith('.')) await walk(full, false); continue; }
      if (!/\.ya?ml$/i.test(e) || (top && (MAPPING_FILES as readonly string[]).includes(e))) continue;
      out.push(...parse(readFileSync(full, 'utf8'), display(full)));
    }
  };
  await walk(dir, true);
  if (!out.length) throw new SubmissionError(`submission ${label} has no Kubernetes object (its YAML files are empty)`);
  return out;
}

function parse(text: string, name: string): LoadedManifest[] {
  try {
    return parseManifests(text, name);
  } catch (err) {
    throw new SubmissionError((err as Error).message);
  }
}

/** Images the objects' pod templates run (containers and init containers), sorted, without duplicates. */
export function imagesOf(objects: readonly KubeObject[]): string[] {
  const images = new Set<string>();
  for (const o of objects) {
    const pod = o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) if (typeof c?.image === 'string') images.add(c.image);
  }
  return [...images].sort();
}
