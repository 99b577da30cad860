/**
 * Finds the vegeta binary: `vegeta` on PATH first, else the testbed's cache
 * ($KUBEPROOF_CACHE/bin/vegeta-<version>/vegeta, built by `testbed/build-binaries.sh vegeta`), else —
 * when Go is available — builds it there through that script, showing its progress. Without either it
 * returns a one-line reason saying how to install it (the caller stops with exit 2 before touching
 * the cluster). The version is pinned once, in testbed/versions.env.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { run } from '../util/exec.ts';

/** Everything {@link resolveVegeta} looks at, injectable for tests. */
export interface VegetaLookup {
  /** The pinned version (VEGETA_VERSION in testbed/versions.env). */
  version: string;
  /** The testbed cache root ($KUBEPROOF_CACHE, default /var/cache/kubeproof). */
  cacheDir: string;
  /** Absolute path of an executable `vegeta` on PATH, if any. */
  onPath(): string | undefined;
  /** True when `path` is an executable file whose build completed (its cache stamp exists). */
  isCached(path: string): boolean;
  /** True when `go` is on PATH (what testbed/build-binaries.sh runs). */
  hasGo(): boolean;
  /** Builds vegeta into the cache (testbed/build-binaries.sh vegeta), showing progress; throws on failure. */
  build(): Promise<void>;
  /** Progress lines (the build takes a while); the CLI prints them. */
  say: (line: string) => void;
}

/** Where vegeta was found. */
export type VegetaResolution =
  | { ok: true; path: string; source: 'path' | 'cache' | 'built'; version: string }
  | { ok: false; reason: string };

/** The cache path of one vegeta version. */
export function vegetaCachePath(cacheDir: string, version: string): string {
  return join(cacheDir, 'bin', `vegeta-${version}`, 'vegeta');
}

/** VEGETA_VERSION from the text of testbed/versions.env. */
export function pinnedVegetaVersion(versionsEnv: string): string | undefined {
  return /^VEGETA_VERSION=(\S+)\s*$/m.exec(versionsEnv)?.[1];
}

const INSTALL_HINT = 'install Go (https://go.dev/doc/install) and run "bash testbed/build-binaries.sh vegeta", or put a vegeta v12 binary on PATH';

/** Finds (or builds) vegeta; never throws. */
export async function resolveVegeta(lookup: VegetaLookup = defaultVegetaLookup()): Promise<VegetaResolution> {
  const version = lookup.version;
  const onPath = lookup.onPath();
  if (onPath) return { ok: true, path: onPath, source: 'path', version };
  const cached = vegetaCachePath(lookup.cacheDir, version);
  if (lookup.isCached(cached)) return { ok: true, path: cached, source: 'cache', version };
  if (!lookup.hasGo()) return { ok: false, reason: `vegeta (the load generator) is not installed: ${INSTALL_HINT}` };
  lookup.say(`building vegeta ${version} from the Go module proxy into ${cached} (once; about a minute on a cold Go cache)`);
  try {
    await lookup.build();
  } catch (err) {
    const why = (err as Error).message.split('\n').filter(Boolean).at(-1) ?? 'unknown error';
    return { ok: false, reason: `building vegeta ${version} failed (${why}): run "bash testbed/build-binaries.sh vegeta" to see why, or put a vegeta v12 binary on PATH` };
  }
  if (!lookup.isCached(cached)) return { ok: false, reason: `building vegeta ${version} left no binary at ${cached}: run "bash testbed/build-binaries.sh vegeta" to see why` };
  return { ok: true, path: cached, source: 'built', version };
}

const isExecutable = (path: string): boolean => {
  try { accessSync(path, constants.X_OK); return true; } catch { return false; }
};

/** The real lookups: PATH, the testbed cache and testbed/build-binaries.sh of this checkout. */
export function defaultVegetaLookup(options: { env?: NodeJS.ProcessEnv; repoDir?: string; say?: (line: string) => void } = {}): VegetaLookup {
  const env = options.env ?? process.env;
  const repoDir = options.repoDir ?? resolve(import.meta.dirname, '..', '..');
  const cacheDir = env.KUBEPROOF_CACHE || '/var/cache/kubeproof';
  let versionsEnv = '';
  try { versionsEnv = readFileSync(join(repoDir, 'testbed', 'versions.env'), 'utf8'); } catch { /* reported below as an unknown version */ }
  const version = pinnedVegetaVersion(versionsEnv) ?? 'unknown';
  const searchPath = (cmd: string): string | undefined => (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, cmd)).find(isExecutable);
  return {
    version,
    cacheDir,
    onPath: () => searchPath('vegeta'),
    isCached: (path) => isExecutable(path) && existsSync(join(path, '..', '.done')),
    hasGo: () => searchPath('go') !== undefined,
    async build() {
      if (version === 'unknown') throw new Error('testbed/versions.env names no VEGETA_VERSION');
      await run('bash', [join(repoDir, 'testbed', 'build-binaries.sh'), 'vegeta'], { passthrough: true, timeoutMs: 15 * 60_000, env: { ...env, KUBEPROOF_CACHE: cacheDir } });
    },
    say: options.say ?? (() => {}),
  };
}
