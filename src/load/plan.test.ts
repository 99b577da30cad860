import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLoadPlan, describePlan, hostTargetUrl, LOAD_LIMITS, LoadInputError, parseRate, parseStageTable } from './plan.ts';

const inputError = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof LoadInputError, `expected a LoadInputError, got ${String(err)}`);
  assert.equal(err.kind, 'input');
  assert.ok(!err.message.includes('\n'), 'one line');
  assert.match(err.message, pattern);
  return true;
};

describe('hostTargetUrl', () => {
  it('builds http://127.0.0.1:<port><path>', () => {
    assert.equal(hostTargetUrl({ port: 30080 }), 'http://127.0.0.1:30080/');
    assert.equal(hostTargetUrl({ port: 30080, path: '/work?cpuMs=20' }), 'http://127.0.0.1:30080/work?cpuMs=20');
    assert.equal(hostTargetUrl({ url: 'http://127.0.0.1:30080/db' }), 'http://127.0.0.1:30080/db');
  });

  it('refuses every host but 127.0.0.1, naming the fix', () => {
    for (const url of ['http://10.0.0.1:30080/', 'http://localhost:30080/', 'http://example.com/', 'http://[::1]:30080/']) {
      assert.throws(() => hostTargetUrl({ url }), inputError(/127\.0\.0\.1 only/), url);
    }
    assert.throws(() => hostTargetUrl({ url: 'https://127.0.0.1:30443/' }), inputError(/plain HTTP/));
    assert.throws(() => hostTargetUrl({ url: 'http://user:pw@127.0.0.1:1/' }), inputError(/user or password/));
  });

  it('refuses paths that do not start with "/" or could smuggle another target', () => {
    assert.throws(() => hostTargetUrl({ port: 30080, path: 'work' }), inputError(/must start with "\/"/));
    assert.throws(() => hostTargetUrl({ port: 30080, path: '/a b' }), inputError(/percent-encode/));
    assert.throws(() => hostTargetUrl({ port: 30080, path: '/a\nGET http://10.0.0.1/' }), inputError(/percent-encode/));
    // "//host" after the port is still a path on 127.0.0.1, not a new authority.
    assert.equal(new URL(hostTargetUrl({ port: 30080, path: '//evil.example/x' })).hostname, '127.0.0.1');
  });

  it('refuses ports outside 1…65535', () => {
    for (const port of [0, 65_536, 1.5, Number.NaN]) assert.throws(() => hostTargetUrl({ port }), inputError(/between 1 and 65535/));
  });
});

