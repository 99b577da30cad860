import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../cluster/types.ts';
import { ConditionError, InconclusiveError, InputError, KubeproofError } from '../failure/failure.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import { fakeScenarioDeps } from '../testing/scenario-deps.ts';
import { createTimeline } from '../timeline/timeline.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { parseDuration } from '../util/duration.ts';
import { createLoadOps } from './load.ts';
import type { LoadEngine } from './load.ts';
import type { LoadRunEnd, VegetaLoadOptions } from './vegeta-runner.ts';
import type { LoadRecorder } from './recorder.ts';
import { K6ThresholdError } from './k6-script.ts';

const NS = 'kp-abc123-s';
const dur = (text: string) => ({ ms: parseDuration(text), text });

function service(name: string, nodePort?: number): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { type: nodePort ? 'NodePort' : 'ClusterIP', ports: [{ port: 80, ...(nodePort ? { nodePort } : {}) }] } };
}

function endpoints(serviceName: string, ready: boolean[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `${serviceName}-abcde`, namespace: NS, labels: { 'kubernetes.io/service-name': serviceName } },
    endpoints: ready.map((r, i) => ({ addresses: [`10.244.1.${i + 10}`], conditions: { ready: r } })),
  } as KubeObject;
}

/**
 * A load world on a manual clock: the engine stands in for vegeta, so the test decides what was sent
 * and answered (`send`) and when the load ends (`end`); everything else — phases from the timeline,
 * judgements, honesty, the summary — is the real code.
 */
function world(options: { ready?: boolean[]; found?: boolean; firstAnswerMs?: number; published?: number[]; k6?: boolean; k6Failure?: KubeproofError } = {}) {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  cluster.put(service('web', 30080));
  cluster.put(service('db'));
  cluster.put(endpoints('web', options.ready ?? [true, true, true]));
  let now = 0;
  const timeline: Timeline = createTimeline({ now: () => now, wall: () => new Date(1_700_000_000_000 + now) });
  const published = options.published ?? [30080, 30101, 30102];
  const deps = { ...fakeScenarioDeps(cluster, NS, { nodes: { publishedPorts: async (c) => (c === 'kubeproof-control-plane' ? published : []) } }), timeline };
  let opts: VegetaLoadOptions | undefined;
  let k6Recorder: LoadRecorder | undefined;
  let finish: (end: LoadRunEnd) => void = () => {};
  let started = 0;
  const endWith = (outcome: LoadRunEnd['outcome']): LoadRunEnd => ({ outcome, startedT: started, endedT: now, stagesStarted: 1, undecodable: 0, notes: [] });
  const engine: LoadEngine = {
    firstAnswer: async () => ('firstAnswerMs' in options ? options.firstAnswerMs : 3),
    findK6: () => (options.k6 ? '/usr/local/bin/k6' : undefined),
    async startK6(o) {
      started = now;
      k6Recorder = o.recorder;
      o.beforeStart([]);
      const done = new Promise<LoadRunEnd>((res) => { finish = res; });
      return { startedT: now, processes: () => [], done, stop: async () => { const end = endWith('stopped'); finish(end); return end; }, failure: () => options.k6Failure };
    },
    find: async () => (options.found === false ? { ok: false, reason: 'vegeta (the load generator) is not installed: install Go' } : { ok: true, path: '/bin/true', source: 'path', version: 'v12.13.0' }),
    startInCluster: async () => { throw new Error('not in these tests'); },
    async start(o) {
      opts = o;
      started = now;
      for (const s of o.plan.stages) o.recorder.planStage(now, s.rate, s.durationMs);
      return {
        startedT: started,
        processes: () => [],
        done: new Promise<LoadRunEnd>((res) => { finish = res; }),
        stop: async () => { o.recorder.endPlanAt(now); const end = endWith('stopped'); finish(end); return end; },
      };
    },
  };
  const ops = createLoadOps(deps, engine);
  return {
    ops, timeline, cluster,
    /** Moves the clock to `t` ms. */
    at(t: number) { now = t; },
    /** `perSecond` requests a second sent in [fromMs, toMs), failing with `failure` (or answering 200). */
    send(fromMs: number, toMs: number, perSecond: number, failure?: 'connection refused' | 'timeout') {
      const count = Math.round(((toMs - fromMs) * perSecond) / 1000);
      for (let i = 0; i < count; i++) {
        const t = fromMs + (i * 1000) / perSecond;
        (opts?.recorder ?? k6Recorder)?.add({ t, latencyMs: failure === 'timeout' ? 2000 : 3, code: failure ? 0 : 200, ...(failure ? { failure, error: `Get "http://127.0.0.1:30080/": ${failure}` } : { pod: `web-${Math.floor(t / 100) % 3}` }) });
      }
    },
    end(atMs: number) { now = atMs; finish(endWith('completed')); },
  };
}

