/** The only module that spawns processes: docker, allure, vegeta. Failures explain themselves. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { flushCompileCache } from 'node:module';
import { basename } from 'node:path';
import { getDefaultHighWaterMark, setDefaultHighWaterMark } from 'node:stream';

const DEFAULT_HIGH_WATER_MARK = getDefaultHighWaterMark(false);

/** Result of a finished process. */
export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A process that could not start or exited non-zero; the message carries the command and its stderr. */
export class ProcessError extends Error {
  override name = 'ProcessError';
  readonly result: ExecResult | undefined;
  constructor(message: string, result?: ExecResult, options?: ErrorOptions) {
    super(message, options);
    this.result = result;
  }
}

/** Options for {@link run}. */
export interface RunOptions {
  timeoutMs?: number;
  /** Do not throw on a non-zero exit; the caller reads `code`. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also copy the child's output to our stderr as it comes (long builds show their progress). */
  passthrough?: boolean;
  /** Hears the child's output as it comes (npm run grade shows the run's stderr, keeps its stdout). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Hears the child's pid once it started (to forward a signal to it). */
  onStart?: (pid: number) => void;
}

/**
 * Runs a command to completion and captures its output.
 * @throws ProcessError when the binary is missing, times out or (unless allowFailure) exits non-zero
 */
export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    if (child.pid !== undefined) options.onStart?.(child.pid);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); if (options.passthrough) process.stderr.write(d); options.onOutput?.('stdout', d.toString()); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (options.passthrough) process.stderr.write(d); options.onOutput?.('stderr', d.toString()); });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = err.code === 'ENOENT' ? `"${cmd}" is not installed or not on PATH` : err.message;
      reject(new ProcessError(why, undefined, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr };
      if (code !== 0 && !options.allowFailure) {
        const detail = stderr.trim().split('\n').slice(-3).join(' | ') || stdout.trim().split('\n').slice(-3).join(' | ');
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new ProcessError(`${cmd} ${args.join(' ')} ${how}${detail ? `: ${detail}` : ''}`, result));
        return;
      }
      resolve(result);
    });
  });
}

/** True when `cmd` can be started (used by preflight for docker and k6). */
export async function isInstalled(cmd: string, versionArgs: readonly string[] = ['--version']): Promise<boolean> {
  try {
    await run(cmd, versionArgs, { timeoutMs: 10_000, allowFailure: true });
    return true;
  } catch {
    return false;
  }
}

/** Who a process is, precisely enough to never signal a reused pid (for undo records). */
export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks after boot (/proc/<pid>/stat field 22): with the pid, unique within one boot. */
  startTicks: number;
  /** /proc/sys/kernel/random/boot_id, so a record written before a reboot never matches. */
  bootId: string;
  /** Executable name as the kernel knows it (/proc/<pid>/stat field 2). */
  comm: string;
}

/** This machine's boot id ('' where /proc does not tell). */
export function bootId(): string {
  try { return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); } catch { return ''; }
}

/** Reads a live process's identity from /proc; undefined when it is gone (or already reaped). */
export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  let stat: string;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return undefined; }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split at the last ')'.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  const startTicks = Number(fields[19]);
  if (close < 0 || !Number.isFinite(startTicks) || fields[0] === 'Z') return undefined;
  return { pid, startTicks, bootId: bootId(), comm: stat.slice(stat.indexOf('(') + 1, close) };
}

/** True when `identity` still names the same live process (same pid, start time, boot and name). */
export function isSameProcess(identity: ProcessIdentity): boolean {
  const now = readProcessIdentity(identity.pid);
  return now !== undefined && now.startTicks === identity.startTicks && now.comm === identity.comm && (identity.bootId === '' || now.bootId === identity.bootId);
}

/**
 * Sends `sig` to the process group led by `identity.pid` (falling back to the pid alone), but only when
 * it is still the very same process. Returns false when it is gone or the pid was reused.
 */
