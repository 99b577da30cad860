/**
 * Waiting on what no watch can show — a file inside a container, an answer through an ingress: ask
 * again after 250 ms, 500 ms, 1 s, then every 2 s (each attempt bounded by the time left), until the
 * probe answers or the deadline passes. The last observation is kept for the failure message.
 */
import { sleep } from '../util/clock.ts';

/** Pauses between attempts; the last one repeats. */
export const POLL_INTERVALS_MS = [250, 500, 1_000, 2_000] as const;

/** How a poll ended: the probe's answer, or the deadline with the last thing it saw. */
export type PollOutcome<T, O> = { met: true; value: T; attempts: number } | { met: false; last: O | undefined; attempts: number };

/**
 * Calls `probe` until it returns `{ done: value }` or `timeoutMs` passes; `{ seen }` answers are kept
 * as the last observation. A probe that throws ends the poll with its error.
 */
export async function pollUntil<T, O>(probe: (remainingMs: number) => Promise<{ done: T } | { seen: O }>, options: { timeoutMs: number; signal?: AbortSignal; now?: () => number }): Promise<PollOutcome<T, O>> {
  const now = options.now ?? (() => performance.now());
  const deadline = now() + options.timeoutMs;
  let last: O | undefined;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const answer = await probe(Math.max(0, deadline - now()));
    if ('done' in answer) return { met: true, value: answer.done, attempts: attempt };
    last = answer.seen;
    const pause = POLL_INTERVALS_MS[Math.min(attempt - 1, POLL_INTERVALS_MS.length - 1)] ?? 2_000;
    if (now() + pause >= deadline) return { met: false, last, attempts: attempt };
    await sleep(pause, options.signal);
  }
}
