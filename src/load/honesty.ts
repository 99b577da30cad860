/**
 * Generator honesty: a load that was not sent as planned proves nothing about the system under test.
 * Below 95 % of the planned rate over a window (or with failures of the sending machine itself, such
 * as running out of local ports) the generator is "saturated" and a would-be PASS becomes INCONCLUSIVE.
 */
import { formatOffset } from '../util/duration.ts';
import type { LoadStats } from './recorder.ts';
import { GENERATOR_FAILURES } from './sample.ts';

/** Achieved/planned below this is saturation. */
export const MIN_ACHIEVED_RATIO = 0.95;
/** Requests a window may miss at its edges without blame (vegeta sends the first request one interval in). */
export const EDGE_SLACK_REQUESTS = 2;

/** Whether the generator kept up over one window, with the numbers. */
export interface GeneratorVerdict {
  saturated: boolean;
  /** One line for the report and the INCONCLUSIVE reason; undefined when it kept up. */
  reason: string | undefined;
  plannedRequests: number | undefined;
  requests: number;
  plannedRate: number | undefined;
  achievedRate: number;
  /** achieved / planned (undefined without a plan). */
  ratio: number | undefined;
  /** Requests that failed on the sending machine (local ports, open files), not on the system under test. */
  generatorFailures: number;
}

const rate = (r: number): string => `${r >= 100 ? r.toFixed(0) : r.toFixed(1)} req/s`;

/**
 * Judges one window's stats; `phase` names the window in the reason. Windows without a plan (e.g. a
 * user's k6 script) are never called saturated on rate, only on failures of the sending machine.
 */
export function judgeGenerator(stats: LoadStats, phase = 'whole load'): GeneratorVerdict {
  const own = stats.failures.filter((f) => GENERATOR_FAILURES.has(f.kind));
  const generatorFailures = own.reduce((n, f) => n + f.count, 0);
  const planned = stats.plannedRequests;
  const ratio = planned === undefined ? undefined : planned > 0 ? stats.requests / planned : 1;
  const behind = planned !== undefined && planned >= 1 && stats.requests < MIN_ACHIEVED_RATIO * planned - EDGE_SLACK_REQUESTS;
  const parts: string[] = [];
  if (behind) parts.push(`${rate(stats.achievedRate)} sent of ${rate(stats.plannedRate ?? 0)} planned (${((ratio ?? 0) * 100).toFixed(0)} %, ${stats.requests} of ${Math.round(planned)} requests)`);
  if (generatorFailures) parts.push(`${generatorFailures} requests failed on this machine itself (${own.map((f) => `${f.count} ${f.kind}`).join(', ')})`);
  const reason = parts.length
    ? `load generator saturated in "${phase}" (${formatOffset(stats.fromT)} → ${formatOffset(stats.toT)}): ${parts.join('; ')}, so the result cannot be trusted: lower the rate or free this machine's CPU`
    : undefined;
  return { saturated: parts.length > 0, reason, plannedRequests: planned, requests: stats.requests, plannedRate: stats.plannedRate, achievedRate: stats.achievedRate, ratio, generatorFailures };
}
