import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyFailure, describeStats, phaseStats, startSteadyTraffic } from './steady-traffic.ts';
import type { TrafficSample } from './steady-traffic.ts';
import { phasesOf } from './traffic.ts';

const sample = (t: number, ok: boolean, outcome = ok ? 'HTTP 200' : 'timeout'): TrafficSample => ({ t, ms: 1, ok, outcome });

describe('startSteadyTraffic', () => {
  it('sends rate × duration requests to a real local server and stops by itself', async () => {
    let served = 0;
    // Every fourth request gets a 503, so failures are counted from real responses.
    const server = createServer((_req, res) => { served++; res.statusCode = served % 4 === 0 ? 503 : 200; res.end('ok'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const traffic = startSteadyTraffic({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, perSecond: 40, durationMs: 500, requestTimeoutMs: 1_000, offsetNow: () => Date.now() - started });
    const samples = await traffic.done;
    server.close();
    assert.equal(samples.length, 20);
    assert.equal(served, 20);
    assert.equal(samples.filter((s) => !s.ok).length, 5);
    assert.ok(samples.filter((s) => !s.ok).every((s) => s.outcome === 'HTTP 503'));
    // Open model: sending is spread over the duration, not burst at the start.
    assert.ok(samples.at(-1)!.t >= 400, `last request sent at ${samples.at(-1)!.t}ms`);
  });

  it('counts a backend that never answers as timeouts instead of slowing down', async () => {
    const server = createServer(() => { /* never answers, like a paused node */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const traffic = startSteadyTraffic({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, perSecond: 20, durationMs: 300, requestTimeoutMs: 100, offsetNow: () => Date.now() - started });
    const samples = await traffic.done;
    server.closeAllConnections();
    server.close();
    assert.equal(samples.length, 6);
    assert.ok(samples.every((s) => !s.ok && s.outcome === 'timeout'), JSON.stringify(samples));
  });

  it('names refused connections by their code', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    server.close();
    const started = Date.now();
    const samples = await startSteadyTraffic({ url: `http://127.0.0.1:${port}/`, perSecond: 10, durationMs: 200, requestTimeoutMs: 500, offsetNow: () => Date.now() - started }).done;
    assert.deepEqual([...new Set(samples.map((s) => s.outcome))], ['ECONNREFUSED']);
    assert.equal(classifyFailure(Object.assign(new Error('x'), { name: 'TimeoutError' })), 'timeout');
  });

  it('stop() ends sending early', async () => {
    const server = createServer((_q, res) => res.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const traffic = startSteadyTraffic({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, perSecond: 50, durationMs: 60_000, requestTimeoutMs: 500, offsetNow: () => Date.now() - started });
    setTimeout(() => traffic.stop(), 200);
    const samples = await traffic.done;
    server.close();
    assert.ok(samples.length > 0 && samples.length < 30, `${samples.length} requests`);
  });
});

describe('phases', () => {
  const samples = [sample(0, true), sample(100, true), sample(200, false), sample(300, false), sample(400, true), sample(500, true), sample(600, false, 'HTTP 502')];

  it('splits requests into before the fault, during it, and after recovery', () => {
    const p = phasesOf({ samples, startedT: 0 }, 150, 450);
    assert.deepEqual([p.before.requests, p.before.failed], [2, 0]);
    assert.deepEqual([p.during?.requests, p.during?.failed], [3, 2]);
    assert.deepEqual([p.after?.requests, p.after?.failed], [2, 1]);
    assert.equal(describeStats(p.after!), '1/2 failed (50.0%: 1 HTTP 502)');
  });

  it('has no "after" phase without a recovery, and one phase without a fault', () => {
    assert.equal(phasesOf({ samples, startedT: 0 }, 150, undefined).after, undefined);
    const none = phasesOf({ samples, startedT: 0 }, undefined, undefined);
    assert.equal(none.during, undefined);
    assert.equal(none.before.requests, 7);
    assert.equal(phaseStats([], 0, 1).errorRate, 0);
  });
});
