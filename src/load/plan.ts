/**
 * A load plan: what vegeta sends, checked before anything starts. Host mode sends from this machine to
 * a NodePort that kind publishes on 127.0.0.1, so the target is always `http://127.0.0.1:<port><path>`;
 * every other host is refused. Stages run back to back, each at a constant rate (open model).
 */
import { InputError } from '../failure/failure.ts';
import { formatMs, parseDuration } from '../util/duration.ts';

/** Bounds that keep a load honest on a 2-core machine and always finite. */
export const LOAD_LIMITS = {
  /** Above this, one small machine no longer sends on time (see docs/load.md, bench:load). */
  maxRate: 5000,
  maxTotalMs: 15 * 60_000,
  maxStages: 20,
  defaultTimeoutMs: 2_000,
  maxTimeoutMs: 60_000,
  /** rate × timeout bounds the sockets a hanging backend can hold open at once (the open-files limit). */
  maxInFlight: 10_000,
  /** Enough of a body to find the demo app's `"pod"` field; vegeta discards the rest unread into memory. */
  defaultMaxBodyBytes: 1024,
  maxMaxBodyBytes: 64 * 1024,
} as const;

/**
 * How requests use TCP connections. kube-proxy picks a backend once per connection, so only `fresh`
 * (a new connection per request) spreads requests over the pods the way users' clients do and lets a
 * broken pod show; `keepalive` reuses a few connections (cheaper, but can hide a broken pod).
 */
export type ConnectionMode = 'fresh' | 'keepalive';

/** The connection modes, for parsers and messages. */
export const CONNECTION_MODES: readonly ConnectionMode[] = ['fresh', 'keepalive'];

/** One constant-rate stage. */
export interface LoadStage {
  /** Requests per second (> 0, at most 3 decimals). */
  rate: number;
  durationMs: number;
}

/** A checked plan, ready to run. */
export interface LoadPlan {
  /** Always `http://127.0.0.1:<port><path>`. */
  url: string;
  stages: readonly LoadStage[];
  totalMs: number;
  /** Σ rate × duration. */
  plannedRequests: number;
  timeoutMs: number;
  connections: ConnectionMode;
  maxBodyBytes: number;
}

/** What a step gives to {@link createLoadPlan}: a port and path, or a full URL on 127.0.0.1. */
export interface LoadPlanInput {
  port?: number;
  /** Defaults to "/". */
  path?: string;
  /** Alternative to port + path; its host must be 127.0.0.1. */
  url?: string;
  /** In-cluster load: the Service's cluster DNS name (with `port` and `path`) instead of 127.0.0.1. */
  clusterHost?: string;
  /** One constant stage: `rate` for `durationMs`. */
  rate?: number;
  durationMs?: number;
  /** Or staged rows, run back to back. */
  stages?: readonly LoadStage[];
  timeoutMs?: number;
  connections?: ConnectionMode;
  maxBodyBytes?: number;
}

/** A load the user described wrongly; the message is one line naming the fix (verdict ERROR, exit 2). */
export class LoadInputError extends InputError {
  override name = 'LoadInputError';
}

const fail = (message: string): never => { throw new LoadInputError(message); };

