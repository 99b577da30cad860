import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVegetaGobDecoder, GobDecodeError } from './vegeta-gob.ts';
import type { VegetaResult } from './vegeta-gob.ts';

// Recorded from vegeta v12.13.0 (`vegeta attack` against local servers answering 200 with a pod, 503,
// refusing and hanging), with `vegeta encode --to json` of the very same bytes beside it.
const GOB = readFileSync(join(import.meta.dirname, 'testdata', 'vegeta-results.gob'));
const JSONL = readFileSync(join(import.meta.dirname, 'testdata', 'vegeta-results.json'), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l) as { code: number; timestamp: string; latency: number; error: string; body: string | null });

function decodeAll(chunks: Buffer[]): Array<VegetaResult & { bodyText: string }> {
  const out: Array<VegetaResult & { bodyText: string }> = [];
  const d = createVegetaGobDecoder((r) => out.push({ ...r, bodyText: r.body?.toString('base64') ?? '' }));
  for (const c of chunks) d.push(c);
  assert.equal(d.pendingBytes, 0);
  return out;
}

describe('createVegetaGobDecoder', () => {
  it('decodes what vegeta encode --to json says about the same results', () => {
    const got = decodeAll([GOB]);
    assert.equal(got.length, JSONL.length);
    got.forEach((r, i) => {
      const want = JSONL[i]!;
      assert.equal(r.code, want.code);
      assert.equal(r.latencyNs, want.latency);
      assert.equal(r.error, want.error);
      assert.equal(r.bodyText, want.body ?? '');
      // The JSON timestamp keeps nanoseconds; ms doubles near 1.8e12 resolve ~0.25 µs.
      const wantMs = Date.parse(want.timestamp) + Number(`0.${(/\.(\d+)/.exec(want.timestamp)?.[1] ?? '').slice(3) || '0'}`);
      assert.ok(Math.abs(r.wallMs - wantMs) < 1e-3, `${r.wallMs} vs ${wantMs}`);
    });
    assert.deepEqual(got.map((r) => r.code), [200, 503, 0, 200, 503, 0, 0, 0]);
  });

  it('gives the same results however the stream is cut into chunks', () => {
    const whole = decodeAll([GOB]);
    const bytewise = decodeAll([...GOB].map((b) => Buffer.from([b])));
    const odd: Buffer[] = [];
    for (let i = 0; i < GOB.length; i += 37) odd.push(GOB.subarray(i, i + 37));
    assert.deepEqual(bytewise, whole);
    assert.deepEqual(decodeAll(odd), whole);
  });

  it('keeps an incomplete last message pending instead of guessing', () => {
    const d = createVegetaGobDecoder(() => {});
    d.push(GOB.subarray(0, GOB.length - 5));
    assert.ok(d.pendingBytes > 0);
  });

  it('refuses output that is not vegeta results', () => {
    const d = createVegetaGobDecoder(() => {});
    // JSON lines (what `vegeta encode` writes) are not gob: the first "message" holds no known type.
    assert.throws(() => d.push(Buffer.from('{"code":200,"timestamp":"2026-11-30T02:08:33Z"}\n'.repeat(10))), GobDecodeError);
  });
});
