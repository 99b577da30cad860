import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuantity, parseQuantity } from './quantity.ts';

describe('parseQuantity', () => {
  it('reads decimal, binary and exponent suffixes', () => {
    const cases: Array<[unknown, number | undefined]> = [
      ['2', 2], ['500m', 0.5], ['1.5', 1.5], ['100Ki', 102_400], ['24684096Ki', 24_684_096 * 1024], ['128Mi', 128 * 2 ** 20],
      ['1G', 1e9], ['1e3', 1000], ['.5', 0.5], [3, 3], ['110', 110], ['lots', undefined], ['', undefined], [undefined, undefined],
    ];
    for (const [text, value] of cases) assert.equal(parseQuantity(text), value, String(text));
  });
});

describe('formatQuantity', () => {
  it('prints cpu in cores or millicores and memory in binary units', () => {
    assert.equal(formatQuantity('cpu', 16), '16');
    assert.equal(formatQuantity('cpu', 0.25), '250m');
    assert.equal(formatQuantity('memory', 24_684_096 * 1024), '23.5Gi');
    assert.equal(formatQuantity('memory', 8 * 2 ** 20), '8Mi');
  });
});