describe('createLoadOps', () => {
  it('starts a load on a Service\'s NodePort on 127.0.0.1 and refuses Services it cannot reach, naming the fix', async () => {
    const w = world();
    await assert.rejects(w.ops.start({ service: 'nope', rate: 20, duration: dur('30 seconds') }), (e: Error) => e instanceof InputError && /no service "nope" in namespace kp-abc123-s/.test(e.message));
    await assert.rejects(w.ops.start({ service: 'web', path: 'work', rate: 20, duration: dur('30 seconds') }), /the load path must start with "\/"/);
    assert.equal(w.timeline.last('load.started'), undefined, 'a refused load never starts');
    assert.equal(await w.ops.start({ service: 'web', rate: 20, duration: dur('30 seconds') }), 'load on service/web (127.0.0.1:30080): 20 req/s for 30.0s (600 requests; fresh connection per request, timeout 2.0s)');
    await assert.rejects(w.ops.start({ service: 'web', rate: 5, duration: dur('5 seconds') }), /a load already runs in this scenario/);
  });

  it('says when the target answered late or not at all before the load started', async () => {
    assert.match(await world({ firstAnswerMs: 4_200 }).ops.start({ service: 'web', rate: 20, duration: dur('30 seconds') }), /; first answer after 4\.2s$/);
    assert.match(await world({ firstAnswerMs: undefined }).ops.start({ service: 'web', rate: 20, duration: dur('30 seconds') }), /; it gave no answer within 30\.0s, so the load starts anyway$/);
  });

  it('refuses to start without vegeta, with the reason how to install it', async () => {
    const w = world({ found: false });
    await assert.rejects(w.ops.start({ service: 'web', rate: 20, duration: dur('30 seconds') }), /vegeta \(the load generator\) is not installed/);
  });

  it('judges the phases the timeline defines: failures during the fault do not count after recovery', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('30 seconds') });
    w.send(0, 10_000, 20);
    w.at(10_000);
    w.timeline.record({ kind: 'fault.injected', fault: 'pod-kill', target: 'pod/web-1', detail: '' } as never);
    w.send(10_000, 14_000, 20, 'connection refused');
    w.at(14_000);
    w.timeline.record({ kind: 'recovered', subject: 'deployment/web', detail: '3 ready' } as never);
    w.send(14_000, 30_000, 20);
    w.end(30_000);
    assert.match(await w.ops.expectErrorRate('after recovery', 1), /^after recovery: 0\/320 failed \(0\.0 %\)$/);
    await assert.rejects(w.ops.expectErrorRate('during the load', 1), (e: Error) => {
      assert.ok(e instanceof ConditionError, String(e));
      assert.match(e.message, /Expected: fewer than 1% of the requests sent during the load \(\+0\.0s → \+30\.0s\) fail/);
      assert.match(e.message, /Received: 80\/600 failed \(13\.3 %: 80 connection refused\)/);
      assert.match(e.message, /first at \+10\.0s, last at \+13\.9s/);
      assert.match(e.message, /connection refused \/ reset means no pod/);
      return true;
    });
    await assert.rejects(w.ops.expectErrorRate('during the fault', 0), /no request sent during the fault \(\+10\.0s → \+14\.0s\) fails/);
  });

  it('a fault "for T" that lifted itself ends "during the fault" at its lift when no recovery was awaited', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('30 seconds') });
    w.send(0, 10_000, 20);
    w.at(10_000);
    w.timeline.record({ kind: 'fault.injected', fault: 'network-partition', target: 'deployment/web', detail: '' } as never);
    w.send(10_000, 20_000, 20, 'timeout');
    w.at(20_000);
    w.timeline.record({ kind: 'fault.reverted', fault: 'network-partition', target: 'deployment/web', ok: true, detail: 'lifted after 10.0s' } as never);
    w.send(20_000, 30_000, 20);
    w.end(30_000);
    await assert.rejects(w.ops.expectErrorRate('during the fault', 1), /fewer than 1% of the requests sent during the fault \(\+10\.0s → \+20\.0s\) fail[\s\S]*Received: 200\/200 failed/);
    assert.match(await w.ops.expectP95('before the fault', 100), /^before the fault: p95 3\.\d ms/);
  });

  it('a phase the scenario never had is a mistake in the scenario, named with the fix', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('10 seconds') });
    w.send(0, 10_000, 20);
    w.end(10_000);
    await assert.rejects(w.ops.expectErrorRate('after recovery', 1), (e: Error) => e instanceof InputError && /no fault was injected while the load ran: put a fault step after the load step/.test(e.message));
    await assert.rejects(w.ops.expectErrorRate('during the rollout', 0), /no rollout started while the load ran/);
  });

  it('"no request fails during the rollout" looks at the last rollout action until its completion', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('40 seconds') });
    w.send(0, 5_000, 20);
    w.at(5_000);
    w.timeline.record({ kind: 'fault.injected', fault: 'set-image', target: 'deployment/web', detail: '' } as never);
    w.send(5_000, 15_000, 20, 'connection refused');
    w.at(20_000);
    w.timeline.record({ kind: 'recovered', subject: 'deployment/web', detail: '' } as never);
    w.send(15_000, 25_000, 20);
    w.at(25_000);
    w.timeline.record({ kind: 'fault.injected', fault: 'rollback', target: 'deployment/web', detail: '' } as never);
    w.send(25_000, 40_000, 20);
    w.at(35_000);
    w.timeline.record({ kind: 'recovered', subject: 'deployment/web', detail: '' } as never);
    w.end(40_000);
    // The rollback's window (+25 s → +35 s) is clean even though the first rollout failed requests.
    assert.match(await w.ops.expectErrorRate('during the rollout', 0), /^during the rollout: 0\/200 failed/);
    await assert.rejects(w.ops.expectErrorRate('during the scale', 0, 'web'), /no scale started while the load ran/);
    await assert.rejects(w.ops.expectErrorRate('during the scale', 0, 'api'), /the load of this scenario goes to service "web", not "api"/);
  });

  it('a saturated generator never turns a would-be PASS into a PASS: INCONCLUSIVE with the rate it reached', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 100, duration: dur('10 seconds') });
    w.send(0, 10_000, 60);
    w.end(10_000);
    await assert.rejects(w.ops.expectErrorRate('during the load', 1), (e: Error) => {
      assert.ok(e instanceof InconclusiveError, String(e));
      assert.match(e.message, /load generator saturated in "during the load" \(\+0\.0s → \+10\.0s\): 60\.0 req\/s sent of 100 req\/s planned \(60 %, 600 of 1000 requests\)/);
      return true;
    });
    await assert.rejects(w.ops.expectP95('during the load', 5000), InconclusiveError);
  });

  it('a p95 is not met when more than 5 % of the requests got no answer, however fast the refusals came', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 100, duration: dur('10 seconds') });
    w.send(0, 10_000, 100, 'connection refused');
    w.end(10_000);
    await assert.rejects(w.ops.expectP95('during the load', 3000), (e: Error) => {
      assert.ok(e instanceof ConditionError, String(e));
      assert.match(e.message, /Expected: p95 latency below 3000 ms/);
      assert.match(e.message, /1000 of 1000 requests got no answer \(more than 5 %\)/);
      return true;
    });
  });

  it('a FAIL stays a FAIL when the generator lagged but the system failed too', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 100, duration: dur('10 seconds') });
    w.send(0, 10_000, 60, 'connection refused');
    w.end(10_000);
    await assert.rejects(w.ops.expectErrorRate('during the load', 1), ConditionError);
  });

  it('too few requests cannot tell 1 % from 0 %: INCONCLUSIVE, with the fix', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 1, duration: dur('5 seconds') });
    w.send(0, 5_000, 1);
    w.end(5_000);
    await assert.rejects(w.ops.expectErrorRate('during the load', 1), /only 5 requests were sent during the load .*at least 10 are needed/);
  });

  it('the steady state before the fault: a healthy baseline passes and is marked on the timeline; a failing one FAILS', async () => {
    const ok = world();
    await ok.ops.start({ service: 'web', rate: 20, duration: dur('60 seconds') });
    ok.send(0, 12_000, 20);
    ok.at(12_000);
    assert.match(await ok.ops.expectSteady(dur('10 seconds')), /^steady for 10 seconds: 0\/200 failed/);
    assert.match(ok.timeline.last('marker')?.label ?? '', /^steady state: 0\/200 failed/);

    const broken = world();
    await broken.ops.start({ service: 'web', rate: 20, duration: dur('60 seconds') });
    broken.send(0, 12_000, 10);
    broken.send(50, 12_000, 10, 'connection refused');
    broken.at(12_000);
    await assert.rejects(broken.ops.expectSteady(dur('10 seconds')), (e: Error) => e instanceof ConditionError && /the system was not healthy before the fault: 100\/200 failed/.test(e.message));

    const noEndpoints = world({ ready: [false, false] });
    await noEndpoints.ops.start({ service: 'web', rate: 20, duration: dur('60 seconds') });
    noEndpoints.send(0, 12_000, 20, 'connection refused');
    noEndpoints.at(12_000);
    await assert.rejects(noEndpoints.ops.expectSteady(dur('10 seconds')), /Cause: {4}service "web" had no ready endpoint before the fault, so nothing could answer/);
  });

  it('"the load is steady" after a fault is a mistake in the scenario', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('60 seconds') });
    w.at(5_000);
    w.timeline.record({ kind: 'fault.injected', fault: 'pod-kill', target: 'pod/web-1', detail: '' } as never);
    await assert.rejects(w.ops.expectSteady(dur('5 seconds')), /judges the load before any fault: put it before the fault step/);
  });

  it('puts every second of the load on the timeline once, and the load\'s end when it ends by itself', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('5 seconds') });
    w.send(0, 5_000, 20);
    w.end(5_000);
    await new Promise((res) => setImmediate(res));
    assert.match(w.timeline.last('load.stopped')?.detail ?? '', /^completed: 0\/100 failed/);
    const summary = await w.ops.finish();
    const seconds = w.timeline.events().filter((e) => e.kind === 'load.second');
    assert.deepEqual(seconds.map((e) => [e.second, e.requests, e.errors]), [[0, 20, 0], [1, 20, 0], [2, 20, 0], [3, 20, 0], [4, 20, 0]]);
    assert.match(summary ?? '', /^whole load \(\+0\.0s → \+5\.0s\): 100 requests/m);
    assert.match(summary ?? '', /pods {6}3 answered/);
  });

  it('"the load stops" ends it early; what was sent is judged without calling the generator saturated', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('60 seconds') });
    w.send(0, 10_000, 20);
    w.at(10_000);
    assert.match(await w.ops.stop(), /^load stopped \(stopped\): 0\/200 failed/);
    assert.match(await w.ops.expectErrorRate('during the load', 0.5), /^during the load: 0\/200 failed/);
  });

  it('a failure while the load still runs summarises what is settled so far, without calling the unsent rest "missed"', async () => {
    const w = world();
    await w.ops.start({ service: 'web', rate: 20, duration: dur('2 minutes') });
    w.send(0, 5_000, 20);
    w.at(5_000);
    w.timeline.record({ kind: 'fault.injected', fault: 'set-image', target: 'deployment/web', detail: '' } as never);
    w.send(5_000, 8_000, 20, 'timeout');
    w.send(8_000, 12_000, 20);
    w.at(9_000);
    w.timeline.record({ kind: 'recovered', subject: 'deployment/web', detail: '' } as never);
    w.at(12_000);
    await assert.rejects(w.ops.expectErrorRate('during the rollout', 0), (e: Error) => {
      assert.match(e.message, /Received: 60\/80 failed \(75\.0 %: 60 timeout\)/);
      assert.match(e.message, /load so far \(\+0\.0s → \+9\.5s\): 190 requests/);
      assert.doesNotMatch(e.message, /SATURATED/);
      // The set-image is both the first "fault" and the rollout: one phase, named for what it is.
      assert.match(e.message, /during the rollout \(\+5\.0s → \+9\.0s\)/);
      assert.doesNotMatch(e.message, /during the fault/);
      return true;
    });
  });

  it('a user\'s k6 script: refused without k6 or without the script; its requests are judged by phase; failed thresholds FAIL', async () => {
    await assert.rejects(world().ops.start({ service: 'web', k6Script: 'package.json' }), /k6 is not installed/);
    await assert.rejects(world({ k6: true }).ops.start({ service: 'web', k6Script: 'load/nope.js' }), /the k6 script "load\/nope\.js" does not exist/);

    const ok = world({ k6: true });
    assert.match(await ok.ops.start({ service: 'web', k6Script: 'package.json' }), /^load on service\/web \(127\.0\.0\.1:30080\): k6 script package\.json \(its own schedule, BASE_URL=http:\/\/127\.0\.0\.1:30080\)$/);
    ok.send(0, 10_000, 7);
    ok.end(10_000);
    assert.match(await ok.ops.expectK6Thresholds(), /^k6 thresholds passed: 0\/70 failed/);
    // No plan: a script is never called a saturated generator for its rate.
    assert.match(await ok.ops.expectErrorRate('during the load', 1), /^during the load: 0\/70 failed/);
    assert.match(await ok.ops.finish() ?? '', /^load on service\/web \(127\.0\.0\.1:30080\): k6 script package\.json/);

    // A ClusterIP Service: k6 goes through the same journalled mirror NodePort as vegeta from this machine.
    const clusterIp = world({ k6: true });
    clusterIp.cluster.put({ ...service('db'), spec: { type: 'ClusterIP', selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432 }] } });
    assert.match(await clusterIp.ops.start({ service: 'db', k6Script: 'package.json' }), /^load on service\/db \(127\.0\.0\.1:30101, through NodePort Service kp-load-db\): k6 script package\.json \(its own schedule, BASE_URL=http:\/\/127\.0\.0\.1:30101\)/);

    const failing = world({ k6: true, k6Failure: new K6ThresholdError(['http_req_duration']) });
    await failing.ops.start({ service: 'web', k6Script: 'package.json' });
    failing.end(5_000);
    await assert.rejects(failing.ops.expectK6Thresholds(), (e: Error & { kind?: string }) => e.kind === 'fail' && /k6 thresholds failed on http_req_duration/.test(e.message));
  });
});
