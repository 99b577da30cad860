import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeGenerator } from './honesty.ts';
import { createLoadRecorder } from './recorder.ts';
import type { LoadRecorder } from './recorder.ts';

/** A 100 req/s plan over 10 s of which `sentPerSecond` were really sent. */
function load(sentPerSecond: number, failure?: 'local ports exhausted'): LoadRecorder {
  const r = createLoadRecorder();
  r.planStage(0, 100, 10_000);
  for (let i = 0; i < sentPerSecond * 10; i++) {
    const t = (i * 1000) / sentPerSecond;
    r.add(failure && i % 10 === 0 ? { t, latencyMs: 0.1, code: 0, failure, error: 'connect: cannot assign requested address' } : { t, latencyMs: 3, code: 200 });
  }
  return r;
}

describe('judgeGenerator', () => {
  it('calls a generator that sent 94 % of the plan saturated, with the numbers', () => {
    const v = judgeGenerator(load(94).stats(), 'during the fault');
    assert.equal(v.saturated, true);
    assert.equal(v.requests, 940);
    assert.equal(v.plannedRequests, 1000);
    assert.equal(v.ratio, 0.94);
    assert.equal(v.reason, 'load generator saturated in "during the fault" (+0.0s → +10.0s): 94.0 req/s sent of 100 req/s planned (94 %, 940 of 1000 requests), so the result cannot be trusted: lower the rate or free this machine\'s CPU');
  });

  it('lets a generator that sent 96 % pass, and forgives the request or two missing at a window’s edges', () => {
    assert.equal(judgeGenerator(load(96).stats()).saturated, false);
    const r = createLoadRecorder();
    r.planStage(0, 10, 2_000);
    for (let i = 1; i < 19; i++) r.add({ t: i * 100, latencyMs: 1, code: 200 }); // 18 of 20
    assert.equal(judgeGenerator(r.stats()).saturated, false);
  });

  it('calls failures of the sending machine itself saturation even at the planned rate', () => {
    const v = judgeGenerator(load(100, 'local ports exhausted').stats());
    assert.equal(v.saturated, true);
    assert.equal(v.generatorFailures, 100);
    assert.match(v.reason ?? '', /100 requests failed on this machine itself \(100 local ports exhausted\)/);
  });

  it('never judges the rate of a window without a plan', () => {
    const r = createLoadRecorder();
    r.add({ t: 0, latencyMs: 1, code: 200 });
    const v = judgeGenerator(r.stats());
    assert.deepEqual([v.saturated, v.ratio, v.reason], [false, undefined, undefined]);
  });
});
