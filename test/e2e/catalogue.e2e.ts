/**
 * The course catalogue's broken variants on the real cluster: one run of test/e2e/features/catalogue-broken/
 * (namespace-scoped scenarios two at a time, the @exclusive ones alone), and every scenario must FAIL
 * with the message that names its cause. The fixture scenarios themselves run in the shipped suite
 * (features/catalogue/, `npm run test:suite`). A Secret value read from inside a container on the way must
 * not reach any report.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kube, ROOT, runCli, runIdOf, untilRunNamespacesGone } from './helpers.ts';

/** The Secret value the config variant reads from inside its container (manifests/subpath/web.yaml). */
const SECRET = 'catalogue-broken-token-not-real';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => { const f = join(dir, e); return statSync(f).isDirectory() ? allFiles(f) : [f]; });
}

/** The block of output below the verdict line of scenario `name` (up to the next verdict line). */
function blockOf(out: string, name: string): string {
  const start = out.indexOf(`  ${name}  (`);
  assert.ok(start >= 0, `no verdict line for "${name}" in:\n${out}`);
  const next = out.slice(start + 1).search(/\n\[\d+\/\d+\] /);
  return out.slice(start, next < 0 ? undefined : start + 1 + next);
}

describe('course catalogue: broken variants', () => {
  before(async () => {
    await assert.doesNotReject(kube().version(5000), 'the kind cluster is not reachable; start it with npm run cluster:up');
  });

  it('every broken variant FAILS with its cause, and no Secret value reaches a report', async () => {
    const started = Date.now();
    const result = await runCli(['test/e2e/features/catalogue-broken', '--parallel', '2']);
    const out = `${result.stdout}\n${result.stderr}`;
    assert.match(result.stderr, /9 scenarios — 0 PASS, 9 FAIL, 0 INCONCLUSIVE, 0 ERROR/, out);
    assert.equal(result.code, 1, out);
    const cases: Array<[string, RegExp[]]> = [
      ['a ConfigMap mounted with subPath is never updated', [/Cause: +\/etc\/web\/settings\.json is volume "config" at \/etc\/web\/settings\.json \(subPath "settings\.json"\).*never updates a subPath mount/, /Received: web-[a-z0-9-]+\/web: "\{"currency": "EUR"\}"/]],
      ['PostgreSQL on an emptyDir loses its data with its pod', [/Cause: +\/var\/lib\/postgresql\/data\/kubeproof-owner is not on a PersistentVolumeClaim: volume "data" at \/var\/lib\/postgresql\/data: an emptyDir/, /postgres-0: no such file/]],
      ['a container without a memory limit is never OOMKilled', [/Cause: +Deployment hog: a container has no resources\.limits\.memory/, /Received: no OOM kill: hog-[a-z0-9-]+\/hog running/]],
      ['a DaemonSet with a nodeSelector for SSD nodes runs nowhere', [/Cause: +DaemonSet agent: its nodeSelector disktype=ssd matches 0 of the 3 schedulable node\(s\)/, /Received: 0\/3 wanted node\(s\) have exactly one ready pod/]],
      ['a container without a securityContext runs as root', [/Received: app-[a-z0-9-]+\/app: the app \(PID 1\) runs with uid 0\/0\/0\/0/, /Hint: +set securityContext\.runAsNonRoot: true/]],
      ['a non-root container without readOnlyRootFilesystem has a writable root filesystem', [/"\/" is mounted rw,.*writing a file to "\/" failed: Permission denied/, /refused only by file permissions/]],
      ['deleting the pods of an app that exits at once on SIGTERM fails requests', [/Expected: no request sent during the load .* fails/, /Received: [1-9]\d*\/\d+ failed/]],
      ['/auth is answered by the frontend when the Ingress has no /auth rule', [/row 2: devops\.local\/auth → HTTP 200 from pod frontend-[a-z0-9-]+ \(service frontend\)/, /Cause: +Ingress demo-shop: devops\.local \/ \(Prefix\) → frontend:3000, \/api \(Prefix\) → api:4000/]],
      ['a short name does not cross namespaces', [/row 1: web from namespace other → no answer \(NXDOMAIN\), expected service web \(ClusterIP 10\.96\./, /a short name only searches the asking pod's own namespace/]],
    ];
    for (const [name, patterns] of cases) {
      const block = blockOf(result.stdout, name);
      assert.match(block, /FAIL {2}/, `${name} did not FAIL:\n${block}`);
      for (const p of patterns) assert.match(block, p, `${name}:\n${block}`);
    }
    const leaks = allFiles(join(ROOT, 'reports')).filter((f) => {
      const body = readFileSync(f);
      return body.includes(SECRET) || body.includes(Buffer.from(SECRET).toString('base64'));
    });
    assert.deepEqual(leaks, []);
    assert.ok(!out.includes(SECRET), 'the console output is redacted too');
    await untilRunNamespacesGone(runIdOf(result.stderr));
    process.stderr.write(`catalogue broken variants: ${((Date.now() - started) / 1000).toFixed(0)}s\n`);
  });
});
