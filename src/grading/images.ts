/**
 * Images a submission runs: nothing can be pulled on the testbed, so every image a student's objects
 * (or mapping file) name must be in the kind nodes, loaded from the local Docker engine as the fixture's
 * are (testbed/load-images.sh). An image in neither place is that student's problem: their scenarios
 * end in ERROR naming it, and the class goes on.
 */
import { join } from 'node:path';
import { run } from '../util/exec.ts';

/** Where images are. */
export interface ImageStore {
  /** Images present on every node of the cluster (normalised references). */
  inNodes(): Promise<Set<string>>;
  /** Whether the local Docker engine has the image. */
  inDocker(image: string): Promise<boolean>;
  /** Loads images from the local Docker engine into every node. */
  load(images: readonly string[]): Promise<void>;
}

/** "nginx" → "nginx:latest", "docker.io/library/nginx:1" → "nginx:1" (how Docker and containerd differ). */
export function normalizeImage(ref: string): string {
  let r = ref.trim().replace(/^docker\.io\//, '').replace(/^library\//, '');
  const lastSlash = r.lastIndexOf('/');
  if (!r.includes('@') && !r.slice(lastSlash + 1).includes(':')) r += ':latest';
  return r;
}

/** The kind cluster's nodes (docker containers) and the local Docker engine. */
export function kindImageStore(cluster: string, cwd: string): ImageStore {
  return {
    async inNodes() {
      const ps = await run('docker', ['ps', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`, '--format', '{{.Names}}'], { timeoutMs: 15_000 });
      const nodes = ps.stdout.split('\n').filter(Boolean);
      const perNode = await Promise.all(nodes.map(async (node) => {
        const r = await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'images', 'ls', '-q'], { timeoutMs: 30_000 });
        return new Set(r.stdout.split('\n').filter(Boolean).map(normalizeImage));
      }));
      const [first, ...rest] = perNode;
      return new Set([...(first ?? [])].filter((img) => rest.every((s) => s.has(img))));
    },
    async inDocker(image) {
      return (await run('docker', ['image', 'inspect', image], { timeoutMs: 15_000, allowFailure: true })).code === 0;
    },
    async load(images) {
      await run('bash', [join(cwd, 'testbed', 'load-images.sh'), ...images], { cwd, timeoutMs: 600_000 });
    },
  };
}

/**
 * Makes every student's images available; returns, per student id, the problem that stops their
 * submission (an image neither in the nodes nor in the local Docker engine).
 */
export async function prepareImages(students: ReadonlyArray<{ id: string; images: readonly string[] }>, store: ImageStore, say: (line: string) => void): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  const wanted = [...new Set(students.flatMap((s) => s.images))];
  if (!wanted.length) return problems;
  const present = await store.inNodes();
  const missing = wanted.filter((img) => !present.has(normalizeImage(img)));
  const loadable: string[] = [];
  const absent = new Set<string>();
  for (const img of missing) {
    if (await store.inDocker(img)) loadable.push(img);
    else absent.add(img);
  }
  if (loadable.length) {
    say(`grading: loading ${loadable.length} image${loadable.length === 1 ? '' : 's'} into the cluster's nodes from the local Docker engine: ${loadable.join(', ')}`);
    await store.load(loadable);
  }
  for (const s of students) {
    const gone = s.images.filter((img) => absent.has(img));
    if (gone.length) problems.set(s.id, `image${gone.length === 1 ? '' : 's'} ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} neither in the cluster's nodes nor in the local Docker engine (nothing can be pulled here): build or load ${gone.length === 1 ? 'it' : 'them'} (docker build / docker load), or fix the image name`);
  }
  return problems;
}
