/**
 * Optional path for users who own k6: run their own k6 script against the Service's NodePort on
 * 127.0.0.1 and judge it like any load. Not exercised on this project's machines (the k6 binary cannot
 * be obtained here), so it is unit-tested on a sample of k6's documented JSON output only.
 *
 * `k6 run --out json=<file> --env BASE_URL=http://127.0.0.1:<port> <script>`; every address but
 * 127.0.0.0/8 is blocked (`--blacklist-ip`), usage reports are off, and the run is killed after the
 * 15-minute cap. Afterwards the JSON output (one `{"type":"Point","metric":…,"data":{"time","value",
 * "tags"}}` per line; all points of one request share `time` = its end and `tags`) is streamed into the
 * same recorder as vegeta's results. Exit code 99 means thresholds failed (a FAIL naming them).
 */
import { KubeproofError } from '../failure/failure.ts';
import { accessSync, constants, createReadStream } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnPipeline } from '../util/exec.ts';
import type { ProcessIdentity } from '../util/exec.ts';
import { hostTargetUrl, LOAD_LIMITS } from './plan.ts';
import type { LoadRecorder } from './recorder.ts';
import { classifyFailure, wallMsOf } from './sample.ts';
import type { FailureKind, LoadSample } from './sample.ts';

/** k6's exit code for failed thresholds (errext/exitcodes: ThresholdsHaveFailed). */
export const K6_THRESHOLDS_FAILED = 99;

/** Every IPv4 range but 127.0.0.0/8, and all of IPv6: a user's script reaches this machine only. */
export const K6_BLOCKED_RANGES = ['0.0.0.0/2', '64.0.0.0/3', '96.0.0.0/4', '112.0.0.0/5', '120.0.0.0/6', '124.0.0.0/7', '126.0.0.0/8', '128.0.0.0/1', '::/0'] as const;

/** The script's thresholds failed: the system under test did not behave (verdict FAIL). */
export class K6ThresholdError extends KubeproofError {
  override name = 'K6ThresholdError';
  readonly thresholds: readonly string[];
  constructor(thresholds: readonly string[]) {
    super('fail', thresholds.length ? `k6 thresholds failed on ${thresholds.join(', ')}` : 'k6 thresholds failed (k6 did not say which: see its summary)');
    this.thresholds = thresholds;
  }
}

/** k6 itself failed (script error, bad options, killed): verdict ERROR. */
export class K6RunError extends KubeproofError {
  override name = 'K6RunError';
  constructor(message: string) {
    super('error', message);
  }
}

const EXIT_NAMES: Readonly<Record<number, string>> = {
  100: 'setup() timed out', 101: 'teardown() timed out', 103: 'k6 engine error', 104: 'invalid options',
  105: 'aborted from outside', 107: 'the script threw an exception', 108: 'the script aborted the test',
};

/** Absolute path of `k6` on PATH, if any. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try { accessSync(join(dir, 'k6'), constants.X_OK); return join(dir, 'k6'); } catch { /* next */ }
  }
  return undefined;
}

/** The one-line reason when k6 is missing (the caller stops with exit 2). */
export const K6_MISSING = 'k6 is not installed (this step runs your own k6 script; kubeproof\'s own load steps use vegeta and do not need k6): install k6 from https://grafana.com/docs/k6/latest/set-up/install-k6/ and retry';

/** The arguments of `k6 run` for a script (exported for tests and dry runs). */
export function k6RunArgs(script: string, baseUrl: string, outFile: string): string[] {
  return ['run', '--no-usage-report', `--out=json=${outFile}`, `--env=BASE_URL=${baseUrl}`, ...K6_BLOCKED_RANGES.map((r) => `--blacklist-ip=${r}`), script];
}

interface K6Line { type?: string; metric?: string; data?: { time?: string; value?: number; tags?: Record<string, string> | null } }

interface Pending { time: string; url: string; status: string; error: string; errorCode: string; durationMs?: number; blockedMs?: number; failed?: boolean }

const ERROR_CODE_KINDS: Readonly<Record<string, FailureKind>> = {
  1050: 'timeout', 1211: 'timeout', 1212: 'connection refused', 1220: 'connection reset', 1201: 'connection closed', 1101: 'dns', 1100: 'dns',
};

/**
 * Turns k6 JSON output lines into one sample per HTTP request. Feed lines in file order; call end()
 * after the last. Points other than http_req_* are ignored; so are lines that are not JSON.
 */
