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
   * Readable lines "+12.3s fault.injected pod-kill …" from `sinceT` on, at most `limit` (the latest),
   * repeats collapsed (see {@link excerptLines}). Only excerptable kinds (events.ts `isExcerptable`:
   * not the per-second load.second entries), unless `include` says otherwise. With `about` (object names
   * as "pod/api-7c9-x"), the warnings about those objects come first.
   */
  excerpt(sinceT?: number, limit?: number, include?: (e: TimelineEvent) => boolean, about?: readonly string[]): string[];
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
    excerpt(sinceT = 0, limit = EXCERPT_LIMIT, include = isExcerptable, about) {
      return excerptLines(entries.filter((e) => e.t >= sinceT && include(e)), limit, about);
    },
    toJSON: () => ({ startedAt, events: entries }),
  };
  return timeline;
}

/** Lines of a failure's timeline excerpt, at most. */
export const EXCERPT_LIMIT = 12;
/** Of which warnings about the failure's own objects, at most. */
const FOCUS_LIMIT = 4;

type K8sEvent = Extract<TimelineEvent, { kind: 'k8s.event' }>;

/** Entries that say the same thing again: identical lines, or one Event message about sibling objects. */
function sameKey(e: TimelineEvent): string | undefined {
  if (e.kind === 'k8s.event') return `${e.type}|${e.reason}|${e.object.split('/')[0]}|${e.message}`;
  // Watch-driven transitions may flap (Ready ↔ NotReady); the other kinds each mark a step of the scenario.
  if (e.kind.startsWith('k8s.') || e.kind === 'watch.lost') return `${e.kind}|${describeEvent(e)}`;
  return undefined;
}

interface Group { first: TimelineEvent; last: TimelineEvent; count: number; objects: string[] }

/** The kubelet doubles each start failure with a bare "Error: ErrImagePull" about the same pod: noise. */
function isEcho(e: TimelineEvent, all: readonly TimelineEvent[]): boolean {
  if (e.kind !== 'k8s.event' || !/^Error: \w+$/.test(e.message)) return false;
  const reason = e.message.slice('Error: '.length);
  return all.some((o) => o !== e && o.kind === 'k8s.event' && o.object === e.object && (o.reason === reason || (o.type === 'Warning' && !/^Error: \w+$/.test(o.message))));
}

function renderGroup(g: Group): string {
  const e = g.last;
  let text = describeEvent(e);
  if (e.kind === 'k8s.event' && g.objects.length > 1) {
    const others = g.objects.length - 1;
    text = `${e.reason} ${g.objects[0]} (and ${others} more ${e.object.split('/')[0]}${others === 1 ? '' : 's'}): ${e.message}`;
  }
  const repeat = g.count > 1 ? ` (×${g.count} since ${formatOffset(g.first.t)})` : '';
  return `${formatOffset(e.t).padStart(8)} ${e.kind.padEnd(16)} ${text}${repeat}`;
}

/**
 * A short excerpt a student can read: repeated entries (an Event the kubelet re-sends every few
 * seconds, metrics retries, the same warning about each pod of a ReplicaSet) collapse into one line
 * "… (×12 since +3.0s)" at their latest time; the bare "Error: <reason>" echo of a kubelet warning is
 * left out. With `about`, up to FOCUS_LIMIT warning Events about those objects come first (newest
 * last), then the latest other entries, `limit` lines in all.
 */
export function excerptLines(entries: readonly TimelineEvent[], limit = EXCERPT_LIMIT, about?: readonly string[]): string[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const e of entries) {
    if (isEcho(e, entries)) continue;
    const key = sameKey(e);
    const g = key === undefined ? undefined : byKey.get(key);
    const object = e.kind === 'k8s.event' ? e.object : '';
    if (g) {
      g.count++;
      g.last = e;
      if (object && !g.objects.includes(object)) g.objects.push(object);
      continue;
    }
    const fresh: Group = { first: e, last: e, count: 1, objects: object ? [object] : [] };
    groups.push(fresh);
    if (key !== undefined) byKey.set(key, fresh);
  }
  groups.sort((a, b) => a.last.t - b.last.t);
  const wanted = new Set(about ?? []);
  const isFocus = (g: Group): boolean => g.last.kind === 'k8s.event' && (g.last as K8sEvent).type === 'Warning' && g.objects.some((o) => wanted.has(o));
  const focus = wanted.size ? groups.filter(isFocus).slice(-FOCUS_LIMIT) : [];
  const rest = groups.filter((g) => !focus.includes(g)).slice(-Math.max(0, limit - focus.length));
  if (!focus.length) return rest.map(renderGroup);
  return ['warnings about it:', ...focus.map(renderGroup), ...(rest.length ? ['latest:', ...rest.map(renderGroup)] : [])];
}

/**
 * Time to recover: from the last fault injected before `endT` to `endT` (the moment the recovery
 * condition was seen). Undefined when no fault preceded it.
 */
export function timeToRecover(timeline: Timeline, endT: number): number | undefined {
  const fault = timeline.last('fault.injected', (e) => e.t <= endT);
  return fault ? endT - fault.t : undefined;
}