export function signalProcess(identity: ProcessIdentity, sig: NodeJS.Signals): boolean {
  if (!Number.isInteger(identity.pid) || identity.pid <= 1 || !isSameProcess(identity)) return false;
  try { process.kill(-identity.pid, sig); return true; } catch { /* not a group leader */ }
  try { process.kill(identity.pid, sig); return true; } catch { return false; }
}

/** Waits until none of `identities` is alive any more, or `timeoutMs` passed; returns those still alive. */
export async function waitForExit(identities: readonly ProcessIdentity[], timeoutMs: number, pollMs = 25): Promise<ProcessIdentity[]> {
  const deadline = performance.now() + timeoutMs;
  let alive = identities.filter(isSameProcess);
  while (alive.length && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - performance.now()))));
    alive = alive.filter(isSameProcess);
  }
  return alive;
}

/** Signals a child's process group (never pid 0 or -1: those would hit our own group or everything). */
function killGroup(child: ChildProcess, sig: NodeJS.Signals): boolean {
  const pid = child.pid;
  if (pid === undefined || pid <= 1) return false;
  try { process.kill(-pid, sig); return true; } catch { return child.kill(sig); }
}

/** One command of a {@link spawnPipeline}. */
export interface PipelineCommand {
  cmd: string;
  args: readonly string[];
}

/** Options for {@link spawnPipeline}: give `onLine` (text) or `onData` (binary). */
export interface PipelineOptions {
  /** Called for each complete line of the last command's stdout, without its newline. */
  onLine?: (line: string) => void;
  /** Called with each chunk of the last command's stdout as it comes (binary streams). */
  onData?: (chunk: Buffer) => void;
  /**
   * With onData: read the output in batches every this many ms instead of on every write. Keep it well
   * under the time the writer needs to fill a pipe (64 KiB on Linux), or the writer blocks.
   */
  batchMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Longer lines are cut to this many characters (bounded memory whatever the child writes). */
  maxLineChars?: number;
  /** Characters of each command's stderr kept for messages. */
  stderrTailChars?: number;
}

/** How one command of a pipeline ended. */
export interface PipelineExit {
  cmd: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}

/** A running pipeline `cmd0 | cmd1 | … | (our reader)`. */
export interface Pipeline {
  /** The commands' identities, in pipeline order. */
  readonly processes: readonly ProcessIdentity[];
  /** Writes `text` to the first command's stdin and closes it (the first command sees EOF). */
  writeStdin(text: string): void;
  /** Signals command `index`'s process group if it still runs; false when it had exited. */
  signal(index: number, sig: NodeJS.Signals): boolean;
  /** Resolves once every command exited and the last stdout was read to its end. */
  readonly exited: Promise<PipelineExit[]>;
  /** True once `exited` has resolved. */
  readonly done: boolean;
}

/**
 * Starts commands connected stdout → stdin, each in its own process group (so a terminal's Ctrl-C
 * reaches the runner, which decides how they stop), and streams the last one's stdout line by line
 * (`onLine`) or chunk by chunk (`onData`).
 * The first command's stdin stays open until {@link Pipeline.writeStdin}, so the caller can journal
 * the pids before a program that reads its input first starts acting. Nothing but the pipes ties the
 * children to us: when we die, the last command gets EPIPE on its next write.
 * @throws ProcessError when a command cannot start (missing binary); the others are killed
 */
