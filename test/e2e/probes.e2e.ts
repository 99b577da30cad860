/** Probes end to end: a real app switched off in one real pod; real kubelet probes and EndpointSlices react. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, ownedNamespaces, runCli, runIdOf, waitUntil } from './helpers.ts';

interface Envelope { [key: string]: any }

const gone = (stderr: string) => waitUntil('the run\'s namespaces to be gone', 120_000, async () => ((await ownedNamespaces(runIdOf(stderr))).length === 0 ? true : undefined));

describe('probes', () => {
  it('readiness takes the pod out of the Service without a restart (dropped probe, and the app\'s own switch); liveness restarts it in place: PASS', async () => {
    const file = join(tmpdir(), `kubeproof-e2e-probes-${process.pid}.ndjson`);
    const result = await runCli(['features/self-healing/probes.feature', '--format', `message:${file}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const attachments: Envelope[] = attachmentsOf(file);
    const timelines = attachments.filter((a) => a.fileName === 'timeline.json').map((a) => JSON.parse(a.body).events as Envelope[]);
    const readiness = timelines.find((events) => events.some((e) => e.fault === 'readiness-off'));
    const liveness = timelines.find((events) => events.some((e) => e.fault === 'liveness-off'));
    assert.ok(readiness && liveness, 'both faults are on their timelines');
    assert.match(String(readiness.find((e) => e.fault === 'readiness-off')?.detail), /^kubelet's GET :4000\/ready from \S+ dropped in the pod's network namespace/, 'no help from the app');
    const switched = timelines.find((events) => events.some((e) => e.fault === 'readiness-off' && /^POST \/ready\?set=false from /.test(e.detail)));
    assert.ok(switched?.some((e) => e.kind === 'condition.met' && /no longer a ready endpoint of service web/.test(String(e.expectation))), 'the app\'s own switch still works');
    const unready = String(readiness.find((e) => e.fault === 'readiness-off')?.target).replace('pod/', '');
    assert.ok(readiness.some((e) => e.kind === 'k8s.pod' && e.name === unready && !e.ready), 'the kubelet marked the switched pod NotReady');
    assert.ok(readiness.some((e) => e.kind === 'condition.met' && /answers from the other pods: 20\/20 answered 2xx, 0 by /.test(e.expectation)), 'the Service kept answering from the others');
    assert.ok(attachments.some((a) => /^time to recover: \d+\.\ds$/.test(a.body ?? '')), 'the liveness restart reports its time to recover');
    await gone(result.stderr);
  });

  it('broken variants: no readiness probe, no liveness probe — both FAIL with what to add', async () => {
    const result = await runCli(['test/e2e/features/probes-broken/']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /FAIL {2}a pod without a readiness probe that stops being ready stays in the Service/);
    assert.match(out, /Received: ready endpoints: .*web-[a-z0-9]+-[a-z0-9]+ \(10\.244\./);
    assert.match(out, /Hint: +the container has no readinessProbe/);
    assert.match(out, /FAIL {2}a pod without a liveness probe that becomes unhealthy is never restarted/);
    assert.match(out, /Received: restartCount 0; /);
    assert.match(out, /Hint: +the container has no livenessProbe/);
    assert.match(out, /0 PASS, 2 FAIL/);
    await gone(result.stderr);
  });
});
