import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKETS, bucketOf, bucketValue, createHistogram, mergeInto, quantile } from './histogram.ts';

describe('bucketOf', () => {
  it('is monotonic and keeps every latency inside the array', () => {
    let last = -1;
    for (let ms = 0.001; ms < 200_000; ms *= 1.01) {
      const b = bucketOf(ms);
      assert.ok(b >= last && b < BUCKETS, `${ms} → ${b}`);
      last = b;
    }
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(Number.NaN), 0);
    assert.equal(bucketOf(1e9), BUCKETS - 1);
  });

  it('represents a latency within 2.2 % (16 buckets per doubling)', () => {
    for (const ms of [0.1, 0.87, 1, 12.5, 333, 2000, 30_000, 60_000]) {
      const rel = Math.abs(bucketValue(bucketOf(ms)) - ms) / ms;
      assert.ok(rel <= 0.022, `${ms} ms → ${bucketValue(bucketOf(ms))} (${(rel * 100).toFixed(2)} %)`);
    }
  });
});

describe('quantile', () => {
  it('finds percentiles of 1…1000 ms within the bucket precision, never above the exact max', () => {
    const h = createHistogram();
    for (let ms = 1; ms <= 1000; ms++) h[bucketOf(ms)]!++;
    const near = (got: number | undefined, want: number): void => assert.ok(got !== undefined && Math.abs(got - want) / want <= 0.025, `${got} vs ${want}`);
    near(quantile(h, 1000, 0.5, 1000), 500);
    near(quantile(h, 1000, 0.95, 1000), 950);
    near(quantile(h, 1000, 0.99, 1000), 990);
    assert.equal(quantile(h, 1000, 1, 1000), 1000);
    assert.equal(quantile(createHistogram(), 0, 0.5, 0), undefined);
  });

  it('merges histograms by adding counters', () => {
    const a = createHistogram();
    const b = createHistogram();
    a[bucketOf(1)]!++;
    b[bucketOf(100)]! += 3;
    mergeInto(a, b);
    assert.ok(Math.abs(quantile(a, 4, 0.5, 100)! - 100) / 100 < 0.025);
    assert.ok(Math.abs(quantile(a, 4, 0.25, 100)! - 1) < 0.025);
  });
});