/** Builds the target URL for host mode, refusing anything but 127.0.0.1. */
export function hostTargetUrl(input: Pick<LoadPlanInput, 'port' | 'path' | 'url'>): string {
  if (input.url !== undefined) {
    let u: URL;
    try { u = new URL(input.url); } catch { return fail(`cannot read the load target ${JSON.stringify(input.url)}: write it as http://127.0.0.1:<port>/<path>`); }
    if (u.protocol !== 'http:') fail(`load is sent as plain HTTP to a NodePort on 127.0.0.1, not ${u.protocol.replace(':', '')}: use http://127.0.0.1:<port>${u.pathname}`);
    if (u.hostname !== '127.0.0.1') fail(`load is sent from this machine to 127.0.0.1 only (a NodePort kind publishes there), not to ${u.hostname}: use http://127.0.0.1:<port>${u.pathname}`);
    if (u.username || u.password) fail('the load target must not carry a user or password');
    return hostTargetUrl({ port: u.port === '' ? 80 : Number(u.port), path: `${u.pathname}${u.search}` });
  }
  const port = input.port;
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) fail(`the load needs a port on 127.0.0.1 between 1 and 65535, got ${String(port)}`);
  const path = input.path ?? '/';
  if (!path.startsWith('/')) fail(`the load path must start with "/", e.g. "/work?cpuMs=20", got ${JSON.stringify(path)}`);
  // Printable ASCII only: no spaces, control characters or newlines that could smuggle a second target.
  if (!/^\/[\x21-\x7e]*$/.test(path) || path.includes('#')) fail(`the load path ${JSON.stringify(path)} holds a space, "#", a control or a non-ASCII character: percent-encode it`);
  const url = new URL(`http://127.0.0.1:${port}${path}`);
  if (url.hostname !== '127.0.0.1') fail(`the load path "${path}" changes the host: write a path such as "/work"`);
  return url.href;
}

/** The target of an in-cluster load: `http://<service>.<namespace>.svc.cluster.local:<port><path>`, same path rules. */
export function clusterTargetUrl(host: string, input: Pick<LoadPlanInput, 'port' | 'path'>): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) fail(`"${host}" is not a Service's DNS name`);
  const local = new URL(hostTargetUrl(input));
  return `http://${host}:${local.port}${local.pathname}${local.search}`;
}

function checkRate(rate: number, where: string): void {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) fail(`${where}: the rate must be a number of requests per second above 0, got ${String(rate)}`);
  if (rate > LOAD_LIMITS.maxRate) fail(`${where}: ${rate} requests per second is above the limit of ${LOAD_LIMITS.maxRate}: lower the rate (above it one machine no longer sends on time)`);
  if (Math.round(rate * 1000) !== rate * 1000) fail(`${where}: the rate ${rate} has more than 3 decimals: round it`);
}

/**
 * Checks a load and returns its plan.
 * @throws LoadInputError with one line naming the fix
 */
export function createLoadPlan(input: LoadPlanInput): LoadPlan {
  const url = input.clusterHost !== undefined ? clusterTargetUrl(input.clusterHost, input) : hostTargetUrl(input);
  const single = input.rate !== undefined || input.durationMs !== undefined;
  if (single && input.stages) fail('give either one rate and duration or a table of stages, not both');
  if (!single && !input.stages) fail('the load needs a rate and a duration, or a table of stages (| rate | for |)');
  const stages = input.stages ?? [{ rate: input.rate ?? Number.NaN, durationMs: input.durationMs ?? Number.NaN }];
  if (stages.length === 0) fail('the table of stages is empty: add rows such as | 20 | 30 seconds |');
  if (stages.length > LOAD_LIMITS.maxStages) fail(`the load has ${stages.length} stages, above the limit of ${LOAD_LIMITS.maxStages}: merge some`);
  const timeoutMs = input.timeoutMs ?? LOAD_LIMITS.defaultTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > LOAD_LIMITS.maxTimeoutMs) fail(`the per-request timeout must be 1 ms … ${formatMs(LOAD_LIMITS.maxTimeoutMs)}, got ${String(timeoutMs)} ms`);
  stages.forEach((s, i) => {
    const where = stages.length > 1 ? `stage ${i + 1}` : 'the load';
    checkRate(s.rate, where);
    if (!Number.isFinite(s.durationMs) || s.durationMs <= 0) fail(`${where}: the duration must be above 0, got ${String(s.durationMs)} ms`);
    if (s.rate * s.durationMs < 1000) fail(`${where}: ${s.rate} requests per second for ${formatMs(s.durationMs)} sends less than one request: lengthen it`);
    const inFlight = Math.ceil((s.rate * timeoutMs) / 1000);
    if (inFlight > LOAD_LIMITS.maxInFlight) fail(`${where}: ${s.rate} requests per second with a ${formatMs(timeoutMs)} timeout may hold ${inFlight} requests in flight, above ${LOAD_LIMITS.maxInFlight}: lower the timeout or the rate`);
  });
  const totalMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (totalMs > LOAD_LIMITS.maxTotalMs) fail(`the load would last ${formatMs(totalMs)}, above the limit of ${LOAD_LIMITS.maxTotalMs / 60_000} minutes: shorten it`);
  const connections = input.connections ?? 'fresh';
  if (!CONNECTION_MODES.includes(connections)) fail(`unknown connection mode "${String(connections)}": use ${CONNECTION_MODES.join(' or ')}`);
  const maxBodyBytes = input.maxBodyBytes ?? LOAD_LIMITS.defaultMaxBodyBytes;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0 || maxBodyBytes > LOAD_LIMITS.maxMaxBodyBytes) fail(`the captured body size must be 0 … ${LOAD_LIMITS.maxMaxBodyBytes} bytes, got ${String(maxBodyBytes)}`);
  return {
    url,
    stages: stages.map((s) => ({ rate: s.rate, durationMs: s.durationMs })),
    totalMs,
    plannedRequests: Math.round(stages.reduce((sum, s) => sum + (s.rate * s.durationMs) / 1000, 0)),
    timeoutMs,
    connections,
    maxBodyBytes,
  };
}

