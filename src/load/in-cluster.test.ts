import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../cluster/types.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { checkLoadLabels, LOAD_IMAGE, LOAD_LABEL, LOAD_SCRIPT, loadJob, loadPods, parseLabels, shares, startClusterLoad } from './in-cluster.ts';
import { createLoadPlan } from './plan.ts';
import { createLoadRecorder } from './recorder.ts';
import { parseVegetaResult } from './sample.ts';
import { pinnedVegetaVersion } from './vegeta-binary.ts';

const NS = 'kp-t';
const plan = (stages = [{ rate: 20, durationMs: 2_000 }]) => createLoadPlan({ clusterHost: `podinfo.${NS}.svc.cluster.local`, port: 9898, path: '/', stages });

describe('loadJob', () => {
  it('runs the image testbed/build-load-image.sh builds from the pinned vegeta (testbed/versions.env)', () => {
    const versionsEnv = readFileSync(new URL('../../testbed/versions.env', import.meta.url), 'utf8');
    assert.equal(LOAD_IMAGE, `kubeproof/vegeta:${pinnedVegetaVersion(versionsEnv)}`);
  });

  it('runs P indexed pods that share the rate exactly, on the control plane when they may, bounded in time', () => {
    const job = loadJob({ name: 'kp-load-abc', namespace: NS, plan: plan([{ rate: 20, durationMs: 30_000 }, { rate: 10, durationMs: 10_000 }]), pods: 3, labels: { access: 'podinfo' }, startEpochS: Math.floor(Date.now() / 1000) + 8 });
    assert.equal(job.spec.completionMode, 'Indexed');
    assert.equal(job.spec.parallelism, 3);
    assert.equal(job.spec.backoffLimit, 0);
    assert.ok(job.spec.activeDeadlineSeconds >= 40 && job.spec.activeDeadlineSeconds <= 90, String(job.spec.activeDeadlineSeconds));
    const pod = job.spec.template;
    assert.deepEqual(pod.metadata.labels, { access: 'podinfo', [LOAD_LABEL]: 'kp-load-abc', 'app.kubernetes.io/managed-by': 'kubeproof' });
    const env = Object.fromEntries((pod.spec.containers[0].env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    assert.deepEqual([env.STAGES_0, env.STAGES_1, env.STAGES_2], ['6667/1000s@30000 3334/1000s@10000', '6667/1000s@30000 3333/1000s@10000', '6666/1000s@30000 3333/1000s@10000']);
    assert.equal(env.TARGET, `{"method":"GET","url":"http://podinfo.${NS}.svc.cluster.local:9898/"}`);
    assert.deepEqual(pod.spec.tolerations, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it('splits rates in whole millirequests that add up, and sizes the pods from the rate unless told', () => {
    assert.deepEqual(shares(20, 3), [6.667, 6.667, 6.666]);
    assert.equal(shares(0.5, 2).reduce((a, b) => a + b, 0), 0.5);
    assert.equal(loadPods(plan([{ rate: 2500, durationMs: 1_000 }])), 3);
    assert.equal(loadPods(plan(), 2), 2);
    assert.throws(() => loadPods(plan(), 0), /from 1 to 20 pods, not 0/);
  });
});

describe('load pod labels', () => {
  it('reads key=value pairs and refuses labels a Service selects (its traffic would go to vegeta)', () => {
    assert.deepEqual(parseLabels('access=podinfo, app.kubernetes.io/part-of=shop'), { access: 'podinfo', 'app.kubernetes.io/part-of': 'shop' });
    assert.throws(() => parseLabels('access'), /write key=value pairs separated by commas/);
    const svc = (selector: Record<string, string>): KubeObject => ({ kind: 'Service', metadata: { name: 'podinfo' }, spec: { selector } });
    assert.doesNotThrow(() => checkLoadLabels({ access: 'podinfo' }, [svc({ 'app.kubernetes.io/name': 'podinfo' })]));
    assert.throws(() => checkLoadLabels({ 'app.kubernetes.io/name': 'podinfo', access: 'x' }, [svc({ 'app.kubernetes.io/name': 'podinfo' })]), /would be selected by service "podinfo" and receive its traffic/);
  });
});

/** The fake cluster plays the Job controller and the kubelet: pods appear, run, print, and exit. */
function jobWorld() {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  const recorder = createLoadRecorder();
  const journal: string[] = [];
  let nowMs = 1_800_000_000_000;
  const line = (t: number, code: number, pod: string) => JSON.stringify({ attack: 'stage-1', seq: 0, code, timestamp: new Date(t).toISOString(), latency: 3_000_000, bytes_out: 0, bytes_in: 20, error: code ? '' : 'Get "http://podinfo:9898/": dial tcp: connection refused', body: Buffer.from(`{"hostname":"${pod}"}`).toString('base64') });
  const podOf = (job: string, i: number, state: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${job}-${i}-x`, namespace: NS, labels: { [LOAD_LABEL]: job }, annotations: { 'batch.kubernetes.io/job-completion-index': String(i) } }, status: { phase: 'Running', containerStatuses: [{ name: 'vegeta', state }] } });
  return { cluster, recorder, journal, line, podOf, now: () => nowMs, advance(ms: number) { nowMs += ms; } };
}

describe('startClusterLoad', () => {
  it('journals the Job before creating it, follows every pod\'s log into the recorder and plans from the common start', async () => {
    const w = jobWorld();
    const start = startClusterLoad({
      client: w.cluster, namespace: NS, plan: plan(), pods: 2, labels: {}, recorder: w.recorder,
      offsetNow: () => 0, toOffset: (wall) => wall - 1_800_000_000_000, beforeCreate: (name) => { w.journal.push(`${name}:${w.cluster.all('Job', NS).length}`); }, leadMs: 3_000, now: w.now,
    });
    await new Promise((r) => setTimeout(r, 20));
    const job = w.cluster.all('Job', NS)[0]!;
    const name = String(job.metadata?.name);
    assert.deepEqual(w.journal, [`${name}:0`], 'journalled while no Job existed');
    for (const i of [0, 1]) w.cluster.put(w.podOf(name, i, { running: {} }));
    const run = await start;
    assert.equal(run.startedT, 3_000, 'the plan starts on the common start (a whole second)');
    for (const i of [0, 1]) {
      w.cluster.writeLog(NS, `${name}-${i}-x`, w.line(1_800_000_003_100 + i * 10, 200, `podinfo-${i}`));
      w.cluster.writeLog(NS, `${name}-${i}-x`, 'vegeta: some warning on stderr');
    }
    w.cluster.writeLog(NS, `${name}-1-x`, w.line(1_800_000_003_200, 0, ''));
    for (const i of [0, 1]) { w.cluster.endLog(NS, `${name}-${i}-x`); w.cluster.put(w.podOf(name, i, { terminated: { exitCode: 0 } })); }
    const end = await run.done;
    assert.equal(end.outcome, 'completed');
    const stats = w.recorder.stats();
    assert.equal(stats.requests, 3);
    assert.equal(stats.failed, 1);
    assert.deepEqual(stats.pods.map((p) => p.pod).sort(), ['podinfo-0', 'podinfo-1']);
    assert.equal(stats.plannedRequests, 40);
    assert.ok(end.notes.some((n) => /vegeta: some warning on stderr/.test(n)), 'lines that are not results are kept as notes');
  });

  it('a pod that cannot start fails the step with the cluster\'s reason and the fix', async () => {
    const w = jobWorld();
    const start = startClusterLoad({ client: w.cluster, namespace: NS, plan: plan(), pods: 1, labels: {}, recorder: w.recorder, offsetNow: () => 0, toOffset: (x) => x, beforeCreate: () => {}, leadMs: 3_000, now: w.now });
    await new Promise((r) => setTimeout(r, 20));
    const name = String(w.cluster.all('Job', NS)[0]?.metadata?.name);
    w.cluster.put(w.podOf(name, 0, { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "kubeproof/vegeta:v12.13.0" is not present' } }));
    await assert.rejects(start, (e: Error & { kind?: string }) => e.kind === 'error' && /the in-cluster load could not start: pod .* ErrImageNeverPull: .*bash testbed\/build-load-image\.sh/.test(e.message));
  });

  it('stopping early deletes the Job and cuts the plan; what was sent still counts', async () => {
    const w = jobWorld();
    const start = startClusterLoad({ client: w.cluster, namespace: NS, plan: plan([{ rate: 20, durationMs: 60_000 }]), pods: 1, labels: {}, recorder: w.recorder, offsetNow: () => 5_000, toOffset: (wall) => wall - 1_800_000_000_000, beforeCreate: () => {}, leadMs: 2_000, now: w.now });
    await new Promise((r) => setTimeout(r, 20));
    const name = String(w.cluster.all('Job', NS)[0]?.metadata?.name);
    w.cluster.put(w.podOf(name, 0, { running: {} }));
    const run = await start;
    w.cluster.writeLog(NS, `${name}-0-x`, w.line(1_800_000_002_500, 200, 'podinfo-0'));
    const stopping = run.stop();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(w.cluster.all('Job', NS), [], 'the Job is deleted');
    // Its pod got SIGTERM and exits; the fake's Job controller removes it.
    w.cluster.endLog(NS, `${name}-0-x`);
    await w.cluster.delete('Pod', `${name}-0-x`, NS);
    const end = await stopping;
    assert.equal(end.outcome, 'stopped');
    assert.equal(w.recorder.stats().requests, 1);
    assert.equal(w.recorder.stats().plannedRequests, 60, 'planned from the start (+2s) to the stop (+5s)');
  });
});

// The pod's own program, run here with the real busybox and vegeta against a local server (skipped without them).
const cache = process.env.KUBEPROOF_CACHE ?? '/var/cache/kubeproof';
const busybox = (() => {
  try { return readdirSync(join(cache, 'bin')).filter((d) => d.startsWith('busybox-static-')).map((d) => join(cache, 'bin', d, 'busybox')).find(existsSync); } catch { return undefined; }
})();
const vegeta = join(cache, 'bin', 'vegeta-v12.13.0', 'vegeta');
const skip = busybox && existsSync(vegeta) ? false : 'needs busybox-static and vegeta in the cache (bash testbed/build-load-image.sh --no-load)';

describe('LOAD_SCRIPT (busybox sh + vegeta)', { skip }, () => {
  it('waits for the common start, runs its share of each stage and prints one JSON result per request', async () => {
    const server = createServer((_req, res) => res.end('{"hostname":"local"}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const bin = mkdtempSync(join(tmpdir(), 'kp-loadpod-'));
    for (const applet of ['sh', 'date', 'sleep', 'mkfifo', 'rm']) symlinkSync(busybox!, join(bin, applet));
    symlinkSync(vegeta, join(bin, 'vegeta'));
    const start = Math.floor(Date.now() / 1000) + 2;
    const env = { PATH: bin, START: String(start), JOB_COMPLETION_INDEX: '1', STAGES_0: '1/1s@1000', STAGES_1: '10/1s@1000 20/1s@1000', TARGET: JSON.stringify({ method: 'GET', url: `http://127.0.0.1:${port}/` }), TIMEOUT_MS: '2000', KEEPALIVE: 'false', MAX_BODY: '64', WORKERS: '130' };
    const child = spawn(join(bin, 'sh'), ['-c', LOAD_SCRIPT.replaceAll('/tmp/results', join(bin, 'results'))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    server.close();
    assert.equal(code, 0);
    const samples = out.split('\n').filter(Boolean).map((l) => parseVegetaResult(l, (w) => w - start * 1000));
    assert.equal(samples.length, 30, 'share of pod 1: 10 + 20 requests');
    assert.ok(samples.every((s) => s && s.code === 200 && s.pod === 'local'));
    const first = Math.min(...samples.map((s) => s!.t));
    // Not before the common start, and not a whole second after it (the wait would be off by one); how
    // soon within that second depends on how busy this machine is, which is not this test's business.
    assert.ok(first >= 0 && first < 1000, `first request ${first} ms after the common start`);
  });
});
