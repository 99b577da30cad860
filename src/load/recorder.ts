/**
 * Streaming aggregation of a load's results with memory bounded by its duration, not by its requests:
 * results land in time slots (100 ms by send time) holding counts, failures by kind, status codes, a
 * log-scale latency histogram and the pods that answered. Any phase `[fromT, toT)` and a per-second
 * series are computed from the slots. The planned schedule (stages as they really started) is kept
 * beside them, so each window also knows how many requests should have been sent.
 */
import { bucketOf, createHistogram, mergeInto, quantile } from './histogram.ts';
import type { FailureKind, LoadSample } from './sample.ts';

/** Options of {@link createLoadRecorder}. */
export interface LoadRecorderOptions {
  /** Slot width (ms, a divisor of 1000); phases are resolved to this. Default 100. */
  slotMs?: number;
  /** At most this many slots (default 20 000 = 33 min at 100 ms); samples beyond are only counted as dropped. */
  maxSlots?: number;
  /** Distinct pod names kept; more are counted as "(other pods)". Default 1000. */
  maxPods?: number;
}

/** Latency percentiles (ms). */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What a window of the load looked like. */
export interface LoadStats {
  /** The window counted: the requested one resolved to slots and clipped to the load. */
  fromT: number;
  toT: number;
  requests: number;
  failed: number;
  /** failed / requests (0…1; 0 without requests). */
  errorRate: number;
  /** Failure kinds, commonest first, each with one of its error texts. */
  failures: Array<{ kind: FailureKind; count: number; example: string }>;
  /** Status codes by code; 0 counts requests that got no response. */
  statusCodes: Array<{ code: number; count: number }>;
  /** Of every request, failed ones included (a timeout counts with its timeout). */
  latencyMs: LatencySummary | undefined;
  /** Requests the plan meant to send in this window; undefined without a plan. */
  plannedRequests: number | undefined;
  plannedRate: number | undefined;
  /** Requests sent in the window per second of it. */
  achievedRate: number;
  /** Pods that answered (where the app names them), commonest first. */
  pods: Array<{ pod: string; count: number }>;
  distinctPods: number;
  firstFailureT: number | undefined;
  lastFailureT: number | undefined;
}

/** One second of the load, for timeline events and charts. */
export interface LoadSecond {
  /** Timeline offset (ms) at which this second starts. */
  t: number;
  requests: number;
  errors: number;
  /** undefined when no request was sent in this second. */
  p95Ms: number | undefined;
}

/** The aggregation of one load. */
export interface LoadRecorder {
  /** Adds one request's result (in any order: late answers land in the slot of their send time). */
  add(sample: LoadSample): void;
  /** Records that a constant-rate stage started at `startT` (its real start) for `durationMs`. */
  planStage(startT: number, rate: number, durationMs: number): void;
  /** Cuts the planned schedule at `t` (the load was stopped early). */
  endPlanAt(t: number): void;
  /** Statistics of the requests sent in `[fromT, toT)` (use ±Infinity for open ends). */
  stats(fromT?: number, toT?: number): LoadStats;
  /** Per-second series over `[fromT, toT)`. */
  series(fromT?: number, toT?: number): LoadSecond[];
  /** Requests recorded so far (dropped ones excluded). */
  readonly count: number;
  /** Samples outside the slots kept (the load ran longer than maxSlots allows). */
  readonly dropped: number;
  /** Planned [start, end) of the whole load; undefined before the first stage. */
  readonly planSpan: { fromT: number; toT: number } | undefined;
}

interface Slot {
  requests: number;
  failed: number;
  latency: Uint32Array;
  maxMs: number;
  codes: Map<number, number>;
  failures: Map<FailureKind, number> | undefined;
  pods: Map<number, number> | undefined;
  firstFailT: number;
  lastFailT: number;
}

interface Segment { fromT: number; toT: number; rate: number }

const OTHER_PODS = '(other pods)';

const bump = <K>(m: Map<K, number>, k: K, by = 1): void => { m.set(k, (m.get(k) ?? 0) + by); };

