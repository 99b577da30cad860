import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { adoptPublishedRun, prepareCucumberJsRun, publishedRunFile, recordSelection } from './cucumber-js.ts';

describe('prepareCucumberJsRun (refusals, before anything touches the cluster)', () => {
  it('refuses, in one line without frames, what only our CLI does', async () => {
    recordSelection([{ name: 'x', uri: 'features/x.feature', tags: [], steps: [] }]);
    for (const [key, hint] of [['janitor', /npm run chaos -- --janitor/], ['runId', /chosen by kubeproof/]] as const) {
      const err = await prepareCucumberJsRun({ [key]: true }, {}).then(() => undefined, (e: Error) => e);
      assert.ok(err, `${key} must be refused`);
      assert.match(err.message, new RegExp(`^world parameter "${key}" is not for cucumber-js: `));
      assert.match(err.message, hint);
      assert.equal(err.stack, `UsageError: ${err.message}`, 'cucumber prints the stack: it is one line');
    }
  });

  it('refuses a bad seed in one line', async () => {
    recordSelection([{ name: 'x', uri: 'features/x.feature', tags: [], steps: [] }]);
    await assert.rejects(prepareCucumberJsRun({ seed: 'abc' }, { stepDefinitionConfigs: [], buildStepDefinitions: () => ({ stepDefinitions: [] }) }),
      { name: 'UsageError', message: 'world parameter "seed" must be a whole number, got "abc"' });
  });

  it('does nothing when no scenario was selected', async () => {
    recordSelection([]);
    const parameters = {};
    await prepareCucumberJsRun(parameters, {});
    assert.deepEqual(parameters, {});
  });
});

describe('adoptPublishedRun (--parallel workers)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'kp-adopt-'));
  const prepared = { runId: 'abc123', seed: 7, context: 'kind-kubeproof', journalDir: join(cwd, '.kubeproof/journal'), keep: false, cwd, capabilities: { workers: 3 }, replay: 'x' };

  it('takes over the world parameters the coordinator published for this process', () => {
    mkdirSync(dirname(publishedRunFile(cwd)), { recursive: true });
    writeFileSync(publishedRunFile(cwd), JSON.stringify(prepared));
    const parameters: Record<string, unknown> = { cwd, keep: true };
    adoptPublishedRun(parameters);
    assert.deepEqual(parameters, prepared);
  });

  it('leaves complete world parameters (our CLI\'s) alone', () => {
    const parameters = { runId: 'fromcli', cwd };
    adoptPublishedRun(parameters);
    assert.deepEqual(parameters, { runId: 'fromcli', cwd });
  });

  it('does nothing without a published run (the coordinator\'s preflight refused it)', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'kp-adopt-none-'));
    const parameters = { cwd: elsewhere };
    adoptPublishedRun(parameters);
    assert.deepEqual(parameters, { cwd: elsewhere });
  });
});
