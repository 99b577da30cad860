import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSameProcess } from '../util/exec.ts';
import type { ProcessIdentity } from '../util/exec.ts';
import { createK6Decoder, crossedThresholds, findK6, K6_MISSING, K6RunError, k6RunArgs, K6ThresholdError, runK6Script } from './k6-script.ts';
import { createLoadRecorder } from './recorder.ts';
import type { LoadSample } from './sample.ts';

// Written by us in k6's documented JSON output format (results-output/real-time/json): three requests
// (200, 503, a timeout), one refused connection, other metrics' points, and a torn last line.
const SAMPLE = join(import.meta.dirname, 'testdata', 'k6-output.jsonl');
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

function decodeSample(): LoadSample[] {
  const out: LoadSample[] = [];
  const d = createK6Decoder((wall) => wall - T0, (s) => out.push(s));
  for (const line of readFileSync(SAMPLE, 'utf8').split('\n')) d.push(line);
  d.end();
  return out;
}

describe('createK6Decoder', () => {
  it('turns the http_req_* points of each request into one sample sent at end − duration − blocked', () => {
    const [ok, unavailable, timeout, refused, ...rest] = decodeSample();
    assert.deepEqual(rest, []);
    assert.deepEqual(ok, { t: 1105 - 4.5 - 0.5, latencyMs: 5, code: 200 });
    assert.deepEqual(unavailable, { t: 2208 - 8, latencyMs: 8, code: 503, failure: 'HTTP 5xx', error: 'HTTP 503' });
    assert.deepEqual(timeout, { t: 5000 - 2000, latencyMs: 2000, code: 0, failure: 'timeout', error: 'request timeout' });
    assert.equal(refused?.failure, 'connection refused');
    assert.ok(Math.abs(refused!.t - (6000 - 0.7)) < 1e-3);
  });

  it('feeds the same recorder as vegeta’s results', () => {
    const r = createLoadRecorder();
    for (const s of decodeSample()) r.add(s);
    const s = r.stats();
    assert.equal(s.requests, 4);
    assert.deepEqual(s.failures.map((f) => [f.kind, f.count]), [['HTTP 5xx', 1], ['connection refused', 1], ['timeout', 1]], 'ties by name');
    assert.equal(s.plannedRequests, undefined, 'a user script has no plan of ours');
  });
});

describe('crossedThresholds', () => {
  it('reads the metric names from k6’s message', () => {
    assert.deepEqual(crossedThresholds(`time="2026-11-30T10:00:10Z" level=error msg="thresholds on metrics 'http_req_duration, http_req_failed' have been crossed"`), ['http_req_duration', 'http_req_failed']);
    assert.deepEqual(crossedThresholds(`level=error msg="thresholds on metrics 'checks' were breached; at least one has abortOnFail enabled, stopping test prematurely"`), ['checks']);
    assert.deepEqual(crossedThresholds('all good'), []);
  });
});

describe('k6RunArgs', () => {
  it('passes BASE_URL, writes JSON output, sends no usage report and blocks every address but 127.0.0.0/8', () => {
    const args = k6RunArgs('load/api.js', 'http://127.0.0.1:30080', '/tmp/out.json');
    assert.deepEqual(args.slice(0, 4), ['run', '--no-usage-report', '--out=json=/tmp/out.json', '--env=BASE_URL=http://127.0.0.1:30080']);
    assert.equal(args.at(-1), 'load/api.js');
    const blocked = args.filter((a) => a.startsWith('--blacklist-ip=')).map((a) => a.slice('--blacklist-ip='.length));
    // The IPv4 ranges cover 2^32 − 2^24 addresses: everything but 127.0.0.0/8.
    const size = blocked.filter((c) => c.includes('.')).reduce((n, c) => n + 2 ** (32 - Number(c.split('/')[1])), 0);
    assert.equal(size, 2 ** 32 - 2 ** 24);
    assert.ok(blocked.every((c) => !c.startsWith('127.')));
    assert.ok(blocked.includes('::/0'));
  });
});

describe('runK6Script', () => {
  /** A stand-in k6 (a shell script): copies the sample to --out=json=<file>, prints `say` and exits `code`. */
  function fakeK6(dir: string, code: number, say: string): string {
    const path = join(dir, 'k6');
    writeFileSync(path, `#!/bin/sh
for a in "$@"; do case "$a" in --out=json=*) cp "${SAMPLE}" "\${a#--out=json=}";; esac; done
cat >&2 <<'SAID'
${say}
SAID
exit ${code}
`);
    chmodSync(path, 0o755);
    return path;
  }

  it('records every request and resolves when k6 passed, after beforeStart saw k6’s identity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-k6-'));
    try {
      const recorder = createLoadRecorder();
      let seen: readonly ProcessIdentity[] = [];
      const end = await runK6Script({ script: 'x.js', port: 30080, recorder, toOffset: (w) => w - T0, outFile: join(dir, 'out.json'), k6Path: fakeK6(dir, 0, 'done'), beforeStart: (p) => { seen = p; } });
      assert.equal(end.samples, 4);
      assert.equal(recorder.count, 4);
      assert.deepEqual(seen.map((p) => p.comm), ['k6']);
      assert.equal(isSameProcess(seen[0]!), false, 'exited');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps exit code 99 to a K6ThresholdError naming the thresholds, with the samples recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-k6-'));
    try {
      const recorder = createLoadRecorder();
      const k6Path = fakeK6(dir, 99, `level=error msg="thresholds on metrics 'http_req_duration' have been crossed"`);
      await assert.rejects(runK6Script({ script: 'x.js', port: 30080, recorder, toOffset: (w) => w - T0, outFile: join(dir, 'out.json'), k6Path }), (err: unknown) => {
        assert.ok(err instanceof K6ThresholdError);
        assert.equal(err.kind, 'fail');
        assert.deepEqual(err.thresholds, ['http_req_duration']);
        assert.equal(err.message, 'k6 thresholds failed on http_req_duration');
        return true;
      });
      assert.equal(recorder.count, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps other exit codes to a K6RunError saying what k6 said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-k6-'));
    try {
      const k6Path = fakeK6(dir, 107, 'ReferenceError: hhtp is not defined');
      await assert.rejects(runK6Script({ script: 'x.js', port: 30080, recorder: createLoadRecorder(), toOffset: (w) => w, outFile: join(dir, 'out.json'), k6Path }),
        (err: unknown) => err instanceof K6RunError && err.kind === 'error' && err.message === 'k6 exited with code 107 (the script threw an exception): ReferenceError: hhtp is not defined');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in one line that k6 is missing (it is not available on this project’s machines)', async () => {
    assert.equal(findK6({ PATH: '/nonexistent' }), undefined);
    await assert.rejects(runK6Script({ script: 'x.js', port: 30080, recorder: createLoadRecorder(), toOffset: (w) => w, outFile: '/tmp/never', env: { PATH: '/nonexistent' } }),
      (err: unknown) => err instanceof K6RunError && err.message === K6_MISSING && !err.message.includes('\n'));
  });
});
