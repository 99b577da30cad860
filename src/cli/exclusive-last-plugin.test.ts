import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import plugin from './exclusive-last-plugin.ts';

describe('exclusive-last plugin', () => {
  it('moves @exclusive pickles to the end and keeps the order of the rest', async () => {
    let order: ((p: any[]) => any) | undefined;
    await plugin.coordinator({ transform: (key: string, fn: any) => { if (key === 'pickles:order') order = fn; } } as never);
    const p = (name: string, ...tags: string[]) => ({ pickle: { name, tags: tags.map((t) => ({ name: t })) } });
    const out = await order?.([p('node', '@exclusive'), p('a'), p('b', '@x'), p('node2', '@exclusive'), p('c')]);
    assert.deepEqual(out.map((x: any) => x.pickle.name), ['a', 'b', 'c', 'node', 'node2']);
  });
});