/** Creates an empty recorder. */
export function createLoadRecorder(options: LoadRecorderOptions = {}): LoadRecorder {
  const slotMs = options.slotMs ?? 100;
  if (!Number.isInteger(slotMs) || slotMs <= 0 || 1000 % slotMs !== 0) throw new RangeError(`slotMs must divide 1000, got ${slotMs}`);
  const maxSlots = options.maxSlots ?? 20_000;
  const maxPods = options.maxPods ?? 1000;
  const slots = new Map<number, Slot>();
  const podIndex = new Map<string, number>();
  const podNames: string[] = [];
  const examples = new Map<FailureKind, string>();
  const segments: Segment[] = [];
  let count = 0;
  let dropped = 0;
  let minSlot = Number.POSITIVE_INFINITY;
  let maxSlot = Number.NEGATIVE_INFINITY;

  const podId = (pod: string): number => {
    let id = podIndex.get(pod);
    if (id === undefined) {
      if (podNames.length >= maxPods) return -1;
      id = podNames.length;
      podNames.push(pod);
      podIndex.set(pod, id);
    }
    return id;
  };

  const slotFor = (index: number): Slot | undefined => {
    let slot = slots.get(index);
    if (slot) return slot;
    const lo = Math.min(minSlot, index);
    const hi = Math.max(maxSlot, index);
    if (hi - lo + 1 > maxSlots) return undefined;
    slot = { requests: 0, failed: 0, latency: createHistogram(), maxMs: 0, codes: new Map(), failures: undefined, pods: undefined, firstFailT: Number.POSITIVE_INFINITY, lastFailT: Number.NEGATIVE_INFINITY };
    slots.set(index, slot);
    minSlot = lo;
    maxSlot = hi;
    return slot;
  };

  const planSpan = (): { fromT: number; toT: number } | undefined => segments.length
    ? { fromT: Math.min(...segments.map((s) => s.fromT)), toT: Math.max(...segments.map((s) => s.toT)) }
    : undefined;

  /** The window in whole slots, clipped to the plan (or to the data without a plan). */
  const resolve = (fromT: number, toT: number): { lo: number; hi: number } => {
    const span = planSpan();
    const dataLo = minSlot * slotMs;
    const dataHi = (maxSlot + 1) * slotMs;
    const clipLo = span ? Math.floor(span.fromT / slotMs) * slotMs : dataLo;
    const clipHi = span ? Math.ceil(span.toT / slotMs) * slotMs : dataHi;
    const lo = Math.max(Number.isFinite(fromT) ? Math.round(fromT / slotMs) * slotMs : clipLo, clipLo);
    const hi = Math.min(Number.isFinite(toT) ? Math.round(toT / slotMs) * slotMs : clipHi, clipHi);
    return { lo, hi: Math.max(lo, hi) };
  };

  const plannedIn = (lo: number, hi: number): number | undefined => {
    if (!segments.length) return undefined;
    let planned = 0;
    for (const s of segments) planned += (s.rate * Math.max(0, Math.min(hi, s.toT) - Math.max(lo, s.fromT))) / 1000;
    return Math.round(planned * 1000) / 1000; // no 60.00000000000001 in messages
  };

  return {
    add(sample) {
      const slot = slotFor(Math.floor(sample.t / slotMs));
      if (!slot) { dropped++; return; }
      count++;
      slot.requests++;
      slot.latency[bucketOf(sample.latencyMs)]!++;
      if (sample.latencyMs > slot.maxMs) slot.maxMs = sample.latencyMs;
      bump(slot.codes, sample.code);
      if (sample.failure) {
        slot.failed++;
        bump(slot.failures ??= new Map(), sample.failure);
        if (sample.t < slot.firstFailT) slot.firstFailT = sample.t;
        if (sample.t > slot.lastFailT) slot.lastFailT = sample.t;
        if (!examples.has(sample.failure)) examples.set(sample.failure, (sample.error ?? sample.failure).slice(0, 300));
      }
      if (sample.pod !== undefined) bump(slot.pods ??= new Map(), podId(sample.pod));
    },

    planStage(startT, rate, durationMs) {
      segments.push({ fromT: startT, toT: startT + durationMs, rate });
    },

    endPlanAt(t) {
      for (const s of segments) s.toT = Math.max(s.fromT, Math.min(s.toT, t));
    },

    stats(fromT = Number.NEGATIVE_INFINITY, toT = Number.POSITIVE_INFINITY) {
      const { lo, hi } = count || segments.length ? resolve(fromT, toT) : { lo: 0, hi: 0 };
      const latency = createHistogram();
      const codes = new Map<number, number>();
      const failures = new Map<FailureKind, number>();
      const pods = new Map<number, number>();
      let requests = 0;
      let failed = 0;
      let maxMs = 0;
      let firstFailT = Number.POSITIVE_INFINITY;
      let lastFailT = Number.NEGATIVE_INFINITY;
      for (let i = Math.max(lo / slotMs, minSlot); i < Math.min(hi / slotMs, maxSlot + 1); i++) {
        const slot = slots.get(i);
        if (!slot) continue;
        requests += slot.requests;
        failed += slot.failed;
        mergeInto(latency, slot.latency);
        if (slot.maxMs > maxMs) maxMs = slot.maxMs;
        for (const [c, n] of slot.codes) bump(codes, c, n);
        if (slot.failures) for (const [k, n] of slot.failures) bump(failures, k, n);
        if (slot.pods) for (const [p, n] of slot.pods) bump(pods, p, n);
        if (slot.firstFailT < firstFailT) firstFailT = slot.firstFailT;
        if (slot.lastFailT > lastFailT) lastFailT = slot.lastFailT;
      }
      // Rates are per second of the window that overlaps the plan (slot rounding must not dilute them).
      const span = planSpan();
      const seconds = (span ? Math.max(0, Math.min(hi, span.toT) - Math.max(lo, span.fromT)) : hi - lo) / 1000;
      const plannedRequests = plannedIn(lo, hi);
      const q = (p: number): number => quantile(latency, requests, p, maxMs) ?? 0;
      return {
        fromT: lo,
        toT: hi,
        requests,
        failed,
        errorRate: requests ? failed / requests : 0,
        failures: [...failures].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([kind, n]) => ({ kind, count: n, example: examples.get(kind) ?? kind })),
        statusCodes: [...codes].sort((a, b) => a[0] - b[0]).map(([code, n]) => ({ code, count: n })),
        latencyMs: requests ? { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: maxMs } : undefined,
        plannedRequests,
        plannedRate: plannedRequests === undefined ? undefined : seconds > 0 ? plannedRequests / seconds : 0,
        achievedRate: seconds > 0 ? requests / seconds : 0,
        pods: [...pods].map(([id, n]) => ({ pod: podNames[id] ?? OTHER_PODS, count: n })).sort((a, b) => b.count - a.count || (a.pod < b.pod ? -1 : 1)),
        distinctPods: pods.size,
        firstFailureT: Number.isFinite(firstFailT) ? firstFailT : undefined,
        lastFailureT: Number.isFinite(lastFailT) ? lastFailT : undefined,
      };
    },

    series(fromT = Number.NEGATIVE_INFINITY, toT = Number.POSITIVE_INFINITY) {
      if (!count) return [];
      const firstSecond = Math.floor(Math.max(fromT, minSlot * slotMs) / 1000);
      const endSecond = Math.ceil(Math.min(toT, (maxSlot + 1) * slotMs) / 1000);
      const out: LoadSecond[] = [];
      const h = createHistogram();
      for (let sec = firstSecond; sec < endSecond; sec++) {
        h.fill(0);
        let requests = 0;
        let errors = 0;
        let maxMs = 0;
        for (let i = Math.floor((sec * 1000) / slotMs); i < Math.floor(((sec + 1) * 1000) / slotMs); i++) {
          const slot = slots.get(i);
          if (!slot) continue;
          requests += slot.requests;
          errors += slot.failed;
          mergeInto(h, slot.latency);
          if (slot.maxMs > maxMs) maxMs = slot.maxMs;
        }
        out.push({ t: sec * 1000, requests, errors, p95Ms: quantile(h, requests, 0.95, maxMs) });
      }
      return out;
    },

    get count() { return count; },
    get dropped() { return dropped; },
    get planSpan() { return planSpan(); },
  };
}
