/**
 * `npm run chaos` on a fresh clone: when the run targets the project's own kind cluster and it is not
 * running, bring it up (testbed/cluster.sh) and load the images of the fixtures the scenarios deploy.
 * Any other cluster is the user's business: we never create or change it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOAD_IMAGE } from '../load/in-cluster.ts';
import { run } from '../util/exec.ts';
import { fixtureDir, PACKAGE_ROOT } from '../util/package-root.ts';

/** The kube context kind writes for kind-config.yaml's cluster. */
export const OWN_CONTEXT = 'kind-kubeproof';
const OWN_CLUSTER = 'kubeproof';
const OWN_NODES = 4;

/** True when the run is aimed at our cluster: named explicitly, current, or no kubeconfig exists yet. */
export function targetsOwnCluster(explicitContext: string | undefined, currentContext: string | undefined): boolean {
  if (explicitContext) return explicitContext === OWN_CONTEXT;
  return currentContext === undefined || currentContext === OWN_CONTEXT;
}

/** Fixture names deployed by `the fixture "X" is deployed` steps. */
export function fixturesUsed(stepTexts: readonly string[], cwd = process.cwd()): string[] {
  const names = new Set<string>();
  for (const text of stepTexts) {
    const name = /^the fixture "([^"]+)" is deployed$/.exec(text)?.[1];
    if (name) names.add(name);
    // Plain manifests may run a fixture's images too (kubeproof/demo-app, kubeproof/podinfo …): they need them loaded.
    const dir = /^the manifests in "([^"]+)" are applied/.exec(text)?.[1];
    if (dir) for (const fixture of fixtureImagesIn(resolve(cwd, dir))) names.add(fixture);
  }
  return [...names].sort();
}

/** Images the fixtures build, by the fixture that builds them. */
const FIXTURE_IMAGES: ReadonlyArray<[RegExp, string]> = [
  [/image:\s*["']?kubeproof\/(demo-app|postgres):/, 'demo-shop'],
  [/image:\s*["']?kubeproof\/podinfo:/, 'podinfo'],
];

/** The fixtures whose images a manifest folder names (kubeproof/demo-app → demo-shop, kubeproof/podinfo → podinfo). */
function fixtureImagesIn(dir: string): string[] {
  let texts: string[];
  try {
    texts = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => readFileSync(join(dir, f), 'utf8'));
  } catch {
    return []; // a missing folder is reported by the apply step itself, with its line
  }
  return FIXTURE_IMAGES.filter(([re]) => texts.some((t) => re.test(t))).map(([, fixture]) => fixture);
}

/**
 * How many of our kind cluster's node containers run (a paused one counts), and how many are missing.
 * `listed`: the node names read earlier (src/run/host-probe.ts), if they were.
 */
export async function ownClusterNodes(listed?: Promise<string[]>): Promise<{ running: number; missing: number }> {
  const running = (await (listed ?? runningNodes())).length;
  return { running, missing: Math.max(0, OWN_NODES - running) };
}

/** The names of our kind cluster's node containers that exist (docker ps); none when the daemon cannot say; rejects when docker cannot be started. */
export async function runningNodes(): Promise<string[]> {
  // A paused node counts as present: it is a live run's node-death fault (its own After hook, or
  // --janitor after a killed run, unpauses it). "cluster.sh up" would unpause it under that run.
  const r = await run('docker', ['ps', '--filter', `label=io.x-k8s.kind.cluster=${OWN_CLUSTER}`,
    '--format', '{{.Names}}'], { allowFailure: true, timeoutMs: 15_000 });
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/**
 * Creates (or heals) the kind cluster when fewer than its nodes are running; progress goes to stderr.
 * `listed`: the node names read earlier (src/run/host-probe.ts), if they were.
 */
export async function ensureOwnCluster(say: (line: string) => void, listed?: Promise<string[]>): Promise<void> {
  const nodes = await (listed ?? runningNodes());
  if (nodes.length >= OWN_NODES) return;
  say(`kubeproof: the kind cluster "${OWN_CLUSTER}" is not running (${nodes.length}/${OWN_NODES} nodes): bringing it up (npm run cluster:up)`);
  // The testbed ships with kubeproof: its scripts and kind-config.yaml are in the package, not the user's project.
  await run('bash', ['testbed/cluster.sh', 'up'], { cwd: PACKAGE_ROOT, passthrough: true });
}

/** The images of `fixture` (the project's own fixtures/<name>, else kubeproof's) that the cluster's control-plane node lacks. */
export async function missingFixtureImages(fixture: string, cwd: string): Promise<string[]> {
  const dir = fixtureDir(fixture, cwd);
  if (!existsSync(join(dir, 'build-images.sh'))) return []; // a fixture made only of manifests
  const listed = await run('bash', ['build-images.sh', '--print-images'], { cwd: dir, timeoutMs: 30_000 });
  const images = listed.stdout.split(/\s+/).filter(Boolean);
  const present = await run('docker', ['exec', `${OWN_CLUSTER}-control-plane`, 'ctr', '--namespace=k8s.io', 'images', 'ls', '-q'],
    { allowFailure: true, timeoutMs: 30_000 });
  const inNode = new Set(present.stdout.split('\n').map((ref) => ref.replace(/^docker\.io\//, '')));
  return images.filter((img) => !inNode.has(img.replace(/^docker\.io\//, '')));
}

/** Builds and loads a fixture's images when the cluster's control-plane node does not have them yet. */
export async function ensureFixtureImages(fixture: string, cwd: string, say: (line: string) => void): Promise<void> {
  const missing = await missingFixtureImages(fixture, cwd);
  if (missing.length === 0) return;
  say(`kubeproof: fixture "${fixture}" needs ${missing.join(', ')} in the cluster: building and loading (npm run images:build)`);
  await run('bash', ['build-images.sh'], { cwd: fixtureDir(fixture, cwd), passthrough: true });
}

/** True when our cluster's control-plane node lacks the in-cluster load image. */
export async function loadImageMissing(): Promise<boolean> {
  const present = await run('docker', ['exec', `${OWN_CLUSTER}-control-plane`, 'ctr', '--namespace=k8s.io', 'images', 'ls', '-q'], { allowFailure: true, timeoutMs: 30_000 });
  return !present.stdout.split('\n').some((ref) => ref.replace(/^docker\.io\//, '') === LOAD_IMAGE);
}

/** Builds the in-cluster load image (vegeta + busybox) and loads it into the nodes when they lack it; quick when cached. */
export async function ensureLoadImage(say: (line: string) => void): Promise<void> {
  if (!await loadImageMissing()) return;
  const image = LOAD_IMAGE;
  say(`kubeproof: in-cluster load needs ${image} in the cluster: building and loading it (bash testbed/build-load-image.sh)`);
  // The testbed ships with kubeproof, not with a project that depends on it.
  await run('bash', ['testbed/build-load-image.sh'], { cwd: PACKAGE_ROOT, passthrough: true });
}
