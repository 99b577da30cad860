import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pauseRetryingFreeze } from './kind-nodes.ts';
import { ProcessError } from '../util/exec.ts';

const freezeFailure = () => new ProcessError('docker pause kubeproof-worker exited with code 1: OCI runtime pause failed: unable to freeze: unknown');

/** A container whose pause fails with runc's freezer error `failures` times, then succeeds. */
function flakyContainer(failures: number, otherError?: Error) {
  let status = 'running';
  let tries = 0;
  return {
    get tries() { return tries; },
    get status() { return status; },
    pauseOnce: async () => {
      tries++;
      if (otherError) throw otherError;
      if (tries <= failures) throw freezeFailure();
      status = 'paused';
    },
    statusOf: async () => status,
  };
}

describe('pauseRetryingFreeze', () => {
  it('retries runc "unable to freeze" until the container is paused', async () => {
    const c = flakyContainer(2);
    await pauseRetryingFreeze(c.pauseOnce, c.statusOf, { attempts: 5, waitMs: 1 });
    assert.equal(c.status, 'paused');
    assert.equal(c.tries, 3);
  });

  it('gives up after the allowed attempts with a message that says so', async () => {
    const c = flakyContainer(10);
    await assert.rejects(pauseRetryingFreeze(c.pauseOnce, c.statusOf, { attempts: 3, waitMs: 1 }), /unable to freeze.*tried 3 times; the node container is still running/);
    assert.equal(c.tries, 3);
    assert.equal(c.status, 'running');
  });

  it('does not retry other docker errors', async () => {
    const c = flakyContainer(0, new ProcessError('docker pause x exited with code 1: No such container: x'));
    await assert.rejects(pauseRetryingFreeze(c.pauseOnce, c.statusOf, { attempts: 5, waitMs: 1 }), /No such container/);
    assert.equal(c.tries, 1);
  });

  it('counts a failed call as done when docker shows the container paused anyway', async () => {
    let tries = 0;
    await pauseRetryingFreeze(async () => { tries++; throw freezeFailure(); }, async () => 'paused', { attempts: 5, waitMs: 1 });
    assert.equal(tries, 1);
  });
});
