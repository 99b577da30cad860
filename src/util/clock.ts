/** Time source for conditions and the timeline; injectable so unit tests control it. */
export interface Clock {
  /** Monotonic milliseconds, for deadlines and latencies (never goes back when NTP adjusts). */
  now(): number;
  /** Wall-clock time, for timestamps people read. */
  wall(): Date;
}

/** The real clock: performance.now() is monotonic, Date is wall time. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wall: () => new Date(),
};

/** Sleep that ends early (rejecting) when the signal aborts, so cancellation is never ignored. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
