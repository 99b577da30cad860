import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSameProcess, spawnPipeline, waitForExit } from '../util/exec.ts';
import type { ProcessIdentity } from '../util/exec.ts';
import { judgeGenerator } from './honesty.ts';
import { createLoadPlan } from './plan.ts';
import type { LoadPlanInput } from './plan.ts';
import { createLoadRecorder } from './recorder.ts';
import type { LoadRecorder } from './recorder.ts';
import { defaultVegetaLookup, resolveVegeta } from './vegeta-binary.ts';
import { startVegetaLoad, vegetaAttackArgs, vegetaEnv, vegetaRate } from './vegeta-runner.ts';

describe('vegetaAttackArgs', () => {
  it('asks vegeta for a constant rate, bounded in time, never following redirects, with fresh connections by default', () => {
    const plan = createLoadPlan({ port: 30080, rate: 50, durationMs: 180_000 });
    assert.deepEqual(vegetaAttackArgs(plan, plan.stages[0]!, 0), [
      'attack', '-format=json', '-rate=50/1s', '-duration=180000ms', '-timeout=2000ms', '-keepalive=false', '-redirects=-1',
      '-max-body=1024', '-http2=false', '-max-workers=250', '-name=stage-1',
    ]);
    const keep = createLoadPlan({ port: 30080, rate: 2.5, durationMs: 4_000, connections: 'keepalive' });
    assert.ok(vegetaAttackArgs(keep, keep.stages[0]!, 1).includes('-keepalive=true'));
    assert.equal(vegetaRate(2.5), '2500/1000s');
    // Never more requests in flight than kind's port proxy can hold, whatever the rate.
    const heavy = createLoadPlan({ port: 30080, rate: 5000, durationMs: 6_000 });
    assert.ok(vegetaAttackArgs(heavy, heavy.stages[0]!, 0).includes('-max-workers=2000'));
  });

  it('drops proxy settings from vegeta’s environment', () => {
    assert.deepEqual(vegetaEnv({ PATH: '/bin', HTTP_PROXY: 'http://p:3128', https_proxy: 'x', NO_PROXY: '*', ALL_PROXY: 'y' }), { PATH: '/bin' });
  });
});

