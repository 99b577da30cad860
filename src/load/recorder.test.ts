import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLoadRecorder } from './recorder.ts';
import type { FailureKind, LoadSample } from './sample.ts';

const ok = (t: number, latencyMs = 5, pod?: string): LoadSample => ({ t, latencyMs, code: 200, ...(pod ? { pod } : {}) });
const bad = (t: number, failure: FailureKind, code = 0, error = `${failure} text`): LoadSample => ({ t, latencyMs: failure === 'timeout' ? 2000 : 3, code, failure, error });

/** A steady load: `rate` requests per second in [fromT, toT), each built by `make`. */
function steady(rate: number, fromT: number, toT: number, make: (t: number, i: number) => LoadSample): LoadSample[] {
  const out: LoadSample[] = [];
  for (let i = 0, t = fromT; t < toT; i++, t = fromT + (i * 1000) / rate) out.push(make(t, i));
  return out;
}

describe('createLoadRecorder', () => {
  it('splits a load into phases by send time: before, during and after a fault', () => {
    const r = createLoadRecorder();
    r.planStage(0, 50, 30_000);
    // 0–10 s fine; 10–12 s every request refused; 12–30 s fine again.
    for (const s of steady(50, 0, 30_000, (t) => (t >= 10_000 && t < 12_000 ? bad(t, 'connection refused') : ok(t)))) r.add(s);
    const before = r.stats(0, 10_000);
    const during = r.stats(10_000, 12_000);
    const after = r.stats(12_000, Number.POSITIVE_INFINITY);
    assert.deepEqual([before.requests, before.failed], [500, 0]);
    assert.deepEqual([during.requests, during.failed, during.errorRate], [100, 100, 1]);
    assert.deepEqual(during.failures.map((f) => [f.kind, f.count, f.example]), [['connection refused', 100, 'connection refused text']]);
    assert.equal(during.firstFailureT, 10_000);
    assert.equal(during.lastFailureT, 11_980);
    assert.deepEqual([after.requests, after.failed, after.toT], [900, 0, 30_000]);
    assert.equal(r.stats().requests, 1500);
  });

  it('puts a late answer in the slot of its send time, not of its arrival', () => {
    const r = createLoadRecorder();
    r.add(ok(20_000));
    r.add(bad(1_000, 'timeout')); // arrives last, sent early
    assert.equal(r.stats(0, 2_000).failed, 1);
    assert.equal(r.stats(19_000, 21_000).failed, 0);
  });

  it('counts failures by kind, commonest first, and status codes by code (0 = no response)', () => {
    const r = createLoadRecorder();
    r.add(ok(0));
    r.add(bad(100, 'HTTP 5xx', 503, '503 Service Unavailable'));
    r.add(bad(200, 'HTTP 5xx', 500, '500 Internal Server Error'));
    r.add(bad(300, 'timeout'));
    const s = r.stats();
    assert.deepEqual(s.failures, [{ kind: 'HTTP 5xx', count: 2, example: '503 Service Unavailable' }, { kind: 'timeout', count: 1, example: 'timeout text' }]);
    assert.deepEqual(s.statusCodes, [{ code: 0, count: 1 }, { code: 200, count: 1 }, { code: 500, count: 1 }, { code: 503, count: 1 }]);
  });

  it('gives latency percentiles of every request, failed ones included', () => {
    const r = createLoadRecorder();
    for (let i = 1; i <= 100; i++) r.add(ok(i * 10, i));
    const lat = r.stats().latencyMs!;
    assert.ok(Math.abs(lat.p50 - 50) <= 1.2, `p50 ${lat.p50}`);
    assert.ok(Math.abs(lat.p95 - 95) <= 2.2, `p95 ${lat.p95}`);
    assert.ok(Math.abs(lat.p99 - 99) <= 2.2, `p99 ${lat.p99}`);
    assert.equal(lat.max, 100);
    assert.equal(createLoadRecorder().stats().latencyMs, undefined);
  });

  it('counts the pods that answered, per phase', () => {
    const r = createLoadRecorder();
    for (const s of steady(10, 0, 10_000, (t, i) => ok(t, 5, t < 5_000 ? `api-${i % 3}` : 'api-0'))) r.add(s);
    r.add(ok(9_999)); // no pod named
    assert.equal(r.stats(0, 5_000).distinctPods, 3);
    assert.deepEqual(r.stats(5_000, 10_000).pods, [{ pod: 'api-0', count: 50 }]);
  });

  it('folds pods beyond maxPods into "(other pods)"', () => {
    const r = createLoadRecorder({ maxPods: 2 });
    ['a', 'b', 'c', 'd', 'a'].forEach((pod, i) => r.add(ok(i, 1, pod)));
    assert.deepEqual(r.stats().pods, [{ pod: '(other pods)', count: 2 }, { pod: 'a', count: 2 }, { pod: 'b', count: 1 }]);
  });

  it('compares achieved with planned rate over a window, stages included', () => {
    const r = createLoadRecorder();
    r.planStage(0, 20, 10_000);
    r.planStage(10_000, 100, 10_000);
    for (const s of steady(20, 0, 10_000, ok)) r.add(s);
    // The generator only managed 60 req/s in the second stage.
    for (const s of steady(60, 10_000, 20_000, ok)) r.add(s);
    const first = r.stats(0, 10_000);
    assert.deepEqual([first.plannedRequests, first.plannedRate, first.achievedRate], [200, 20, 20]);
    const second = r.stats(10_000, 20_000);
    assert.deepEqual([second.plannedRequests, second.plannedRate, second.achievedRate], [1000, 100, 60]);
    // An open window is clipped to the load, so the rate is not diluted by time after it.
    const all = r.stats(0, Number.POSITIVE_INFINITY);
    assert.deepEqual([all.toT, all.plannedRequests, all.achievedRate], [20_000, 1200, 40]);
  });

  it('cuts the plan where the load was stopped early', () => {
    const r = createLoadRecorder();
    r.planStage(1_000, 10, 60_000);
    for (const s of steady(10, 1_000, 5_000, ok)) r.add(s);
    r.endPlanAt(5_000);
    const s = r.stats();
    assert.deepEqual([s.fromT, s.toT, s.plannedRequests, s.achievedRate], [1_000, 5_000, 40, 10]);
    assert.deepEqual(r.planSpan, { fromT: 1_000, toT: 5_000 });
  });

  it('resolves phase edges to 100 ms slots', () => {
    const r = createLoadRecorder();
    r.add(ok(1_049));
    r.add(ok(1_051));
    assert.equal(r.stats(1_040, 2_000).requests, 2, 'edge 1040 rounds to 1000: the slot 1000–1100 is in');
    assert.equal(r.stats(1_060, 2_000).requests, 0, 'edge 1060 rounds to 1100: the slot 1000–1100 is out');
    assert.deepEqual([r.stats(1_040, 1_960).fromT, r.stats(1_040, 1_960).toT], [1_000, 1_100], 'without a plan, clipped to the data');
    r.planStage(0, 2, 10_000);
    assert.deepEqual([r.stats(1_040, 1_960).fromT, r.stats(1_040, 1_960).toT], [1_000, 2_000], 'with a plan, clipped to the plan');
  });

  it('gives a per-second series of requests, errors and p95', () => {
    const r = createLoadRecorder();
    for (const s of steady(10, 0, 3_000, (t) => (t >= 1_000 && t < 2_000 ? bad(t, 'timeout') : ok(t, 4)))) r.add(s);
    const series = r.series();
    assert.deepEqual(series.map((p) => [p.t, p.requests, p.errors]), [[0, 10, 0], [1_000, 10, 10], [2_000, 10, 0]]);
    assert.ok(Math.abs(series[0]!.p95Ms! - 4) < 0.1);
    assert.ok(Math.abs(series[1]!.p95Ms! - 2000) < 45);
    assert.deepEqual(r.series(1_000, 2_000).map((p) => p.t), [1_000]);
  });

  it('keeps memory bounded by time: slots beyond maxSlots are counted as dropped, not stored', () => {
    const r = createLoadRecorder({ maxSlots: 100 }); // 10 s
    for (const s of steady(100, 0, 20_000, ok)) r.add(s);
    assert.equal(r.count, 1000);
    assert.equal(r.dropped, 1000);
  });

  it('refuses a slot width that does not divide a second', () => {
    assert.throws(() => createLoadRecorder({ slotMs: 150 }), /divide 1000/);
  });
});

describe('createLoadRecorder rates', () => {
  it('measures rates over the part of the window the plan covers, not over whole slots', () => {
    const r = createLoadRecorder();
    r.planStage(12.3, 500, 10_000); // a stage starts between slot edges
    for (let k = 1; k < 5000; k++) r.add({ t: 12.3 + k * 2, latencyMs: 1, code: 200 });
    const s = r.stats();
    assert.deepEqual([s.fromT, s.toT], [0, 10_100]);
    assert.equal(s.plannedRate, 500);
    assert.ok(Math.abs(s.achievedRate - 499.9) < 1e-9, String(s.achievedRate));
  });
});
