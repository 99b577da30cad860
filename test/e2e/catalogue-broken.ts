/**
 * The course catalogue's broken variants (test/e2e/features/catalogue-broken/), shared by the lean run in
 * `npm test` (test/e2e/catalogue.e2e.ts) and the nightly run of the others
 * (test/e2e/nightly/catalogue.e2e.ts): one CLI run over the given feature files (namespace-scoped
 * scenarios two at a time, the @exclusive ones alone), and every scenario must FAIL with the message that
 * names its cause. A Secret value read from inside a container on the way must not reach any report.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';

/** The Secret value the config variant reads from inside its container (manifests/subpath/web.yaml). */
const SECRET = 'catalogue-broken-token-not-real';
const DIR = 'test/e2e/features/catalogue-broken';

/** The variants `npm test` runs (test/e2e/catalogue.e2e.ts); the nightly test runs every other one. */
export const LEAN_VARIANTS = ['config.feature', 'security.feature', 'dns.feature'];

/** Feature file (in DIR) → its scenarios → the patterns their FAIL block must show. */
export const BROKEN_VARIANTS: Record<string, Array<[string, RegExp[]]>> = {
  'config.feature': [
    ['a ConfigMap mounted with subPath is never updated', [/Cause: +\/etc\/web\/settings\.json is volume "config" at \/etc\/web\/settings\.json \(subPath "settings\.json"\).*never updates a subPath mount/, /Received: web-[a-z0-9-]+\/web: "\{"currency": "EUR"\}"/]],
  ],
  'storage.feature': [
    ['PostgreSQL on an emptyDir loses its data with its pod', [/Cause: +\/var\/lib\/postgresql\/data\/kubeproof-owner is not on a PersistentVolumeClaim: volume "data" at \/var\/lib\/postgresql\/data: an emptyDir/, /postgres-0: no such file/]],
  ],
  'limits.feature': [
    ['a container without a memory limit is never OOMKilled', [/Cause: +Deployment hog: a container has no resources\.limits\.memory/, /Received: no OOM kill: hog-[a-z0-9-]+\/hog running/]],
  ],
  'daemonset.feature': [
    ['a DaemonSet with a nodeSelector for SSD nodes runs nowhere', [/Cause: +DaemonSet agent: its nodeSelector disktype=ssd matches 0 of the 3 schedulable node\(s\)/, /Received: 0\/3 wanted node\(s\) have exactly one ready pod/]],
  ],
  'security.feature': [
    ['a container without a securityContext runs as root', [/Received: app-[a-z0-9-]+\/app: the app \(PID 1\) runs with uid 0\/0\/0\/0/, /Hint: +set securityContext\.runAsNonRoot: true/]],
    ['a non-root container without readOnlyRootFilesystem has a writable root filesystem', [/"\/" is mounted rw,.*writing a file to "\/" failed: Permission denied/, /refused only by file permissions/]],
  ],
  'shutdown.feature': [
    ['deleting the pods of an app that exits at once on SIGTERM fails requests', [/Expected: no request sent during the load .* fails/, /Received: [1-9]\d*\/\d+ failed/]],
  ],
  'ingress.feature': [
    ['/auth is answered by the frontend when the Ingress has no /auth rule', [/row 2: devops\.local\/auth → HTTP 404 .*no route GET \/auth/, /Cause: +Ingress demo-shop: devops\.local \/ \(Prefix\) → frontend:3000, \/api \(Prefix\) → api:4000\n/]],
  ],
  'dns.feature': [
    ['a short name does not cross namespaces', [/row 1: web from namespace other → no answer \(NXDOMAIN\), expected service web \(ClusterIP 10\.96\./, /a short name only searches the asking pod's own namespace/]],
  ],
};

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => { const f = join(dir, e); return statSync(f).isDirectory() ? allFiles(f) : [f]; });
}

/** The verdict line of scenario `name` and the block below it (up to the next verdict line). */
function blockOf(out: string, name: string): string {
  const at = out.indexOf(`  ${name}  (`);
  assert.ok(at >= 0, `no verdict line for "${name}" in:\n${out}`);
  const start = out.lastIndexOf('\n', at) + 1;
  const next = out.slice(start + 1).search(/\n\[\d+\/\d+\] /);
  return out.slice(start, next < 0 ? undefined : start + 1 + next);
}

/** Runs the broken variants of `files` (keys of BROKEN_VARIANTS) in one CLI run; each must FAIL with its cause. */
export async function expectBrokenVariantsFail(files: readonly string[]): Promise<void> {
  const started = Date.now();
  const cases = files.flatMap((f) => {
    const c = BROKEN_VARIANTS[f];
    assert.ok(c, `no broken variant ${f}`);
    return c;
  });
  const result = await runCli([...files.map((f) => `${DIR}/${f}`), '--parallel', '2']);
  const out = `${result.stdout}\n${result.stderr}`;
  const n = cases.length;
  assert.match(result.stderr, new RegExp(`${n} scenarios? — 0 PASS, ${n} FAIL, 0 INCONCLUSIVE, 0 ERROR`), out);
  assert.equal(result.code, 1, out);
  for (const [name, patterns] of cases) {
    const block = blockOf(result.stdout, name);
    assert.match(block, /FAIL {2}/, `${name} did not FAIL:\n${block}`);
    for (const p of patterns) assert.match(block, p, `${name}:\n${block}`);
  }
  const leaks = allFiles(join(ROOT, 'reports')).filter((f) => {
    const body = readFileSync(f);
    return body.includes(SECRET) || body.includes(Buffer.from(SECRET).toString('base64'));
  });
  assert.deepEqual(leaks, [], 'a Secret value reached a report');
  assert.ok(!out.includes(SECRET), 'the console output is redacted too');
  await untilRunNamespacesGone(runIdOf(result.stderr));
  process.stderr.write(`catalogue broken variants (${files.join(', ')}): ${((Date.now() - started) / 1000).toFixed(0)}s\n`);
}

/** Every feature file of DIR has its cases here (a new variant cannot be silently left out of both runs). */
export function assertEveryVariantListed(): void {
  const onDisk = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith('.feature')).sort();
  assert.deepEqual(onDisk, Object.keys(BROKEN_VARIANTS).sort());
}
