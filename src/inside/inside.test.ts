import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerExec } from '../cluster/kind-container-exec.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import { createInsideOps } from './inside.ts';

const NS = 'kp-t';

/** A StatefulSet "db" with pods db-0, db-1 whose /data is `volume`; files live in a map per container id, shared by `sharedIds`. */
function cluster(volume: Record<string, unknown>, files = new Map<string, string>(), env: Record<string, string> = {}) {
  const c = createFakeCluster({ context: 'kind-kubeproof' });
  c.put({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS }, spec: { selector: { matchLabels: { app: 'db' } } } });
  c.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: NS }, data: { GREETING: 'hello' } });
  c.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: NS }, data: { password: Buffer.from('s3cr3t-value').toString('base64') } });
  for (const [i, id] of ['aa01', 'bb02'].entries()) {
    c.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `db-${i}`, namespace: NS, labels: { app: 'db' } },
      spec: { nodeName: `w${i}`, containers: [{ name: 'db', env: [{ name: 'GREETING' }, { name: 'PASSWORD' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', ...volume }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'db', containerID: `containerd://${id}`, state: { running: {} } }] } });
  }
  const calls: string[] = [];
  const exec: ContainerExec = async (node, id, script, args) => {
    calls.push(`${node} ${id}`);
    if (script.startsWith('printf')) { files.set(`${id}:${args[0]}`, `${args[1]}\n`); return { code: 0, stdout: '', stderr: '' }; }
    if (script.includes('no such file')) {
      const body = files.get(`${id}:${args[0]}`);
      return body === undefined ? { code: 4, stdout: '', stderr: `no such file: ${args[0]}` } : { code: 0, stdout: body, stderr: '' };
    }
    const value = env[`${id}:${args[0]}`];
    return value === undefined ? { code: 3, stdout: '', stderr: `${args[0]} is not set` } : { code: 0, stdout: value, stderr: '' };
  };
  const deps = fakeScenarioDeps(c, NS, { nodes: { exec } });
  return { ops: createInsideOps(deps), deps, calls, files, c };
}

const db = { kind: 'statefulset' as const, name: 'db' };

describe('markers on volumes', () => {
  it('each pod reads back its own marker from its claim', async () => {
    const t = cluster({ persistentVolumeClaim: { claimName: 'data-db' } });
    assert.match(await t.ops.writeMarkers(db, '/data/owner'), /^db-0, db-1 wrote their name to \/data\/owner \(volume "data" at \/data: PersistentVolumeClaim "data-db"\)$/);
    assert.match(await t.ops.expectMarkers(db, '/data/owner'), /db-0, db-1 each read back their own marker/);
    await t.deps.view.stop();
  });

  it('a marker gone with an emptyDir FAILS naming the emptyDir; a marker of another pod is named too', async () => {
    const t = cluster({ emptyDir: {} });
    await t.ops.writeMarkers(db, '/data/owner');
    t.files.delete('aa01:/data/owner');
    t.files.set('bb02:/data/owner', `${[...t.files.values()][0] ?? ''}`.replace('db-1', 'db-0'));
    await assert.rejects(t.ops.expectMarkers(db, '/data/owner'), (err: Error) => {
      assert.match(err.message, /Cause: +\/data\/owner is not on a PersistentVolumeClaim: volume "data" at \/data: an emptyDir, whose data lives and dies with the pod/);
      assert.match(err.message, /db-0: no such file: \/data\/owner/);
      assert.match(err.message, /db-1: reads the marker of db-0/);
      return true;
    });
    await t.deps.view.stop();
  });

  it('checking before any marker was written is an input error naming the step', async () => {
    const t = cluster({ emptyDir: {} });
    await assert.rejects(t.ops.expectMarkers(db, '/data/owner'), /write 'When each pod of statefulset "db" writes its name to "\/data\/owner"' first/);
    await t.deps.view.stop();
  });
});

describe('environment from ConfigMaps and Secrets', () => {
  it('compares Secret values without ever showing them', async () => {
    const t = cluster({ emptyDir: {} }, new Map(), { 'aa01:PASSWORD': 's3cr3t-value', 'bb02:PASSWORD': 'old-value' });
    await assert.rejects(t.ops.expectEnv(db, 'PASSWORD', { kind: 'secret', name: 'sec', key: 'password' }), (err: Error) => {
      assert.match(err.message, /Received: db-1\/db: sha256:[0-9a-f]{12}/);
      assert.doesNotMatch(err.message, /s3cr3t-value|old-value/);
      return true;
    });
    assert.equal(t.deps.redactor.text('pw s3cr3t-value'), 'pw ***REDACTED***');
    await t.deps.view.stop();
  });

  it('passes when every container holds the ConfigMap value', async () => {
    const t = cluster({ emptyDir: {} }, new Map(), { 'aa01:GREETING': 'hello', 'bb02:GREETING': 'hello' });
    assert.match(await t.ops.expectEnv(db, 'GREETING', { kind: 'configmap', name: 'cfg', key: 'GREETING' }), /^GREETING = "hello" in 2 container\(s\)/);
    await t.deps.view.stop();
  });
});

describe('images without a shell', () => {
  it('are INCONCLUSIVE, never PASS or FAIL', async () => {
    const t = cluster({ emptyDir: {} });
    const deps = fakeScenarioDeps(t.c, NS, { nodes: { exec: async () => ({ code: 128, stdout: '', stderr: 'ctr: failed to create shim task: OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown' }) } });
    await assert.rejects(createInsideOps(deps).expectSecurity(db, 'non-root'), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'inconclusive');
      assert.match(err.message, /cannot look inside container db of pod db-0: its image has no shell \(sh\)/);
      return true;
    });
    await Promise.all([t.deps.view.stop(), deps.view.stop()]);
  });

  it('an answer that says nothing is asked again, and never judged as root', async () => {
    const t = cluster({ emptyDir: {} });
    let asked = 0;
    const silent = fakeScenarioDeps(t.c, NS, { nodes: { exec: async () => { asked++; return { code: 0, stdout: '', stderr: '' }; } } });
    await assert.rejects(createInsideOps(silent).expectSecurity(db, 'non-root'), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'inconclusive');
      assert.match(err.message, /could not read the security context from inside db-\d\/db \(twice\): exit 0, nothing printed/);
      return true;
    });
    assert.ok(asked >= 2, `asked ${asked} times`);
    let calls = 0;
    const once = fakeScenarioDeps(t.c, NS, { nodes: { exec: async () => ({ code: 0, stdout: ++calls === 1 ? '' : 'Uid:\t1000\t1000\t1000\t1000\nExecUid:\t1000\t1000\t1000\t1000\n', stderr: '' }) } });
    assert.match(await createInsideOps(once).expectSecurity(db, 'non-root'), /run as a non-root user/);
    await Promise.all([t.deps.view.stop(), silent.view.stop(), once.view.stop()]);
  });
});
