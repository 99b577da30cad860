/**
 * Steady HTTP traffic from the host to a NodePort on 127.0.0.1, sent by the runner itself (Node's
 * fetch). It stands in where k6 is not installed (see docs/load.md): an open model — one request
 * every 1/rate seconds whether or not earlier ones have answered, so a dead backend shows up as
 * failures instead of slowing the sender down. Bounded: it stops by itself after its duration.
 */

/** One request's result; `t` is the timeline offset (ms) at which it was sent. */
export interface TrafficSample {
  t: number;
  ms: number;
  ok: boolean;
  /** "HTTP 200", "HTTP 503", "timeout", "ECONNREFUSED", … */
  outcome: string;
}

/** What {@link startSteadyTraffic} needs. */
export interface SteadyTrafficOptions {
  url: string;
  perSecond: number;
  durationMs: number;
  /** A request not answered within this is a failure ("timeout"). */
  requestTimeoutMs: number;
  /** Timeline offset now (ms). */
  offsetNow: () => number;
  /** Injectable for unit tests. */
  fetchImpl?: typeof fetch;
}

/** A running traffic generator. */
export interface SteadyTraffic {
  readonly samples: readonly TrafficSample[];
  /** Resolves when the duration is over (or stop() was called) and every request has answered. */
  readonly done: Promise<readonly TrafficSample[]>;
  stop(): void;
}

/** The short name of why a request failed. */
export function classifyFailure(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string }; message?: string };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code ?? e?.code;
  // undici's name for "the other side closed the connection" (e.g. a NodePort whose backend refused).
  if (code === 'UND_ERR_SOCKET') return 'connection closed';
  return code ?? e?.message ?? String(err);
}

/** Starts sending; never throws (every failure is a sample). */
export function startSteadyTraffic(o: SteadyTrafficOptions): SteadyTraffic {
  const doFetch = o.fetchImpl ?? fetch;
  const samples: TrafficSample[] = [];
  const inFlight = new Set<Promise<void>>();
  const startedAt = o.offsetNow();
  const total = Math.round((o.perSecond * o.durationMs) / 1000);
  let sent = 0;
  let stopped = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => { finish = resolve; });

  const sendOne = (): void => {
    const t = o.offsetNow();
    const request = doFetch(o.url, { signal: AbortSignal.timeout(o.requestTimeoutMs) })
      .then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        samples.push({ t, ms: o.offsetNow() - t, ok: res.ok, outcome: `HTTP ${res.status}` });
      })
      .catch((err: unknown) => { samples.push({ t, ms: o.offsetNow() - t, ok: false, outcome: classifyFailure(err) }); })
      .finally(() => { inFlight.delete(request); });
    inFlight.add(request);
  };

  // Each tick sends however many requests are due by now, so timer jitter does not lower the rate.
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((o.offsetNow() - startedAt) * o.perSecond) / 1000) + 1);
    while (!stopped && sent < due) { sendOne(); sent++; }
    if (stopped || sent >= total) { clearInterval(timer); finish(); }
  }, Math.max(5, Math.min(50, 1000 / o.perSecond)));

  const done = finished.then(async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
    return samples as readonly TrafficSample[];
  });
  return {
    samples,
    done,
    stop() { stopped = true; },
  };
}

/** Requests and failures of one phase, with the commonest failure reasons. */
export interface PhaseStats {
  requests: number;
  failed: number;
  /** failed / requests, 0…1 (0 when there were no requests). */
  errorRate: number;
  reasons: Array<[string, number]>;
}

/** Counts samples sent in [fromT, toT). */
export function phaseStats(samples: readonly TrafficSample[], fromT: number, toT: number): PhaseStats {
  const inPhase = samples.filter((s) => s.t >= fromT && s.t < toT);
  const failed = inPhase.filter((s) => !s.ok);
  const counts = new Map<string, number>();
  for (const s of failed) counts.set(s.outcome, (counts.get(s.outcome) ?? 0) + 1);
  return {
    requests: inPhase.length,
    failed: failed.length,
    errorRate: inPhase.length ? failed.length / inPhase.length : 0,
    reasons: [...counts].sort((a, b) => b[1] - a[1]),
  };
}

/** "12/600 failed (2.0%: 10 timeout, 2 HTTP 503)" */
export function describeStats(s: PhaseStats): string {
  if (!s.requests) return 'no requests';
  const why = s.reasons.slice(0, 3).map(([r, n]) => `${n} ${r}`).join(', ');
  return `${s.failed}/${s.requests} failed (${(s.errorRate * 100).toFixed(1)}%${why ? `: ${why}` : ''})`;
}