export function createK6Decoder(toOffset: (wallMs: number) => number, onSample: (s: LoadSample) => void): { push(line: string): void; end(): void } {
  let pending: Pending | undefined;
  const flush = (): void => {
    const p = pending;
    pending = undefined;
    if (!p || p.durationMs === undefined) return;
    const code = Number(p.status) || 0;
    // The points' time is the request's end: it was sent duration + time waiting for a connection before.
    const sentWall = wallMsOf(p.time) - p.durationMs - (p.blockedMs ?? 0);
    const sample: LoadSample = { t: toOffset(sentWall), latencyMs: p.durationMs + (p.blockedMs ?? 0), code };
    const failed = p.failed ?? (code === 0 || code >= 400);
    if (failed) {
      sample.failure = ERROR_CODE_KINDS[p.errorCode] ?? classifyFailure(code, p.error || undefined) ?? 'other';
      sample.error = p.error || (code ? `HTTP ${code}` : 'failed');
    }
    onSample(sample);
  };
  return {
    push(line) {
      let l: K6Line;
      try { l = JSON.parse(line) as K6Line; } catch { return; }
      if (l.type !== 'Point' || !l.metric?.startsWith('http_req') || !l.data?.time || typeof l.data.value !== 'number') return;
      const tags = l.data.tags ?? {};
      const same = pending && pending.time === l.data.time && pending.url === (tags.url ?? '') && pending.status === (tags.status ?? '');
      if (l.metric === 'http_reqs' || !same) {
        flush();
        pending = { time: l.data.time, url: tags.url ?? '', status: tags.status ?? '', error: tags.error ?? '', errorCode: tags.error_code ?? '' };
      }
      const p = pending!;
      if (l.metric === 'http_req_duration') p.durationMs = l.data.value;
      else if (l.metric === 'http_req_blocked') p.blockedMs = l.data.value;
      else if (l.metric === 'http_req_failed') p.failed = l.data.value !== 0;
    },
    end: flush,
  };
}

/** Names of crossed thresholds from k6's own words ("thresholds on metrics 'a, b' have been crossed"). */
export function crossedThresholds(output: string): string[] {
  const m = /thresholds on metrics '([^']+)' (?:have been crossed|were breached)/.exec(output);
  return m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** What {@link runK6Script} needs. */
export interface K6ScriptOptions {
  script: string;
  /** The NodePort on 127.0.0.1 the script's BASE_URL points to. */
  port: number;
  recorder: LoadRecorder;
  toOffset: (wallMs: number) => number;
  /** Where k6 writes its JSON output (a scenario's temp or report directory). */
  outFile: string;
  k6Path?: string;
  /** Environment for finding and running k6 (default: ours). */
  env?: NodeJS.ProcessEnv;
  /** Called with k6's identity before it starts (journal `load.stop` here). */
  beforeStart?: (processes: readonly ProcessIdentity[]) => void | Promise<void>;
  /** k6 is killed after this (default: the 15-minute load cap plus 30 s). */
  maxDurationMs?: number;
}

/** A finished k6 run that did not fail. */
export interface K6RunEnd {
  exitCode: number;
  samples: number;
  /** The last lines k6 printed (its summary), for the report. */
  outputTail: string;
}

/**
 * Runs the script and records every request. Resolves when k6 passed.
 * @throws K6ThresholdError when thresholds failed (exit 99; samples are recorded all the same)
 * @throws K6RunError when k6 failed otherwise or is missing
 */
export async function runK6Script(o: K6ScriptOptions): Promise<K6RunEnd> {
  const k6 = o.k6Path ?? findK6(o.env);
  if (!k6) throw new K6RunError(K6_MISSING);
  const baseUrl = hostTargetUrl({ port: o.port, path: '/' }).replace(/\/$/, '');
  let output = '';
  const keep = (line: string): void => { output = `${output}${line}\n`.slice(-8192); };
  // A shell holds k6 until its identity is journaled, then becomes k6 (exec keeps the pid and start time).
  const pipeline = await spawnPipeline([{ cmd: '/bin/sh', args: ['-c', 'read _ && exec "$0" "$@"', k6, ...k6RunArgs(o.script, baseUrl, o.outFile)] }], { onLine: keep, ...(o.env ? { env: o.env } : {}) });
  // The kernel's name for it once exec'd (at most 15 characters); the undo only signals it then.
  const identities = pipeline.processes.map((p) => ({ ...p, comm: basename(k6).slice(0, 15) }));
  try {
    await o.beforeStart?.(identities);
  } catch (err) {
    pipeline.signal(0, 'SIGKILL');
    throw err;
  }
  pipeline.writeStdin('go\n');
  const cap = setTimeout(() => { keep(`kubeproof: k6 ran longer than ${o.maxDurationMs ?? LOAD_LIMITS.maxTotalMs + 30_000} ms and was killed`); pipeline.signal(0, 'SIGKILL'); }, o.maxDurationMs ?? LOAD_LIMITS.maxTotalMs + 30_000);
  const [exit] = await pipeline.exited;
  clearTimeout(cap);
  output += exit?.stderrTail ?? '';
  let samples = 0;
  const decoder = createK6Decoder(o.toOffset, (s) => { samples++; o.recorder.add(s); });
  try {
    for await (const line of createInterface({ input: createReadStream(o.outFile), crlfDelay: Number.POSITIVE_INFINITY })) decoder.push(line);
    decoder.end();
  } catch (err) {
    if (exit?.code === 0 || exit?.code === K6_THRESHOLDS_FAILED) throw new K6RunError(`cannot read k6's output ${o.outFile}: ${(err as Error).message}`);
  }
  const code = exit?.code ?? -1;
  if (code === K6_THRESHOLDS_FAILED) throw new K6ThresholdError(crossedThresholds(output));
  if (code !== 0) {
    const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${code}${EXIT_NAMES[code] ? ` (${EXIT_NAMES[code]})` : ''}`;
    const last = output.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
    throw new K6RunError(`k6 ${how}${last ? `: ${last}` : ''}`);
  }
  return { exitCode: 0, samples, outputTail: output.trim().split('\n').slice(-40).join('\n') };
}
