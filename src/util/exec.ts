/** The only module that spawns processes: docker, allure. Failures explain themselves. */
import { spawn } from 'node:child_process';

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
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); if (options.passthrough) process.stderr.write(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (options.passthrough) process.stderr.write(d); });
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
