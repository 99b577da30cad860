/**
 * The timeline chart's data: what a grader should see, extracted from timeline entries. Pure and
 * library-free (times in seconds since the scenario started); chart-option.ts turns it into a picture.
 */
import type { TimelineEvent } from '../timeline/events.ts';

/** One point of a series: [seconds since start, value]. */
export type Point = [number, number];

/** A named series of points (step series hold each value until the next point). */
export interface Series {
  name: string;
  points: Point[];
}

/** A time window [startS, endS]; `open` when it was still running at the end of the chart. */
export interface Window {
  label: string;
  startS: number;
  endS: number;
  open: boolean;
  /** Repeated injections of one fault merged into this window: each injection's moment. */
  starts?: number[];
}

/** Ready and desired replicas of one Deployment. */
export interface DeploymentSeries {
  name: string;
  ready: Point[];
  desired: Point[];
}

/** Ready pods of each ReplicaSet of a Deployment that rolled out (two or more ReplicaSets had pods). */
export interface Rollout {
  deployment: string;
  /**
   * Oldest first. `revisions` lists every revision the ReplicaSet carried, in order: a rollback
   * moves the old ReplicaSet to a new revision ("1", "3").
   */
  replicaSets: Array<{ name: string; revisions: string[]; image?: string; ready: Point[]; desired: Point[] }>;
}

/** What one HorizontalPodAutoscaler did and saw. */
export interface HpaSeries {
  name: string;
  current: Point[];
  desired: Point[];
  cpu: Point[];
  target: Point[];
  min?: number;
  max?: number;
}

/** Load on one target, one point per second. */
export interface LoadSeries {
  target: string;
  requests: Point[];
  errors: Point[];
  p95Ms: Point[];
}

/** A met or failed condition. */
export interface ConditionMark {
  t: number;
  ok: boolean;
  text: string;
}

/** Everything the chart draws. */
export interface ChartData {
  endS: number;
  deployments: DeploymentSeries[];
  rollouts: Rollout[];
  /** Ready pods per node (plus "unscheduled" pending pods when there were any). */
  podsPerNode: Series[];
  hpas: HpaSeries[];
  load: LoadSeries[];
  faults: Window[];
  nodesNotReady: Window[];
  loadWindows: Window[];
  conditions: ConditionMark[];
}

/** Options of the extraction. */
export interface ChartDataOptions {
  /**
   * End of the chart (ms since the scenario started), e.g. when the steps finished: later entries
   * (cleanup, namespace deletion) are not drawn and open windows close there. Default: the last entry.
   */
  endMs?: number;
}

const sec = (ms: number): number => Math.round(ms) / 1000;

/** Appends a step point when the value changed (a same-time point replaces the previous one). */
function step(points: Point[], t: number, value: number): void {
  const last = points[points.length - 1];
  if (last && last[1] === value) return;
  if (last && last[0] === t) {
    points.pop();
    const before = points[points.length - 1];
    if (before && before[1] === value) return;
  }
  points.push([t, value]);
}

/** Holds the last value of a step series until `endS`. */
function hold(points: Point[], endS: number): Point[] {
  const last = points[points.length - 1];
  return last && last[0] < endS ? [...points, [endS, last[1]]] : points;
}

function group<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** "node/w2" and "w2" name the same thing: faults and their undos name targets differently. */
const bareName = (target: string): string => target.slice(target.lastIndexOf('/') + 1);

/**
 * Fault windows: from each injection to its revert (matched by fault name, else by target), or the
 * end. One-shot faults (pod-kill) have no revert: a repeat of the same fault on the same target ends
 * the previous window, and back-to-back windows of one fault merge into one labelled "×N".
 */
function faultWindows(events: readonly TimelineEvent[], endS: number): Window[] {
  const windows: Array<Window & { fault: string; target: string }> = [];
  for (const e of events) {
    if (e.kind === 'fault.injected') {
      const repeated = windows.find((w) => w.open && w.fault === e.fault && w.target === e.target);
      if (repeated) Object.assign(repeated, { endS: sec(e.t), open: false });
      windows.push({ label: `${e.fault} ${e.target}`, startS: sec(e.t), endS, open: true, fault: e.fault, target: e.target });
    } else if (e.kind === 'fault.reverted') {
      const open = windows.filter((w) => w.open);
      const match = open.find((w) => w.fault === e.fault && w.target === e.target)
        ?? open.find((w) => w.fault === e.fault || bareName(w.target) === bareName(e.target));
      if (match) Object.assign(match, { endS: sec(e.t), open: false });
    }
  }
  const merged: Array<{ key: string; window: Window }> = [];
  for (const { label, startS, endS: end, open } of windows) {
    const previous = merged.findLast((m) => m.key === label && m.window.endS >= startS)?.window;
    if (!previous) { merged.push({ key: label, window: { label, startS, endS: end, open } }); continue; }
    const starts = [...(previous.starts ?? [previous.startS]), startS];
    Object.assign(previous, { endS: Math.max(previous.endS, end), open: previous.open || open, starts, label: `${label} ×${starts.length}` });
  }
  return merged.map((m) => m.window);
}

