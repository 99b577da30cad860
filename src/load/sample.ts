/**
 * One request's result as the recorder keeps it — from vegeta's gob stream (vegeta-gob.ts, what the
 * runner reads) or its JSON form (`vegeta encode --to json`: one object per line with `timestamp` —
 * when the request was sent, RFC 3339 with nanoseconds —, `latency` in ns, `code` (0 when no response
 * came), `error`, `body` base64, cut at -max-body) — and the short names of why requests fail.
 */
import type { VegetaResult } from './vegeta-gob.ts';

/** One request. */
export interface LoadSample {
  /** Timeline offset (ms) at which it was sent. */
  t: number;
  latencyMs: number;
  /** HTTP status; 0 when no response arrived. */
  code: number;
  /** Why it failed (a {@link FailureKind}); undefined when it succeeded. */
  failure?: FailureKind;
  /** The generator's own error text, kept as an example per kind. */
  error?: string;
  /** The pod that answered, where the app says so (the demo app's `"pod"` field). */
  pod?: string;
}

/** Short names of failure kinds, most specific first. */
export const FAILURE_KINDS = [
  'timeout', 'connection refused', 'connection reset', 'connection closed', 'no route to host', 'network unreachable',
  'dns', 'HTTP 5xx', 'HTTP 4xx', 'HTTP 1xx', 'local ports exhausted', 'too many open files', 'other',
] as const;

/** Why a request failed. */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Failures of the sending machine, not of the system under test: they make a run inconclusive. */
export const GENERATOR_FAILURES: ReadonlySet<FailureKind> = new Set<FailureKind>(['local ports exhausted', 'too many open files']);

// Go's net and net/http error texts, as vegeta reports them. Order matters: the first match wins.
const ERROR_PATTERNS: ReadonlyArray<[RegExp, FailureKind]> = [
  [/cannot assign requested address/i, 'local ports exhausted'],
  [/too many open files/i, 'too many open files'],
  [/Client\.Timeout|deadline exceeded|i\/o timeout|timeout awaiting|request timeout|\btimed? ?out\b/i, 'timeout'],
  [/connection refused/i, 'connection refused'],
  [/connection reset/i, 'connection reset'],
  [/\bEOF\b|broken pipe|server closed|connection (?:was )?closed|use of closed network connection|transport connection broken/i, 'connection closed'],
  [/no route to host/i, 'no route to host'],
  [/network is unreachable/i, 'network unreachable'],
  [/no such host|lookup /i, 'dns'],
];

/**
 * The failure kind of one result, or undefined when it succeeded (2xx/3xx and no error). vegeta sets
 * `error` to the status line for codes < 200 or ≥ 400; redirects are not followed (-redirects=-1).
 */
export function classifyFailure(code: number, error: string | undefined): FailureKind | undefined {
  if (code >= 500) return 'HTTP 5xx';
  if (code >= 400) return 'HTTP 4xx';
  if (code > 0 && code < 200) return 'HTTP 1xx';
  if (!error) return code > 0 ? undefined : 'other';
  for (const [pattern, kind] of ERROR_PATTERNS) if (pattern.test(error)) return kind;
  return code > 0 ? undefined : 'other';
}

/** Wall-clock milliseconds of an RFC 3339 timestamp, keeping the sub-millisecond digits Date.parse drops. */
export function wallMsOf(timestamp: string): number {
  const ms = Date.parse(timestamp);
  if (timestamp.charCodeAt(19) !== 46 /* '.' */) return ms;
  let end = 20;
  while (end < timestamp.length && timestamp.charCodeAt(end) >= 48 && timestamp.charCodeAt(end) <= 57) end++;
  return end - 20 > 3 ? ms + Number(`0.${timestamp.slice(23, end)}`) : ms;
}

const POD_FIELD = /"(?:pod|hostname)"\s*:\s*"([^"\\]{1,253})"/;

/** The `"pod"` field of a (possibly cut) JSON body (the demo app), or `"hostname"` (podinfo and many others), if it is there. */
export function podFromBytes(body: Buffer | undefined): string | undefined {
  // latin1 is the cheapest decoding and keeps ASCII pod names intact.
  return body?.length ? POD_FIELD.exec(body.toString('latin1'))?.[1] : undefined;
}

