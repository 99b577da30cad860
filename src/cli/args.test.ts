import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from './args.ts';
import { UsageError } from './exit-codes.ts';

describe('parseArgs', () => {
  it('separates our options, cucumber options, profiles and paths', () => {
    const p = parseArgs(['--tags', '@hpa and not @slow', '--seed', '42', '--keep', '-p', 'foundation', '--parallel=2', 'features/a.feature', '--context', 'kind-x']);
    assert.deepEqual(p.cucumber, ['--tags', '@hpa and not @slow', '--parallel', '2']);
    assert.equal(p.own.seed, 42);
    assert.equal(p.own.keep, true);
    assert.equal(p.own.context, 'kind-x');
    assert.deepEqual(p.profiles, ['foundation']);
    assert.deepEqual(p.paths, ['features/a.feature']);
  });

  const bad: Array<[string[], RegExp]> = [
    [['--bogus'], /unknown option "--bogus"/],
    [['--seed', 'abc'], /--seed expects a whole number, got "abc"/],
    [['--retry', 'two'], /--retry expects a whole number/],
    [['--tags'], /option --tags needs a value/],
    [['--fail-fast=yes'], /takes no value/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')} with one clear line`, () => {
      assert.throws(() => parseArgs(argv), (e: Error) => e instanceof UsageError && message.test(e.message) && !e.message.includes('\n'));
    });
  }

  it('recognises every kubeproof flag', () => {
    const p = parseArgs(['--dry-run', '--janitor', '--allow-context', '--help']);
    assert.deepEqual([p.own.dryRun, p.own.janitor, p.own.allowContext, p.own.help], [true, true, true, true]);
  });
});
