import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLoadPlan } from './plan.ts';
import { createLoadRecorder } from './recorder.ts';
import { describeLoadStats, formatLatency, formatLoadSummary, formatProgress } from './summary.ts';

function scenario() {
  const plan = createLoadPlan({ port: 30080, rate: 10, durationMs: 30_000 });
  const recorder = createLoadRecorder();
  recorder.planStage(0, 10, 30_000);
  for (let i = 0; i < 300; i++) {
    const t = i * 100;
    if (t >= 10_000 && t < 12_000) recorder.add({ t, latencyMs: 2000, code: 0, failure: 'timeout', error: 'Get "http://127.0.0.1:30080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)' });
    else if (t >= 12_000 && t < 13_000) recorder.add({ t, latencyMs: 4, code: 503, failure: 'HTTP 5xx', error: '503 Service Unavailable', pod: 'api-b' });
    else recorder.add({ t, latencyMs: 4, code: 200, pod: i % 2 ? 'api-a' : 'api-b' });
  }
  return { plan, recorder };
}

describe('formatLoadSummary', () => {
  it('shows the plan, the whole load and each phase with rates, latency, codes, errors and pods', () => {
    const { plan, recorder } = scenario();
    const text = formatLoadSummary({ target: 'service/api (127.0.0.1:30080)', plan, recorder, phases: [
      { name: 'before the fault', fromT: 0, toT: 10_000 },
      { name: 'during the fault', fromT: 10_000, toT: 13_000 },
      { name: 'after recovery', fromT: 13_000, toT: Number.POSITIVE_INFINITY },
    ] });
    assert.equal(text, [
      'load on service/api (127.0.0.1:30080): 10 req/s for 30.0s (300 requests; fresh connection per request, timeout 2.0s)',
      '  target    http://127.0.0.1:30080/',
      '',
      'whole load (+0.0s → +30.0s): 300 requests, failed (10.0 %: 20 timeout, 10 HTTP 5xx)',
      '  rate      planned 10.0 req/s, achieved 10.0 req/s (100.0 %)',
      '  latency   p50 4.09 ms, p95 2.00 s, p99 2.00 s, max 2.00 s',
      '  status    no response × 20, 200 × 270, 503 × 10',
      '  errors    20 timeout, 10 HTTP 5xx',
      '  pods      2 answered (api-b 145, api-a 135)',
      '  failures  first at +10.0s, last at +12.9s',
      '',
      'before the fault (+0.0s → +10.0s): 100 requests, failed (0.0 %)',
      '  rate      planned 10.0 req/s, achieved 10.0 req/s (100.0 %)',
      '  latency   p50 4.00 ms, p95 4.00 ms, p99 4.00 ms, max 4.00 ms',
      '  status    200 × 100',
      '  pods      2 answered (api-a 50, api-b 50)',
      '',
      'during the fault (+10.0s → +13.0s): 30 requests, failed (100.0 %: 20 timeout, 10 HTTP 5xx)',
      '  rate      planned 10.0 req/s, achieved 10.0 req/s (100.0 %)',
      '  latency   p50 2.00 s, p95 2.00 s, p99 2.00 s, max 2.00 s',
      '  status    no response × 20, 503 × 10',
      '  errors    20 timeout, 10 HTTP 5xx',
      '  pods      1 answered (api-b 10)',
      '  failures  first at +10.0s, last at +12.9s',
      '',
      'after recovery (+13.0s → +30.0s): 170 requests, failed (0.0 %)',
      '  rate      planned 10.0 req/s, achieved 10.0 req/s (100.0 %)',
      '  latency   p50 4.00 ms, p95 4.00 ms, p99 4.00 ms, max 4.00 ms',
      '  status    200 × 170',
      '  pods      2 answered (api-a 85, api-b 85)',
      '',
      'error examples:',
      '  timeout: Get "http://127.0.0.1:30080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      '  HTTP 5xx: 503 Service Unavailable',
    ].join('\n'));
  });

  it('says so when the generator fell behind', () => {
    const plan = createLoadPlan({ port: 30080, rate: 100, durationMs: 10_000 });
    const recorder = createLoadRecorder();
    recorder.planStage(0, 100, 10_000);
    for (let i = 0; i < 500; i++) recorder.add({ t: i * 20, latencyMs: 1, code: 200 });
    const text = formatLoadSummary({ target: 'service/api', plan, recorder, notes: ['stopped early at +10.0s'] });
    assert.match(text, /note {6}stopped early at \+10\.0s/);
    assert.match(text, /achieved 50\.0 req\/s \(50\.0 %\) — GENERATOR SATURATED/);
    assert.match(text, /load generator saturated in "whole load" \(\+0\.0s → \+10\.0s\): 50\.0 req\/s sent of 100 req\/s planned/);
  });
});

describe('formatProgress', () => {
  it('gives elapsed/total, the recent rate against the plan, errors, p95 and pods in one line', () => {
    const { plan, recorder } = scenario();
    assert.equal(formatProgress({ recorder, plan, startedT: 0, nowT: 14_000 }),
      'load 14.0s/30.0s: 10.0 req/s (planned 10.0), 30 errors (60.0 %) in the last 5.0s, p95 2.00 s, 2 pods');
  });

  it('reads sensibly in the first second', () => {
    const plan = createLoadPlan({ port: 30080, rate: 10, durationMs: 30_000 });
    const recorder = createLoadRecorder();
    recorder.planStage(0, 10, 30_000);
    assert.equal(formatProgress({ recorder, plan, startedT: 0, nowT: 500 }), 'load 500ms/30.0s: 0.0 req/s (planned 0.0), 0 errors in the last 0ms');
  });
});

describe('describeLoadStats / formatLatency', () => {
  it('summarises a window in one line and prints latencies with sensible precision', () => {
    const { recorder } = scenario();
    assert.equal(describeLoadStats(recorder.stats(10_000, 13_000)), '30/30 failed (100.0 %: 20 timeout, 10 HTTP 5xx)');
    assert.equal(describeLoadStats(createLoadRecorder().stats()), 'no requests');
    assert.deepEqual([0.423, 12.34, 123.4, 2000].map(formatLatency), ['0.42 ms', '12.3 ms', '123 ms', '2.00 s']);
  });
});