/** The `"pod"` field of a (possibly cut) JSON body given in base64, if it is there. */
export function podFromBody(base64: string | null | undefined): string | undefined {
  return base64 ? podFromBytes(Buffer.from(base64, 'base64')) : undefined;
}

/** A decoded vegeta result as a sample. */
export function sampleFromResult(r: VegetaResult, toOffset: (wallMs: number) => number): LoadSample {
  const error = r.error || undefined;
  const failure = classifyFailure(r.code, error);
  const sample: LoadSample = { t: toOffset(r.wallMs), latencyMs: r.latencyNs / 1e6, code: r.code };
  if (failure) { sample.failure = failure; sample.error = error ?? `HTTP ${r.code}`; }
  const pod = podFromBytes(r.body);
  if (pod) sample.pod = pod;
  return sample;
}

interface VegetaJsonResult {
  code?: number;
  timestamp?: string;
  latency?: number;
  error?: string;
  body?: string | null;
}

/** End index (exclusive, after the closing quote) of the JSON string starting at `open` (a '"'). */
function stringEnd(line: string, open: number): number {
  for (let i = open + 1; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 92 /* \ */) i++;
    else if (ch === 34 /* " */) return i + 1;
  }
  return -1;
}

/**
 * Reads the five fields we need straight from the line, without building the whole object (headers
 * and all): vegeta's JSON encoder writes the fields in a fixed order — attack, seq, code, timestamp,
 * latency, bytes_out, bytes_in, error, body, … Undefined when the line does not look like that.
 */
function fastFields(line: string): VegetaJsonResult | undefined {
  const c = line.indexOf(',"code":');
  if (c < 0) return undefined;
  const code = Number.parseInt(line.slice(c + 8, c + 12), 10);
  const ts = line.indexOf('"timestamp":"', c);
  if (ts < 0) return undefined;
  const tsEnd = line.indexOf('"', ts + 13);
  const lat = line.indexOf(',"latency":', tsEnd);
  if (tsEnd < 0 || lat < 0) return undefined;
  const latency = Number.parseInt(line.slice(lat + 11, lat + 32), 10);
  const e = line.indexOf(',"error":"', lat);
  if (e < 0) return undefined;
  const eEnd = stringEnd(line, e + 9);
  if (eEnd < 0 || !line.startsWith(',"body":', eEnd)) return undefined;
  const error = eEnd === e + 11 ? '' : (JSON.parse(line.slice(e + 9, eEnd)) as string);
  let body: string | null = null;
  if (line.charCodeAt(eEnd + 8) === 34) {
    const bEnd = line.indexOf('"', eEnd + 9);
    if (bEnd < 0) return undefined;
    body = line.slice(eEnd + 9, bEnd);
  }
  if (Number.isNaN(code) || Number.isNaN(latency)) return undefined;
  return { code, timestamp: line.slice(ts + 13, tsEnd), latency, error, body };
}

/**
 * Decodes one line of `vegeta encode --to json`; undefined for a line that is not a result.
 * @param toOffset converts wall-clock ms (vegeta's send time) to a timeline offset
 */
export function parseVegetaResult(line: string, toOffset: (wallMs: number) => number): LoadSample | undefined {
  let r = fastFields(line);
  if (!r) {
    try { r = JSON.parse(line) as VegetaJsonResult; } catch { return undefined; }
  }
  if (typeof r !== 'object' || r === null || typeof r.timestamp !== 'string' || typeof r.latency !== 'number') return undefined;
  const wallMs = wallMsOf(r.timestamp);
  if (!Number.isFinite(wallMs)) return undefined;
  const body = r.body ? Buffer.from(r.body, 'base64') : undefined;
  return sampleFromResult({ code: typeof r.code === 'number' ? r.code : 0, wallMs, latencyNs: r.latency, error: r.error ?? '', body }, toOffset);
}

/**
 * A `toOffset` for vegeta's wall-clock send times: pairs the timeline's monotonic offset with the wall
 * clock once, now. (A wall-clock step during the load shifts later samples by that step.)
 */
export function wallClockToOffset(offsetNow: () => number, wallNow: () => number = Date.now): (wallMs: number) => number {
  const wall0 = wallNow();
  const offset0 = offsetNow();
  return (wallMs) => offset0 + (wallMs - wall0);
}