export async function spawnPipeline(commands: readonly PipelineCommand[], options: PipelineOptions): Promise<Pipeline> {
  if (!commands.length) throw new ProcessError('spawnPipeline needs at least one command');
  const maxLine = options.maxLineChars ?? 1 << 20;
  const tailChars = options.stderrTailChars ?? 4096;
  const children: ChildProcess[] = [];
  const tails: string[] = [];
  const closed: Array<Promise<PipelineExit>> = [];
  try {
    for (const [i, c] of commands.entries()) {
      const prev = children[i - 1];
      const batched = options.batchMs !== undefined && i === commands.length - 1;
      // A batched reader keeps at most one byte buffered (see below); streams take their high-water
      // mark when created, which spawn does synchronously, so the default is changed only around it.
      if (batched) setDefaultHighWaterMark(false, 1);
      let child: ChildProcess;
      try {
        child = spawn(c.cmd, c.args, {
          stdio: [prev ? prev.stdout! : 'pipe', 'pipe', 'pipe'],
          env: options.env ?? process.env,
          detached: true,
        });
      } finally {
        if (batched) setDefaultHighWaterMark(false, DEFAULT_HIGH_WATER_MARK);
      }
      children.push(child);
      tails.push('');
      closed.push(new Promise((resolve) => child.on('close', (code, signal) => resolve({ cmd: c.cmd, pid: child.pid ?? 0, code, signal, stderrTail: tails[i] ?? '' }))));
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (err: NodeJS.ErrnoException) => reject(new ProcessError(err.code === 'ENOENT' ? `"${c.cmd}" is not installed or not on PATH` : `${c.cmd}: ${err.message}`, undefined, { cause: err })));
      });
      // The child now holds its own copy of the previous command's stdout; ours must go, or that
      // command would never see EPIPE if its reader died.
      prev?.stdout?.destroy();
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) => { tails[i] = (tails[i] + d).slice(-tailChars); });
    }
  } catch (err) {
    for (const child of children) killGroup(child, 'SIGKILL');
    throw err;
  }

  const last = children.at(-1)!;
  let rest = '';
  const onLine = options.onLine ?? (() => {});
  let batchTimer: ReturnType<typeof setInterval> | undefined;
  const onData = options.onData;
  if (onData && options.batchMs !== undefined) {
    // Paused with a 1-byte high-water mark, the stream stops reading the pipe as soon as it holds
    // anything; the writes in between wait in the kernel's pipe buffer and one read every batchMs takes
    // them all — instead of a wakeup (and a context switch away from the writer) per write.
    const out = last.stdout!;
    out.pause();
    // A 'readable' listener marks the stream as consumed here: without one, Node resumes it when the
    // child exits and its last output would flow to nobody.
    out.on('readable', () => {});
    const drain = (): void => { for (let c = out.read() as Buffer | null; c !== null; c = out.read() as Buffer | null) onData(c); };
    batchTimer = setInterval(drain, options.batchMs);
    out.once('end', () => clearInterval(batchTimer));
  } else if (onData) last.stdout!.on('data', onData);
  else last.stdout!.setEncoding('utf8');
  if (!options.onData) last.stdout!.on('data', (chunk: string) => {
    let text = rest + chunk;
    let nl = text.indexOf('\n');
    let from = 0;
    while (nl !== -1) {
      onLine(text.slice(from, Math.min(nl, from + maxLine)));
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    text = text.slice(from);
    rest = text.length > maxLine ? text.slice(0, maxLine) : text;
  });
  const drained = new Promise<void>((resolve) => last.stdout!.on('close', () => { if (rest) onLine(rest); rest = ''; resolve(); }));

  const processes = children.map((child, i) => readProcessIdentity(child.pid ?? 0) ?? { pid: child.pid ?? 0, startTicks: 0, bootId: bootId(), comm: basename(commands[i]!.cmd) });
  let done = false;
  const exited = Promise.all([Promise.all(closed), drained]).then(([exits]) => { done = true; return exits.map((e, i) => ({ ...e, stderrTail: tails[i] ?? '' })); });
  const first = children[0]!;
  first.stdin!.on('error', () => { /* EPIPE when the first command already exited: its exit tells why */ });
  return {
    processes,
    writeStdin(text) { first.stdin!.end(text); },
    signal(index, sig) {
      const child = children[index];
      if (!child || child.exitCode !== null || child.signalCode !== null) return false;
      return killGroup(child, sig);
    },
    exited,
    get done() { return done; },
  };
}

/**
 * Replaces this process with `cmd args` (same pid, same stdio, same parent), in `cwd`. Returns false
 * where the platform cannot (Windows); otherwise it does not return.
 */
export function replaceProcess(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): boolean {
  if (typeof process.execve !== 'function') return false;
  // Node writes its compile cache when a process exits, and a replaced process never exits.
  flushCompileCache();
  process.chdir(cwd);
  process.execve(cmd, [cmd, ...args], env);
  return true;
}