describe('createLoadPlan', () => {
  it('plans one constant stage with the defaults (fresh connections, 2 s timeout)', () => {
    const plan = createLoadPlan({ port: 30080, rate: 50, durationMs: 180_000 });
    assert.deepEqual(plan, {
      url: 'http://127.0.0.1:30080/', stages: [{ rate: 50, durationMs: 180_000 }], totalMs: 180_000, plannedRequests: 9000,
      timeoutMs: 2000, connections: 'fresh', maxBodyBytes: 1024,
    });
  });

  it('plans stages back to back', () => {
    const plan = createLoadPlan({ port: 30080, stages: [{ rate: 20, durationMs: 30_000 }, { rate: 100, durationMs: 120_000 }] });
    assert.equal(plan.totalMs, 150_000);
    assert.equal(plan.plannedRequests, 600 + 12_000);
  });

  it('accepts the caps themselves: 5000 req/s and 15 minutes', () => {
    assert.equal(createLoadPlan({ port: 1, rate: LOAD_LIMITS.maxRate, durationMs: 1000 }).plannedRequests, 5000);
    assert.equal(createLoadPlan({ port: 1, rate: 1, durationMs: 15 * 60_000 }).totalMs, 900_000);
  });

  it('refuses rates outside (0, 5000] and durations over 15 minutes in total', () => {
    assert.throws(() => createLoadPlan({ port: 1, rate: 0, durationMs: 1000 }), inputError(/above 0/));
    assert.throws(() => createLoadPlan({ port: 1, rate: -3, durationMs: 1000 }), inputError(/above 0/));
    assert.throws(() => createLoadPlan({ port: 1, rate: 5001, durationMs: 1000 }), inputError(/above the limit of 5000: lower the rate/));
    assert.throws(() => createLoadPlan({ port: 1, stages: [{ rate: 10, durationMs: 10 * 60_000 }, { rate: 10, durationMs: 6 * 60_000 }] }), inputError(/16m00s, above the limit of 15 minutes: shorten it/));
    assert.throws(() => createLoadPlan({ port: 1, stages: [{ rate: 10, durationMs: 1000 }, { rate: 9000, durationMs: 1000 }] }), inputError(/^stage 2: /));
  });

  it('refuses a stage that sends less than one request, an empty table, and both forms at once', () => {
    assert.throws(() => createLoadPlan({ port: 1, rate: 0.5, durationMs: 1000 }), inputError(/less than one request/));
    assert.throws(() => createLoadPlan({ port: 1, stages: [] }), inputError(/empty/));
    assert.throws(() => createLoadPlan({ port: 1 }), inputError(/needs a rate and a duration/));
    assert.throws(() => createLoadPlan({ port: 1, rate: 1, durationMs: 1000, stages: [{ rate: 1, durationMs: 1000 }] }), inputError(/not both/));
  });

  it('bounds the requests a hanging backend can hold in flight (rate × timeout)', () => {
    assert.throws(() => createLoadPlan({ port: 1, rate: 5000, durationMs: 1000, timeoutMs: 3000 }), inputError(/15000 requests in flight, above 10000: lower the timeout or the rate/));
    assert.equal(createLoadPlan({ port: 1, rate: 5000, durationMs: 1000, timeoutMs: 2000 }).timeoutMs, 2000);
  });

  it('refuses unknown connection modes and silly timeouts', () => {
    assert.throws(() => createLoadPlan({ port: 1, rate: 1, durationMs: 1000, connections: 'pooled' as never }), inputError(/use fresh or keepalive/));
    assert.throws(() => createLoadPlan({ port: 1, rate: 1, durationMs: 1000, timeoutMs: 0 }), inputError(/timeout/));
  });
});

describe('parseRate', () => {
  it('reads the forms people write', () => {
    for (const [text, rate] of [['20', 20], ['20/s', 20], ['20 req/s', 20], ['20 rps', 20], ['20 requests per second', 20], ['0.5', 0.5]] as const) {
      assert.equal(parseRate(text), rate, text);
    }
    assert.throws(() => parseRate('fast'), inputError(/e\.g\. "20"/));
  });
});

describe('parseStageTable', () => {
  it('reads | rate | for | rows in order, whatever the column order', () => {
    assert.deepEqual(parseStageTable([['rate', 'for'], ['20', '30 seconds'], ['100/s', '2 minutes']]), [{ rate: 20, durationMs: 30_000 }, { rate: 100, durationMs: 120_000 }]);
    assert.deepEqual(parseStageTable([['for', 'rate'], ['30 s', '20']]), [{ rate: 20, durationMs: 30_000 }]);
  });

  it('names the bad row', () => {
    assert.throws(() => parseStageTable([['rate', 'for'], ['20', '30 seconds'], ['100', 'a while']]), inputError(/^stage 2 \(\| 100 \| a while \|\): cannot read the duration/));
    assert.throws(() => parseStageTable([['rps', 'time'], ['1', '1s']]), inputError(/needs the columns \| rate \| for \|/));
  });
});

describe('describePlan', () => {
  it('says what will be sent in one line', () => {
    const plan = createLoadPlan({ port: 30080, stages: [{ rate: 20, durationMs: 30_000 }, { rate: 2.5, durationMs: 120_000 }] });
    assert.equal(describePlan(plan), '20 req/s for 30.0s, then 2.5 req/s for 2m00s (900 requests; fresh connection per request, timeout 2.0s)');
  });
});
