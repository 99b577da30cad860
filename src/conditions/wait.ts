/**
 * The one waiting core. Every wait in kubeproof — the temporal assertions, a guard held while a drain
 * runs, a fault waiting to see its effect, probe pods waiting to finish — is "evaluate now, then again on
 * every change of these watch stores, until the probe answers or the deadline passes". Nothing polls
 * and nothing sleeps: a timer only marks the deadline.
 */
import type { ObjectStore } from '../cluster/types.ts';

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** Time allowed; at its end the wait resolves with `{ met: false }`. Infinity = until aborted or met. */
  timeoutMs: number;
  /** Aborts the wait: it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How a wait ended: the probe's first defined answer, or the deadline. */
export type WaitOutcome<T> = { met: true; value: T } | { met: false };

/**
 * Evaluates `probe` once the stores have listed, then on every change of any of them. Resolves with the
 * first value other than `undefined`, or `{ met: false }` when `timeoutMs` passes first. A probe that
 * throws rejects the wait with its error (e.g. a final state that makes waiting pointless).
 */
export async function waitUntil<T>(stores: readonly ObjectStore[], probe: () => T | undefined, options: WaitOptions): Promise<WaitOutcome<T>> {
  options.signal?.throwIfAborted();
  await Promise.all(stores.map((s) => s.ready));
  return new Promise<WaitOutcome<T>>((resolve, reject) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribers: Array<() => void> = [];
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribers.forEach((u) => u());
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => finish(() => reject(options.signal?.reason));
    const evaluate = (): void => {
      if (done) return;
      let value: T | undefined;
      try {
        value = probe();
      } catch (err) {
        finish(() => reject(err));
        return;
      }
      if (value !== undefined) finish(() => resolve({ met: true, value: value as T }));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) { onAbort(); return; }
    for (const store of stores) unsubscribers.push(store.onChange(evaluate));
    if (Number.isFinite(options.timeoutMs)) timer = setTimeout(() => finish(() => resolve({ met: false })), Math.max(0, options.timeoutMs));
    evaluate();
  });
}
