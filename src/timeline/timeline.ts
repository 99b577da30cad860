/** Append-only timeline of one scenario: monotonic offsets for arithmetic, wall time for people. */
import { formatOffset } from '../util/duration.ts';
import type { Clock } from '../util/clock.ts';
import { describeEvent, isExcerptable } from './events.ts';
import type { TimelineEvent, TimelineKind, TimelinePayload } from './events.ts';

/** The recorder handed to steps, faults and conditions. */
export interface Timeline {
  /** Monotonic time (ms) at which the scenario started. */
  readonly origin: number;
  record(payload: TimelinePayload): TimelineEvent;
  events(): readonly TimelineEvent[];
  /** Last entry of a kind (optionally matching a predicate). */
  last<K extends TimelineKind>(kind: K, where?: (e: Extract<TimelineEvent, { kind: K }>) => boolean): Extract<TimelineEvent, { kind: K }> | undefined;
  /** Offset (ms since origin) of now. */
  offsetNow(): number;
  /**
   * Readable lines "+12.3s fault.injected pod-kill …" from `sinceT` on, at most `limit` (the latest).
   * Only excerptable kinds (events.ts `isExcerptable`: not the per-second load.second entries), unless
   * `include` says otherwise.
   */
  excerpt(sinceT?: number, limit?: number, include?: (e: TimelineEvent) => boolean): string[];
  toJSON(): { startedAt: string; events: readonly TimelineEvent[] };
}

/** Creates an empty timeline starting now. */
export function createTimeline(clock: Clock): Timeline {
  const origin = clock.now();
  const startedAt = clock.wall().toISOString();
  const entries: TimelineEvent[] = [];
  const timeline: Timeline = {
    origin,
    record(payload) {
      const event = { ...payload, t: clock.now() - origin, at: clock.wall().toISOString() } as TimelineEvent;
      entries.push(event);
      return event;
    },
    events: () => entries,
    last(kind, where) {
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i];
        if (e?.kind === kind && (!where || where(e as never))) return e as never;
      }
      return undefined;
    },
    offsetNow: () => clock.now() - origin,
    excerpt(sinceT = 0, limit = 15, include = isExcerptable) {
      return entries
        .filter((e) => e.t >= sinceT && include(e))
        .slice(-limit)
        .map((e) => `${formatOffset(e.t).padStart(8)} ${e.kind.padEnd(16)} ${describeEvent(e)}`);
    },
    toJSON: () => ({ startedAt, events: entries }),
  };
  return timeline;
}

/**
 * Time to recover: from the last fault injected before `endT` to `endT` (the moment the recovery
 * condition was seen). Undefined when no fault preceded it.
 */
export function timeToRecover(timeline: Timeline, endT: number): number | undefined {
  const fault = timeline.last('fault.injected', (e) => e.t <= endT);
  return fault ? endT - fault.t : undefined;
}
