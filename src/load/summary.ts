/**
 * Text for people: the load summary attached to the report (per phase: requests, planned vs achieved
 * rate, latency percentiles, status codes, errors by kind, pods) and the progress line printed every
 * few seconds while a load runs.
 */
import { formatMs, formatOffset } from '../util/duration.ts';
import { judgeGenerator } from './honesty.ts';
import { describePlan } from './plan.ts';
import type { LoadPlan } from './plan.ts';
import type { LoadRecorder, LoadStats } from './recorder.ts';

/** A named window of the load, given by the caller (e.g. before / during the fault / after recovery). */
export interface LoadPhase {
  name: string;
  fromT: number;
  toT: number;
}

/** "0.42 ms", "12.3 ms", "123 ms", "2.00 s". */
export function formatLatency(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const rate = (r: number): string => `${r >= 100 ? r.toFixed(0) : r.toFixed(1)} req/s`;
const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 2 : 1)} %`;

/** "12/600 failed (2.0 %: 10 timeout, 2 HTTP 5xx)" — one line for messages. */
export function describeLoadStats(s: LoadStats): string {
  if (!s.requests) return 'no requests';
  const why = s.failures.slice(0, 3).map((f) => `${f.count} ${f.kind}`).join(', ');
  return `${s.failed}/${s.requests} failed (${pct(s.errorRate)}${why ? `: ${why}` : ''})`;
}

/** The lines of one window. */
export function formatStatsBlock(title: string, s: LoadStats): string[] {
  const lines = [`${title} (${formatOffset(s.fromT)} → ${formatOffset(s.toT)}): ${s.requests} requests, ${describeLoadStats(s).replace(/^\d+\/\d+ /, '')}`];
  if (!s.requests && s.plannedRequests === undefined) return lines;
  const verdict = judgeGenerator(s, title);
  const planned = s.plannedRate === undefined ? '' : `planned ${rate(s.plannedRate)}, `;
  const ratio = verdict.ratio === undefined ? '' : ` (${(verdict.ratio * 100).toFixed(1)} %)`;
  lines.push(`  rate      ${planned}achieved ${rate(s.achievedRate)}${ratio}${verdict.saturated ? ' — GENERATOR SATURATED' : ''}`);
  if (s.latencyMs) lines.push(`  latency   p50 ${formatLatency(s.latencyMs.p50)}, p95 ${formatLatency(s.latencyMs.p95)}, p99 ${formatLatency(s.latencyMs.p99)}, max ${formatLatency(s.latencyMs.max)}`);
  if (s.statusCodes.length) lines.push(`  status    ${s.statusCodes.map((c) => `${c.code === 0 ? 'no response' : c.code} × ${c.count}`).join(', ')}`);
  if (s.failures.length) lines.push(`  errors    ${s.failures.map((f) => `${f.count} ${f.kind}`).join(', ')}`);
  if (s.distinctPods) {
    const shown = s.pods.slice(0, 8).map((p) => `${p.pod} ${p.count}`).join(', ');
    lines.push(`  pods      ${s.distinctPods} answered (${shown}${s.pods.length > 8 ? ', …' : ''})`);
  }
  if (s.firstFailureT !== undefined) lines.push(`  failures  first at ${formatOffset(s.firstFailureT)}, last at ${formatOffset(s.lastFailureT ?? s.firstFailureT)}`);
  if (verdict.reason) lines.push(`  ${verdict.reason}`);
  return lines;
}

/** What {@link formatLoadSummary} needs. */
export interface LoadSummaryInput {
  /** e.g. "service/api (127.0.0.1:30080)". */
  target: string;
  plan: LoadPlan;
  recorder: LoadRecorder;
  phases?: readonly LoadPhase[];
  /** Extra lines about how the load ended (stopped early, generator errors). */
  notes?: readonly string[];
  /** While the load still runs: what is settled so far ends here (the plan's future is not "missed"). */
  untilT?: number;
  /** Names the load instead of the plan (a k6 script owns its schedule). */
  planText?: string;
}

/** The report attachment: the plan, the whole load, then each phase; with one example per error kind. */
export function formatLoadSummary(input: LoadSummaryInput): string {
  const until = input.untilT ?? Number.POSITIVE_INFINITY;
  const all = input.recorder.stats(Number.NEGATIVE_INFINITY, until);
  const lines = [`load on ${input.target}: ${input.planText ?? describePlan(input.plan)}`, `  target    ${input.plan.url}`];
  for (const note of input.notes ?? []) lines.push(`  note      ${note}`);
  lines.push('', ...formatStatsBlock(input.untilT === undefined ? 'whole load' : 'load so far', all));
  for (const phase of input.phases ?? []) lines.push('', ...formatStatsBlock(phase.name, input.recorder.stats(phase.fromT, Math.min(phase.toT, until))));
  if (all.failures.length) {
    lines.push('', 'error examples:');
    for (const f of all.failures) lines.push(`  ${f.kind}: ${f.example}`);
  }
  if (input.recorder.dropped) lines.push('', `${input.recorder.dropped} results arrived outside the recorded time range and were not counted`);
  return lines.join('\n');
}

/** What {@link formatProgress} needs. */
export interface ProgressInput {
  recorder: LoadRecorder;
  plan: LoadPlan;
  /** Timeline offset at which the load started. */
  startedT: number;
  nowT: number;
  /** The recent window the rate and errors are measured over (default 5 s). */
  windowMs?: number;
  /** The latest stretch left out because its answers may still be on their way (default 1 s; the request timeout is exact). */
  settleMs?: number;
}

/**
 * One progress line, e.g. "load +0:42/2:30: 49.8 req/s (planned 50.0), 3 errors (0.6 %) in the last 5.0s,
 * p95 12.0 ms, 3 pods". The last second (or `settleMs`) is left out: its answers may still be on their way.
 */
export function formatProgress(p: ProgressInput): string {
  const windowMs = p.windowMs ?? 5_000;
  const toT = Math.max(p.startedT, p.nowT - (p.settleMs ?? 1_000));
  const fromT = Math.max(p.startedT, toT - windowMs);
  const s = p.recorder.stats(fromT, toT);
  const elapsed = Math.max(0, Math.min(p.nowT - p.startedT, p.plan.totalMs));
  const planned = s.plannedRate === undefined ? '' : ` (planned ${s.plannedRate >= 100 ? s.plannedRate.toFixed(0) : s.plannedRate.toFixed(1)})`;
  const errors = `${s.failed} error${s.failed === 1 ? '' : 's'}${s.requests ? ` (${pct(s.errorRate)})` : ''}`;
  const p95 = s.latencyMs ? `, p95 ${formatLatency(s.latencyMs.p95)}` : '';
  const pods = s.distinctPods ? `, ${s.distinctPods} pod${s.distinctPods === 1 ? '' : 's'}` : '';
  return `load ${formatMs(elapsed)}/${formatMs(p.plan.totalMs)}: ${rate(s.achievedRate)}${planned}, ${errors} in the last ${formatMs(s.toT - s.fromT)}${p95}${pods}`;
}
