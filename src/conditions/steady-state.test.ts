import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceCause } from '../cluster/causes.ts';
import { kindOf } from '../failure/failure.ts';
import { baselineFromTimeline, checkSteadyState, describeBaseline } from './steady-state.ts';
import type { TimelineEvent } from '../timeline/events.ts';

describe('checkSteadyState', () => {
  // The broken copy "a Service whose selector matches no pod": 20 req/s, every request refused before the node was paused.
  const broken = {
    target: 'service/api (127.0.0.1:30080)', service: 'api', fault: 'node-pause',
    requests: 240, failed: 240, failures: [{ kind: 'connection refused', count: 240 }], fromT: 3_000, toT: 15_000, readyEndpoints: 0,
    cause: serviceCause({ kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'apii' } } }, [
      { kind: 'Pod', metadata: { name: 'api-1', labels: { app: 'api', 'pod-template-hash': 'x' } }, status: { phase: 'Running' } },
      { kind: 'Pod', metadata: { name: 'api-2', labels: { app: 'api', 'pod-template-hash': 'x' } }, status: { phase: 'Running' } },
    ]),
  };

  it('a Service with no ready endpoint: FAIL, the cause first and the baseline numbers in the message', () => {
    const err = checkSteadyState(broken);
    assert.ok(err);
    assert.equal(kindOf(err), 'fail');
    const lines = err.message.split('\n');
    assert.equal(lines[0], 'Cause:    service "api" selects no pod: selector app=apii matches none of the 2 pods (labels app=api ×2)');
    assert.equal(lines[1], 'expect(service/api (127.0.0.1:30080)).toBeHealthyBeforeTheFault() failed');
    assert.match(err.message, /\nReceived: the system was not healthy before the fault: 240\/240 failed \(100\.0 %: 240 connection refused\) from \+3\.0s to \+15\.0s; service "api" had 0 ready endpoints\n/);
    assert.match(err.message, /\nChecked: {2}the baseline before the node-pause fault/);
  });

  it('too many failures before the fault, endpoints unknown: FAIL with the rate', () => {
    const err = checkSteadyState({ target: 'service/api', requests: 100, failed: 12, failures: [{ kind: 'HTTP 5xx', count: 12 }] });
    assert.match(err?.message ?? '', /^expect\(service\/api\)\.toBeHealthyBeforeTheFault\(\) failed\n\nExpected: the system healthy before the fault: at most 5 % of the requests fail\nReceived: the system was not healthy before the fault: 12\/100 failed \(12\.0 %: 12 HTTP 5xx\)\n/);
  });

  it('no endpoint and no traffic yet: still FAIL, with a cause of its own', () => {
    const err = checkSteadyState({ target: 'service/api', service: 'api', requests: 0, failed: 0, readyEndpoints: 0 });
    assert.match(err?.message ?? '', /^Cause: {4}service "api" had no ready endpoint before the fault, so nothing could answer\n/);
  });

  it('a healthy baseline, a stray failure, or too few requests to judge: no verdict', () => {
    assert.equal(checkSteadyState({ target: 's', requests: 240, failed: 0, readyEndpoints: 3 }), undefined);
    assert.equal(checkSteadyState({ target: 's', requests: 240, failed: 2, readyEndpoints: 3 }), undefined);
    assert.equal(checkSteadyState({ target: 's', requests: 5, failed: 5 }), undefined);
    assert.equal(checkSteadyState({ target: 's', requests: 100, failed: 40 }, { maxErrorRate: 0.5, minRequests: 10 }), undefined);
  });
});

describe('describeBaseline', () => {
  it('says when nothing was sent', () => {
    assert.equal(describeBaseline({ target: 's', requests: 0, failed: 0 }), 'no requests were sent before the fault');
  });
});

describe('baselineFromTimeline', () => {
  const at = (t: number, e: Record<string, unknown>): TimelineEvent => ({ t, at: '', ...e }) as TimelineEvent;
  const target = 'service/api (127.0.0.1:30080)';
  const events: TimelineEvent[] = [
    at(2_000, { kind: 'load.started', target, detail: '20 req/s for 2m' }),
    ...[0, 1, 2, 3].map((second) => at(3_100 + second * 1000, { kind: 'load.second', target, second, requests: 20, errors: second === 3 ? 20 : 19 })),
  ];
  it('sums the seconds of the running load that ended before the fault', () => {
    assert.deepEqual(baselineFromTimeline(events, 5_500), { target, requests: 60, failed: 57, fromT: 2_000, toT: 5_500 });
    assert.equal(checkSteadyState({ ...baselineFromTimeline(events, 6_000)!, fault: 'node-pause' })?.kind, 'fail');
  });
  it('has no baseline without a running load', () => {
    assert.equal(baselineFromTimeline([], 5_000), undefined);
    assert.equal(baselineFromTimeline([...events, at(7_000, { kind: 'load.stopped', target })], 8_000), undefined);
  });
  it('judges only the first fault under a load: a second fault follows the first on purpose', () => {
    assert.equal(baselineFromTimeline([...events, at(6_500, { kind: 'fault.injected', fault: 'pod-kill', target: 'deployment/api' })], 8_000), undefined);
  });
});
