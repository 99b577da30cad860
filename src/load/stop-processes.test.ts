import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSameProcess, spawnPipeline } from '../util/exec.ts';
import type { Pipeline } from '../util/exec.ts';
import { loadStopParams, stopLoadProcesses } from './stop-processes.ts';

/** Starts `target args` under the name `name` (a symlink), so the kernel calls it `name`. */
async function startAs(dir: string, name: string, target: string, args: string[], onLine: (line: string) => void = () => {}): Promise<Pipeline> {
  const link = join(dir, name);
  symlinkSync(target, link);
  return spawnPipeline([{ cmd: link, args }], { onLine });
}

describe('stopLoadProcesses', () => {
  it('stops a recorded vegeta that still runs, and says it had already exited the second time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-stop-'));
    try {
      const p = await startAs(dir, 'vegeta', '/bin/sleep', ['30']);
      const [proc] = p.processes;
      assert.equal(proc!.comm, 'vegeta');
      const params = JSON.parse(JSON.stringify(loadStopParams(p.processes))) as Record<string, unknown>; // as read back from the journal
      assert.equal(await stopLoadProcesses(params), `stopped vegeta pid ${proc!.pid}`);
      assert.equal(isSameProcess(proc!), false);
      await p.exited;
      assert.equal(await stopLoadProcesses(params), `load processes had already exited (pids ${proc!.pid})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never touches a process whose pid was reused (other start time)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-stop-'));
    try {
      const p = await startAs(dir, 'vegeta', '/bin/sleep', ['30']);
      const real = p.processes[0]!;
      const stale = loadStopParams([{ ...real, startTicks: real.startTicks - 100 }]);
      assert.equal(await stopLoadProcesses(stale), `load processes had already exited (pids ${real.pid})`);
      assert.equal(isSameProcess(real), true, 'still running');
      p.signal(0, 'SIGKILL');
      await p.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to signal anything that is not a load generator, even when the record names it', async () => {
    const p = await spawnPipeline([{ cmd: 'sleep', args: ['30'] }], { onLine: () => {} });
    try {
      const message = await stopLoadProcesses(loadStopParams(p.processes));
      assert.match(message, /refused to signal pid \d+ "sleep": not a load generator/);
      assert.equal(isSameProcess(p.processes[0]!), true);
    } finally {
      p.signal(0, 'SIGKILL');
      await p.exited;
    }
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-stop-'));
    try {
      let ready: () => void = () => {};
      const trapped = new Promise<void>((resolve) => { ready = resolve; });
      const p = await startAs(dir, 'vegeta', '/bin/sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], (line) => { if (line === 'ready') ready(); });
      p.writeStdin('');
      await trapped;
      const message = await stopLoadProcesses(loadStopParams(p.processes), { graceMs: 200 });
      assert.match(message, /^stopped vegeta pid \d+ \(1 needed SIGKILL\)$/);
      const [exit] = await p.exited;
      assert.equal(exit!.signal, 'SIGKILL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly on a malformed record', async () => {
    await assert.rejects(stopLoadProcesses({}), /lacks "processes"/);
    await assert.rejects(stopLoadProcesses({ processes: [{ pid: 1 }] }), /process 1 lacks pid, startTicks, bootId or comm/);
  });
});
