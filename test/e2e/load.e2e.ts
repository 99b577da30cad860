/**
 * Load end to end: real vegeta through a real NodePort on 127.0.0.1 while real faults happen, judged by
 * phase; a generator that cannot keep up is INCONCLUSIVE; a killed run leaves no load generator behind.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentsOf, ROOT, runCli, runIdOf, startCli, timelineEvents, untilRunNamespacesGone, waitUntil } from './helpers.ts';

/** Live processes named vegeta whose parent is `parentPid`. */
function vegetaChildren(parentPid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return comm === 'vegeta' && ppid === parentPid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe('load during a fault', () => {
  it('a healthy Service: PASS; the summary splits the load into before / during / after recovery and names the pods that answered', async () => {
    const file = join(tmpdir(), `kubeproof-e2e-load-${process.pid}.ndjson`);
    const result = await runCli(['test/e2e/features/load/recovers.feature', '--format', `message:${file}`]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const summary = attachmentsOf(file).find((a) => a.fileName === 'load.txt')?.body as string | undefined;
    assert.ok(summary, 'the load summary is attached to the report');
    assert.match(summary, /^load on service\/web \(127\.0\.0\.1:30080\): 20 req\/s for 30\.0s \(600 requests; fresh connection per request, timeout 2\.0s\)/);
    assert.match(summary, /^whole load \(\+\d+\.\ds → \+\d+\.\ds\): \d{3} requests/m);
    assert.match(summary, /^before the fault \(/m);
    assert.match(summary, /^after recovery \(\+\d+\.\ds → \+\d+\.\ds\): \d+ requests, failed \(0\.0 %\)/m);
    // Fresh connections let kube-proxy spread the load: more than one pod answered.
    const pods = Number(/pods {6}(\d+) answered/.exec(summary)?.[1] ?? 0);
    assert.ok(pods >= 2, `at least 2 pods answered:\n${summary}`);
    const events = timelineEvents(file);
    assert.ok(events.some((e) => e.kind === 'load.started') && events.some((e) => e.kind === 'load.stopped'), 'the load window is on the timeline');
    assert.ok(events.some((e) => e.kind === 'marker' && /^steady state: 0\/\d+ failed/.test(e.label)), 'the steady state before the fault is on the timeline');
    assert.ok(events.filter((e) => e.kind === 'load.second').length >= 25, 'a per-second series feeds the chart');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('broken variant: a stray Ready pod behind the Service FAILS with the error rate after recovery and its reasons', async () => {
    const result = await runCli(['test/e2e/features/load/stray-pod.feature']);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout + result.stderr;
    assert.match(out, /FAIL {2}requests keep failing after the killed pod is replaced/);
    assert.match(out, /Expected: fewer than 1% of the requests sent after recovery \(\+\d+\.\ds → \+\d+\.\ds\) fail/);
    // Through docker's port forward on 127.0.0.1 a refused backend connection reaches the client as a reset or EOF.
    assert.match(out, /Received: \d+\/\d+ failed \(\d+\.\d %: \d+ (connection refused|connection reset|connection closed)/);
    assert.match(out, /Ready but do not answer/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });

  it('a rate the host cannot reach is INCONCLUSIVE with the achieved rate, never PASS', async () => {
    const result = await runCli(['test/e2e/features/load/generator-saturated.feature']);
    assert.equal(result.code, 0, `INCONCLUSIVE is not a failure of the system under test\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[1\/1\] \? INCONCLUSIVE {2}a rate the host cannot reach/, result.stdout);
    assert.match(result.stdout + result.stderr, /load generator saturated in "during the load" \(\+\d+\.\ds → \+\d+\.\ds\): \d+(\.\d)? req\/s sent of 5000 req\/s planned \(\d+ %/);
    assert.match(result.stderr, /1 scenario — 0 PASS, 0 FAIL, 1 INCONCLUSIVE, 0 ERROR/);
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});

describe('no load generator outlives its run', () => {
  it('SIGKILL during a load: vegeta exits by itself; --janitor finds nothing running and deletes the namespace', async () => {
    const run = startCli(['test/e2e/features/load/sigkill-during-load.feature']);
    const pids = await waitUntil('the scenario to start vegeta', 180_000, async () => {
      const found = vegetaChildren(run.child.pid ?? -1);
      return found.length ? found : undefined;
    });
    const runId = runIdOf(run.output());
    const journal = join(ROOT, '.kubeproof/journal', runId ?? 'none');
    // The undo is on disk before vegeta sends anything.
    assert.match(readdirSync(journal).map((f) => readFileSync(join(journal, f), 'utf8')).join('\n'), /"kind":"load\.stop"/);
    run.child.kill('SIGKILL');
    await run.done;
    const gone = Date.now();
    await waitUntil('vegeta to exit once nobody reads its results', 30_000, async () => (pids.some(alive) ? undefined : true));
    const orphanMs = Date.now() - gone;

    const janitor = await runCli(['--janitor']);
    assert.equal(janitor.code, 0, janitor.stderr);
    assert.match(janitor.stderr, /janitor: .*load/i, janitor.stderr);
    await untilRunNamespacesGone(runId);
    assert.equal(existsSync(journal), false, 'the dead run\'s journal is cleared');
    assert.ok(orphanMs < 30_000, `vegeta exited ${orphanMs} ms after its runner died`);
  });

  it('SIGINT during a load stops vegeta and exits 2', async () => {
    const run = startCli(['test/e2e/features/load/sigkill-during-load.feature']);
    const pids = await waitUntil('the scenario to start vegeta', 180_000, async () => {
      const found = vegetaChildren(run.child.pid ?? -1);
      return found.length ? found : undefined;
    });
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 2, result.stderr);
    assert.deepEqual(pids.filter(alive), [], 'no vegeta is left once the run has exited');
    await untilRunNamespacesGone(runIdOf(result.stderr));
  });
});
