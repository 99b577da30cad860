/**
 * Where kubeproof itself is installed. The working directory is the user's project (features, steps,
 * manifests, reports, journal); the package root holds what ships with kubeproof (its steps, bundled
 * fixtures, testbed scripts, kind-config.yaml, allurerc.mjs). In this repository both are the same.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The kubeproof package's root directory. */
export const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..');

/** The folder of fixture `name`: the project's own fixtures/<name> when it exists, else the one kubeproof ships. */
export function fixtureDir(name: string, cwd: string): string {
  const own = resolve(cwd, 'fixtures', name);
  if (existsSync(own)) return own;
  const shipped = resolve(PACKAGE_ROOT, 'fixtures', name);
  return existsSync(shipped) ? shipped : own;
}