function nodeWindows(events: readonly TimelineEvent[], endS: number): Window[] {
  const down = new Map<string, number>();
  const windows: Window[] = [];
  for (const e of events) {
    if (e.kind !== 'k8s.node') continue;
    const since = down.get(e.name);
    if (!e.ready && since === undefined) down.set(e.name, sec(e.t));
    if (e.ready && since !== undefined) {
      windows.push({ label: `${e.name} NotReady`, startS: since, endS: sec(e.t), open: false });
      down.delete(e.name);
    }
  }
  for (const [name, since] of down) windows.push({ label: `${name} NotReady`, startS: since, endS, open: true });
  return windows.sort((a, b) => a.startS - b.startS);
}

function loadWindows(events: readonly TimelineEvent[], endS: number): Window[] {
  const windows: Window[] = [];
  for (const e of events) {
    if (e.kind === 'load.started') windows.push({ label: `load ${e.target}`, startS: sec(e.t), endS, open: true });
    if (e.kind === 'load.stopped') {
      const w = windows.find((x) => x.open && x.label === `load ${e.target}`);
      if (w) Object.assign(w, { endS: sec(e.t), open: false });
    }
  }
  return windows;
}

function deployments(events: readonly TimelineEvent[], endS: number): DeploymentSeries[] {
  const byName = new Map<string, DeploymentSeries>();
  for (const e of events) {
    if (e.kind !== 'k8s.deployment') continue;
    const d = group(byName, e.name, () => ({ name: e.name, ready: [], desired: [] }));
    step(d.ready, sec(e.t), e.deleted ? 0 : e.ready);
    step(d.desired, sec(e.t), e.deleted ? 0 : e.desired);
  }
  return [...byName.values()].map((d) => ({ ...d, ready: hold(d.ready, endS), desired: hold(d.desired, endS) }));
}

function rollouts(events: readonly TimelineEvent[], endS: number, deploymentNames: readonly string[]): Rollout[] {
  type Rs = Rollout['replicaSets'][number] & { everHadPods: boolean };
  const byOwner = new Map<string, Map<string, Rs>>();
  for (const e of events) {
    if (e.kind !== 'k8s.replicaset') continue;
    // Without an owner field (older timelines), a ReplicaSet is named <deployment>-<pod-template-hash>.
    const owner = e.owner ?? deploymentNames.find((d) => e.name.startsWith(`${d}-`) && !e.name.slice(d.length + 1).includes('-'));
    if (!owner) continue;
    const rs = group(group(byOwner, owner, () => new Map<string, Rs>()), e.name, () => ({ name: e.name, revisions: [], ready: [], desired: [], everHadPods: false }));
    if (e.revision && !rs.revisions.includes(e.revision)) rs.revisions.push(e.revision);
    if (e.image) rs.image = e.image;
    const ready = e.deleted ? 0 : e.ready;
    rs.everHadPods ||= ready > 0 || (!e.deleted && e.desired > 0);
    step(rs.ready, sec(e.t), ready);
    step(rs.desired, sec(e.t), e.deleted ? 0 : e.desired);
  }
  const result: Rollout[] = [];
  for (const [deployment, sets] of byOwner) {
    const active = [...sets.values()].filter((rs) => rs.everHadPods);
    if (active.length < 2) continue;
    const firstChange = (rs: Rs): number => rs.ready[0]?.[0] ?? 0;
    const firstRevision = (rs: Rs): number => Number(rs.revisions[0] ?? Infinity);
    active.sort((a, b) => firstRevision(a) - firstRevision(b) || firstChange(a) - firstChange(b));
    result.push({
      deployment,
      replicaSets: active.map(({ everHadPods: _, ...rs }) => ({ ...rs, ready: hold(rs.ready, endS), desired: hold(rs.desired, endS) })),
    });
  }
  return result;
}

/** Name of the pending-without-node series of podsPerNode. */
export const UNSCHEDULED = 'unscheduled';

/**
 * Ready pods per node, sampled at the same moments for every node (so the series stack), plus the
 * pods Pending without a node ("unscheduled") when there were any.
 */