describe('startVegetaLoad (a binary that is not vegeta)', () => {
  it('ends the load as failed, saying it cannot read the results, instead of recording garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-fake-vegeta-'));
    try {
      // Writes JSON lines (what `vegeta encode` would print), not vegeta attack's gob stream.
      const fake = join(dir, 'vegeta');
      writeFileSync(fake, '#!/bin/sh\ncat > /dev/null\nfor i in 1 2 3 4 5 6 7 8 9 10; do echo \'{"code":200,"timestamp":"2026-11-30T02:08:33Z","latency":1}\'; done\n');
      chmodSync(fake, 0o755);
      const recorder = createLoadRecorder();
      const run = await startVegetaLoad({ plan: createLoadPlan({ port: 9, rate: 10, durationMs: 1_000 }), vegetaPath: fake, recorder, offsetNow: () => performance.now(), toOffset: (w) => w });
      const end = await run.done;
      assert.equal(end.outcome, 'failed');
      assert.match(end.notes.join('\n'), /^stage 1: cannot read vegeta's results \(.+\); is .+\/vegeta a vegeta v12\?$/m);
      assert.ok(end.undecodable > 0);
      assert.equal(recorder.count, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The rest runs the real vegeta against a local server; it is skipped (with the reason) where vegeta is
// neither on PATH nor in the testbed cache (unit tests never build it).
const found = await resolveVegeta({ ...defaultVegetaLookup({ say: () => {} }), hasGo: () => false });
const skip = found.ok ? false : `needs vegeta: ${found.reason}`;
const vegetaPath = found.ok ? found.path : '';

describe('startVegetaLoad (real vegeta)', { skip }, () => {
  let server: Server;
  let port = 0;
  let served = 0;
  let connections = 0;

  before(async () => {
    // Like kube-proxy, the "pod" is chosen once per connection.
    server = createServer((req, res) => {
      served++;
      const pod = (req.socket as unknown as { pod: string }).pod;
      res.setHeader('content-type', 'application/json');
      res.end(`{\n  "component": "test",\n  "pod": "${pod}"\n}\n`);
    });
    server.on('connection', (socket) => { (socket as unknown as { pod: string }).pod = `pod-${connections++ % 3}`; });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => { server.closeAllConnections(); server.close(); });

  const clock = (): { offsetNow: () => number; toOffset: (wallMs: number) => number } => {
    const wall0 = Date.now();
    const mono0 = performance.now();
    return { offsetNow: () => performance.now() - mono0, toOffset: (wallMs) => wallMs - wall0 };
  };

  const start = (input: Omit<LoadPlanInput, 'port'>, recorder: LoadRecorder = createLoadRecorder(), beforeStage?: (p: readonly ProcessIdentity[]) => void | Promise<void>) =>
    startVegetaLoad({ plan: createLoadPlan({ port, ...input }), vegetaPath, recorder, ...clock(), ...(beforeStage ? { beforeStage } : {}) });

  it('runs stages back to back and decodes every result, with the pods that answered', async () => {
    served = 0;
    const recorder = createLoadRecorder();
    const run = await start({ stages: [{ rate: 20, durationMs: 1_000 }, { rate: 40, durationMs: 1_000 }] }, recorder);
    const end = await run.done;
    assert.equal(end.outcome, 'completed', end.notes.join('; '));
    assert.equal(end.stagesStarted, 2);
    assert.equal(end.undecodable, 0);
    assert.equal(recorder.count, served, 'one result per request the server saw');
    const all = recorder.stats();
    assert.equal(all.plannedRequests, 60);
    assert.ok(all.requests >= 55 && all.requests <= 60, `${all.requests} requests`);
    assert.equal(all.failed, 0);
    assert.deepEqual(all.statusCodes.map((c) => c.code), [200]);
    assert.equal(all.distinctPods, 3, 'a fresh connection per request reaches every "pod"');
    assert.equal(judgeGenerator(all).saturated, false);
    assert.ok(run.processes().every((p) => p.comm === 'vegeta' && !isSameProcess(p)), 'all exited');
  });

  it('sends nothing until beforeStage has returned (the undo is journaled first)', async () => {
    served = 0;
    let servedWhenJournaled = -1;
    let journaled: readonly ProcessIdentity[] = [];
    const run = await start({ rate: 20, durationMs: 500 }, undefined, async (processes) => {
      journaled = processes;
      await new Promise((r) => setTimeout(r, 300)); // a slow journal write: vegeta must still wait
      servedWhenJournaled = served;
    });
    await run.done;
    assert.equal(servedWhenJournaled, 0);
    assert.deepEqual(journaled.map((p) => p.comm), ['vegeta']);
    assert.ok(served > 0);
  });

  it('stop() ends a long load early; what was sent counts and the plan is cut where it stopped', async () => {
    const recorder = createLoadRecorder();
    let reached: () => void = () => {};
    const tenResults = new Promise<void>((resolve) => { reached = resolve; });
    const counting: LoadRecorder = { ...recorder, add: (s) => { recorder.add(s); if (recorder.count >= 10) reached(); }, stats: recorder.stats, series: recorder.series, planStage: recorder.planStage, endPlanAt: recorder.endPlanAt, get count() { return recorder.count; }, get dropped() { return recorder.dropped; }, get planSpan() { return recorder.planSpan; } };
    const run = await start({ rate: 20, durationMs: 60_000 }, counting);
    await tenResults;
    const end = await run.stop();
    assert.equal(end.outcome, 'stopped', end.notes.join('; '));
    assert.ok(run.processes().every((p) => !isSameProcess(p)), 'vegeta is gone');
    const all = recorder.stats();
    assert.ok(all.requests >= 10 && all.requests < 100, `${all.requests} requests`);
    assert.ok(recorder.planSpan!.toT - recorder.planSpan!.fromT < 10_000, 'plan cut at the stop');
    assert.equal(judgeGenerator(all).saturated, false, judgeGenerator(all).reason);
    assert.equal(await run.stop(), end, 'idempotent');
  });

  it('opens one connection per request by default, and reuses a few with keep-alive', async () => {
    const fresh = createLoadRecorder();
    let c0 = connections;
    await (await start({ rate: 20, durationMs: 1_000 }, fresh)).done;
    assert.equal(connections - c0, fresh.count, 'fresh: one connection per request');
    const keep = createLoadRecorder();
    c0 = connections;
    await (await start({ rate: 20, durationMs: 1_000, connections: 'keepalive' }, keep)).done;
    assert.ok(connections - c0 <= keep.count / 4, `keep-alive: ${connections - c0} connections for ${keep.count} requests`);
  });

  it('counts a refused port as failures, not as a crash', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const recorder = createLoadRecorder();
    const run = await startVegetaLoad({ plan: createLoadPlan({ port: closedPort, rate: 20, durationMs: 500 }), vegetaPath, recorder, ...clock() });
    const end = await run.done;
    assert.equal(end.outcome, 'completed');
    const all = recorder.stats();
    assert.equal(all.failed, all.requests);
    assert.deepEqual(all.failures.map((f) => f.kind), ['connection refused']);
    assert.deepEqual(all.statusCodes, [{ code: 0, count: all.requests }]);
  });

  it('dies by itself when the runner is SIGKILLed (EPIPE on its output)', async (t) => {
    // A child runner starts a 60 s load and prints vegeta's identities; we then SIGKILL it.
    const modules = ['plan', 'recorder', 'vegeta-runner'].map((m) => pathToFileURL(new URL(`./${m}.ts`, import.meta.url).pathname).href);
    const script = `
      const [{ createLoadPlan }, { createLoadRecorder }, { startVegetaLoad }] = await Promise.all(${JSON.stringify(modules)}.map((m) => import(m)));
      const run = await startVegetaLoad({ plan: createLoadPlan({ port: ${port}, rate: 20, durationMs: 60000 }), vegetaPath: ${JSON.stringify(vegetaPath)},
        recorder: createLoadRecorder(), offsetNow: () => performance.now(), toOffset: (w) => w - Date.now() });
      console.log(JSON.stringify(run.processes()));`;
    let got: (p: ProcessIdentity[]) => void = () => {};
    const identities = new Promise<ProcessIdentity[]>((resolve) => { got = resolve; });
    const runner = await spawnPipeline([{ cmd: process.execPath, args: ['--input-type=module', '-e', script] }], { onLine: (line) => got(JSON.parse(line) as ProcessIdentity[]) });
    runner.writeStdin('');
    const vegeta = await identities;
    assert.ok(vegeta.every(isSameProcess), 'vegeta runs');
    runner.signal(0, 'SIGKILL');
    const killedAt = performance.now();
    await runner.exited;
    const left = await waitForExit(vegeta, 10_000);
    t.diagnostic(`orphaned vegeta exited ${(performance.now() - killedAt).toFixed(0)} ms after its runner was SIGKILLed (20 req/s)`);
    assert.deepEqual(left, [], 'vegeta is gone although its 60 s were not over');
  });
});