/**
 * Reads a rate cell: "20", "20/s", "20 req/s", "20 rps", "20 requests per second", "0.5".
 * @throws LoadInputError naming the accepted forms
 */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s|\/\s*sec|req\/s|rps|requests?\s*(?:\/|per)\s*s(?:ec(?:ond)?)?)?\s*$/i.exec(text);
  if (!m) return fail(`cannot read the rate ${JSON.stringify(text)}: write requests per second, e.g. "20" or "20/s"`);
  return Number(m[1]);
}

/**
 * Reads a Gherkin stage table `| rate | for |` (header row first) into stages; columns may be in either
 * order. Durations are read like every duration ("30 seconds", "2 minutes").
 * @throws LoadInputError naming the row and the fix
 */
export function parseStageTable(rows: readonly (readonly string[])[]): LoadStage[] {
  const [header, ...body] = rows;
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const rateCol = names.indexOf('rate');
  const forCol = names.findIndex((n) => n === 'for' || n === 'duration');
  if (rateCol < 0 || forCol < 0) fail(`the stage table needs the columns | rate | for |, got | ${names.join(' | ')} |`);
  if (!body.length) fail('the table of stages is empty: add rows such as | 20 | 30 seconds |');
  return body.map((row, i) => {
    const rateText = row[rateCol] ?? '';
    const forText = row[forCol] ?? '';
    try {
      return { rate: parseRate(rateText), durationMs: parseDuration(forText) };
    } catch (err) {
      return fail(`stage ${i + 1} (| ${rateText} | ${forText} |): ${(err as Error).message}`);
    }
  });
}

const rateText = (rate: number): string => `${Number.isInteger(rate) ? rate : rate.toFixed(3).replace(/0+$/, '')} req/s`;

/** "20 req/s for 30.0s, then 100 req/s for 2m00s (12600 requests; fresh connection per request, timeout 2.0s)". */
export function describePlan(plan: LoadPlan): string {
  const stages = plan.stages.map((s) => `${rateText(s.rate)} for ${formatMs(s.durationMs)}`).join(', then ');
  const conn = plan.connections === 'fresh' ? 'fresh connection per request' : 'keep-alive connections';
  return `${stages} (${plan.plannedRequests} requests; ${conn}, timeout ${formatMs(plan.timeoutMs)})`;
}