function podsPerNode(events: readonly TimelineEvent[], endS: number): Series[] {
  const pods = new Map<string, { node?: string; ready: boolean; pending: boolean }>();
  const keys = new Set<string>();
  const rows: Array<{ t: number; counts: Map<string, number> }> = [];
  const same = (a: Map<string, number>, b: Map<string, number> | undefined): boolean =>
    b !== undefined && [...keys].every((k) => (a.get(k) ?? 0) === (b.get(k) ?? 0));
  for (const e of events) {
    if (e.kind !== 'k8s.pod') continue;
    if (e.deleted) pods.delete(e.name);
    else pods.set(e.name, { ...(e.node ? { node: e.node } : {}), ready: e.ready, pending: e.phase === 'Pending' });
    const counts = new Map<string, number>();
    for (const p of pods.values()) {
      if (p.node) keys.add(p.node);
      const key = p.node ? (p.ready ? p.node : undefined) : (p.pending ? UNSCHEDULED : undefined);
      if (key === UNSCHEDULED) keys.add(key);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const t = sec(e.t);
    const last = rows[rows.length - 1];
    if (last?.t === t) {
      rows.pop();
      if (same(counts, rows[rows.length - 1]?.counts)) continue;
    } else if (same(counts, last?.counts)) continue;
    rows.push({ t, counts });
  }
  return [...keys]
    .sort((a, b) => (a === UNSCHEDULED ? 1 : b === UNSCHEDULED ? -1 : a.localeCompare(b)))
    .map((name) => ({ name, points: hold(rows.map((r): Point => [r.t, r.counts.get(name) ?? 0]), endS) }));
}

function hpas(events: readonly TimelineEvent[], endS: number): HpaSeries[] {
  const byName = new Map<string, HpaSeries>();
  for (const e of events) {
    if (e.kind !== 'k8s.hpa' || e.deleted) continue;
    const h = group(byName, e.name, () => ({ name: e.name, current: [], desired: [], cpu: [], target: [] }));
    const t = sec(e.t);
    step(h.current, t, e.current);
    step(h.desired, t, e.desired);
    if (e.cpuPercent !== undefined) h.cpu.push([t, e.cpuPercent]);
    if (e.targetPercent !== undefined) step(h.target, t, e.targetPercent);
    if (e.min !== undefined) h.min = e.min;
    if (e.max !== undefined) h.max = e.max;
  }
  return [...byName.values()].map((h) => ({ ...h, current: hold(h.current, endS), desired: hold(h.desired, endS), target: hold(h.target, endS) }));
}

function load(events: readonly TimelineEvent[]): LoadSeries[] {
  const byTarget = new Map<string, LoadSeries>();
  const startedS = new Map<string, number>();
  for (const e of events) {
    if (e.kind === 'load.started') startedS.set(e.target, sec(e.t));
    if (e.kind !== 'load.second') continue;
    const l = group(byTarget, e.target, () => ({ target: e.target, requests: [], errors: [], p95Ms: [] }));
    // The bucket [second, second + 1) after load start, drawn at its middle.
    const start = startedS.get(e.target);
    const t = start === undefined ? sec(e.t) - 0.5 : start + e.second + 0.5;
    l.requests.push([t, e.requests]);
    l.errors.push([t, e.errors]);
    if (e.p95Ms !== undefined) l.p95Ms.push([t, Math.round(e.p95Ms)]);
  }
  return [...byTarget.values()];
}

/** Extracts the chart's data; entries after `endMs` are ignored. */
export function chartData(all: readonly TimelineEvent[], options: ChartDataOptions = {}): ChartData {
  const endMs = options.endMs ?? all.reduce((max, e) => Math.max(max, e.t), 0);
  const events = all.filter((e) => e.t <= endMs);
  const endS = Math.max(sec(endMs), 1);
  const deps = deployments(events, endS);
  return {
    endS,
    deployments: deps,
    rollouts: rollouts(events, endS, deps.map((d) => d.name)),
    podsPerNode: podsPerNode(events, endS),
    hpas: hpas(events, endS),
    load: load(events),
    faults: faultWindows(events, endS),
    nodesNotReady: nodeWindows(events, endS),
    loadWindows: loadWindows(events, endS),
    conditions: events.flatMap((e) => e.kind === 'condition.met' || e.kind === 'condition.failed'
      ? [{ t: sec(e.t), ok: e.kind === 'condition.met', text: `${e.subject}: ${e.expectation}` }]
      : []),
  };
}

/** True when there is at least one series to draw (windows and marks alone make no chart). */
export function hasSeries(data: ChartData): boolean {
  return data.deployments.length + data.podsPerNode.length + data.hpas.length + data.load.length > 0;
}
