import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSameProcess, readProcessIdentity, signalProcess, spawnPipeline, waitForExit } from './exec.ts';
import type { ProcessIdentity } from './exec.ts';

const collect = (): { lines: string[]; onLine: (l: string) => void } => {
  const lines: string[] = [];
  return { lines, onLine: (l) => { lines.push(l); } };
};

describe('spawnPipeline', () => {
  it('streams the last command’s stdout line by line, including a last line without newline', async () => {
    const { lines, onLine } = collect();
    const p = await spawnPipeline([{ cmd: 'sh', args: ['-c', 'printf "a\\nbb\\n"; printf "ccc"'] }, { cmd: 'cat', args: [] }], { onLine });
    p.writeStdin('');
    const exits = await p.exited;
    assert.deepEqual(lines, ['a', 'bb', 'ccc']);
    assert.deepEqual(exits.map((e) => e.code), [0, 0]);
  });

  it('keeps the first command waiting for its input until writeStdin, with identities known before', async () => {
    const { lines, onLine } = collect();
    const p = await spawnPipeline([{ cmd: 'cat', args: [] }, { cmd: 'tr', args: ['a-z', 'A-Z'] }], { onLine });
    assert.deepEqual(p.processes.map((x) => x.comm), ['cat', 'tr']);
    assert.ok(p.processes.every((x) => x.startTicks > 0 && isSameProcess(x)));
    assert.equal(p.done, false);
    p.writeStdin('one\ntwo\n');
    await p.exited;
    assert.deepEqual(lines, ['ONE', 'TWO']);
    assert.equal(p.done, true);
    assert.ok(p.processes.every((x) => !isSameProcess(x)), 'both exited');
  });

  it('cuts an endless line to maxLineChars instead of growing without bound', async () => {
    const { lines, onLine } = collect();
    const p = await spawnPipeline([{ cmd: 'sh', args: ['-c', 'head -c 100000 /dev/zero | tr "\\0" x; echo; echo end'] }], { onLine, maxLineChars: 1000 });
    p.writeStdin('');
    await p.exited;
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.length, 1000);
    assert.equal(lines[1], 'end');
  });

  it('hands binary output over in chunks, and with batchMs in a few batches instead of one per write', async () => {
    const script = 'for i in $(seq 1 100); do printf x; sleep 0.002; done';
    const count = async (batchMs?: number): Promise<{ bytes: number; calls: number; ms: number }> => {
      let bytes = 0;
      let calls = 0;
      const started = performance.now();
      const p = await spawnPipeline([{ cmd: 'sh', args: ['-c', script] }], { onData: (c) => { bytes += c.length; calls++; }, ...(batchMs ? { batchMs } : {}) });
      p.writeStdin('');
      await p.exited;
      return { bytes, calls, ms: performance.now() - started };
    };
    const each = await count();
    const batched = await count(50);
    assert.equal(each.bytes, 100);
    assert.equal(batched.bytes, 100);
    assert.ok(each.calls > 1, `unbatched output arrives in chunks (${each.calls})`);
    // At most one batch per 50 ms window (+1 for the flush at exit): holds on a loaded machine too, where
    // the writes themselves slow down; a batcher that passed every write through would exceed it.
    assert.ok(batched.calls <= Math.ceil(batched.ms / 50) + 1, `${batched.calls} batches in ${Math.round(batched.ms)} ms`);
  });

  it('fails with a one-line reason when a command is not installed, leaving nothing running', async () => {
    await assert.rejects(
      spawnPipeline([{ cmd: 'cat', args: [] }, { cmd: 'kubeproof-no-such-binary', args: [] }], { onLine: () => {} }),
      /"kubeproof-no-such-binary" is not installed or not on PATH/,
    );
  });

  it('keeps stderr’s tail for messages', async () => {
    const p = await spawnPipeline([{ cmd: 'sh', args: ['-c', 'echo "bad flag -rate" >&2; exit 3'] }], { onLine: () => {} });
    p.writeStdin('');
    const [exit] = await p.exited;
    assert.equal(exit!.code, 3);
    assert.equal(exit!.stderrTail.trim(), 'bad flag -rate');
  });

  it('lets signal() stop one command; the rest of the pipeline ends by EOF', async () => {
    const { lines, onLine } = collect();
    const p = await spawnPipeline([{ cmd: 'sleep', args: ['30'] }, { cmd: 'cat', args: [] }], { onLine });
    assert.equal(p.signal(0, 'SIGTERM'), true);
    const exits = await p.exited;
    assert.equal(exits[0]!.signal, 'SIGTERM');
    assert.equal(exits[1]!.code, 0);
    assert.equal(p.signal(0, 'SIGTERM'), false, 'already exited');
    assert.deepEqual(lines, []);
  });
});

describe('signalProcess', () => {
  it('never signals a pid whose start time differs (a reused pid), and does signal the same process', async () => {
    const p = await spawnPipeline([{ cmd: 'sleep', args: ['30'] }], { onLine: () => {} });
    const real = p.processes[0]!;
    const reused: ProcessIdentity = { ...real, startTicks: real.startTicks - 1 };
    assert.equal(signalProcess(reused, 'SIGKILL'), false);
    assert.equal(signalProcess({ ...real, comm: 'vegeta' }, 'SIGKILL'), false);
    assert.deepEqual(await waitForExit([real], 100), [real], 'still running');
    assert.equal(signalProcess(real, 'SIGKILL'), true);
    assert.deepEqual(await waitForExit([real], 5_000), []);
    await p.exited;
    assert.equal(signalProcess(real, 'SIGKILL'), false, 'gone');
  });
});

describe('readProcessIdentity', () => {
  it('reads this process and returns undefined for a pid that does not exist', () => {
    const me = readProcessIdentity(process.pid);
    assert.ok(me && me.startTicks > 0 && me.comm.length > 0);
    assert.equal(readProcessIdentity(2 ** 22 + 12345), undefined);
  });
});

describe('replaceProcess', () => {
  it('turns this process into the command: same pid, the new working directory, the command’s exit code', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `const { replaceProcess } = await import(${JSON.stringify(new URL('./exec.ts', import.meta.url).href)});
      process.stdout.write(process.pid + ' ');
      replaceProcess('/bin/sh', ['-c', 'printf "%s %s" "$$" "$PWD"; exit 7'], process.env, '/tmp');
      process.stdout.write('still here');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const [before, after, cwd] = r.stdout.split(' ');
    assert.equal(r.status, 7);
    assert.equal(after, before, 'the same pid before and after');
    assert.equal(cwd, '/tmp');
    assert.doesNotMatch(r.stdout, /still here/);
  });
});
