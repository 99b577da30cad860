/**
 * Turns the chart's data into an Apache ECharts option: small grids stacked vertically that share
 * one time axis (seconds since the scenario started) — a lane strip of what happened (faults, node
 * outages, load, checks), then replicas, rollout, pods per node, load and HPA, each only when the
 * timeline has it. Pure: no library import at runtime (types only).
 */
import type { CustomSeriesRenderItem, EChartsOption, LineSeriesOption, MarkAreaComponentOption, SeriesOption } from 'echarts';
import { UNSCHEDULED } from './chart-data.ts';
import type { ChartData, Point, Window } from './chart-data.ts';

/** Chart width in px (the height follows from the grids drawn). */
export const CHART_WIDTH = 900;
const LEFT = 64;
const RIGHT = 64;
const PLOT_WIDTH = CHART_WIDTH - LEFT - RIGHT;
const GRID_HEIGHT = 120;
const LANE_HEIGHT = 20;
const TITLE_HEIGHT = 20;
const LEGEND_ROW = 18;
const GAP = 14;
const X_AXIS_SPACE = 42;
const NOTE_LINE = 15;
const MAX_NOTES = 12;
const MAX_LANE_ROWS = 3;
const FONT = 11;

/** Colours: errors and faults red, node outages grey, CPU orange; series hues never red. */
const COLORS = {
  palette: ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#bcbd22', '#e377c2', '#7f7f7f'],
  error: '#d62728',
  ok: '#2ca02c',
  cpu: '#ff7f0e',
  latency: '#9467bd',
  requests: '#1f77b4',
  oldReplicaSet: '#8c8c8c',
  faultBand: 'rgba(214, 39, 40, 0.10)',
  nodeBand: 'rgba(80, 80, 80, 0.16)',
  text: '#333',
};

const LANE_STYLE = {
  fault: { fill: '#f6d0cd', stroke: '#d62728', text: '#7a1414' },
  node: { fill: '#dcdcdc', stroke: '#6e6e6e', text: '#222' },
  load: { fill: '#cfe0f1', stroke: '#1f77b4', text: '#0b3d66' },
} as const;
type LaneKind = keyof typeof LANE_STYLE;

/** Width in px of `text` in sans-serif at `sizePx`: the renderer's own measure, so layout matches it. */
export type TextMeasure = (text: string, sizePx: number) => number;

/** A generous estimate, for when the renderer's measure is not at hand (tests). */
export const estimateTextWidth: TextMeasure = (text, sizePx) => text.length * sizePx * 0.6;

/** A nice tick interval (s) for a time axis of `endS` seconds, and the axis end it implies. */
export function timeAxis(endS: number): { max: number; interval: number } {
  const steps = [0.5, 1, 2, 5, 10, 15, 20, 30, 60, 90, 120, 180, 300, 600, 900, 1800, 3600];
  const intervals = (step: number): number => Math.ceil(endS / step - 1e-9);
  const good = steps.filter((step) => intervals(step) >= 5 && intervals(step) <= 12);
  const fallback = steps.filter((step) => intervals(step) <= 12).slice(0, 1);
  const candidates = good.length ? good : fallback;
  if (candidates.length === 0) {
    const interval = Math.ceil(endS / 12 / 3600) * 3600;
    return { max: intervals(interval) * interval, interval };
  }
  // 5 to 12 ticks; of those, the interval that wastes the least room after the end (the larger on a tie).
  const interval = candidates.reduce((best, step) => (intervals(step) * step <= intervals(best) * best ? step : best));
  return { max: intervals(interval) * interval, interval };
}

/** A value axis from 0 to a round number at or above `top`, with at most five intervals. */
function roundAxis(top: number): { max: number; interval: number } {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(top, 1e-9)));
  const interval = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((step) => Math.ceil(top / step) <= 5) ?? 10 * magnitude;
  return { max: interval * Math.ceil(top / interval), interval };
}

/** An integer axis from 0 with room above `top`: about four ticks. */
function integerAxis(top: number): { max: number; interval: number } {
  const interval = Math.max(1, Math.ceil(top / 4));
  return { max: interval * Math.ceil((top * 1.12 + 0.01) / interval), interval };
}

/** The longest prefix of `text` (with an ellipsis when cut) that `fits`. */
function fit(text: string, fits: (t: string) => boolean): string {
  if (fits(text)) return text;
  let n = text.length - 1;
  while (n > 1 && !fits(`${text.slice(0, n)}…`)) n--;
  return `${text.slice(0, n)}…`;
}

/** Keeps at most `max` characters, ending with an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Seconds shown with one decimal, without a trailing ".0". */
function seconds(s: number): string {
  return `${Number(s.toFixed(1))}s`;
}

/** The last path segment of an image reference: "registry/org/app:1.0" → "app:1.0". */
function shortImage(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1);
}

interface LegendItem { name: string }

/** One stacked grid: its title, legend and series (axes indices are filled in when placed). */
interface Section {
  title: string;
  legend: LegendItem[];
  height: number;
  /** Right-hand axis name, when the grid has one. */
  rightAxis?: { name: string; min?: number; max?: number; interval?: number };
  leftAxis: { name: string; integer: boolean; max?: number; interval?: number; categories?: string[] };
  series: SeriesOption[];
  /** Windows shaded behind the series. */
  bands?: 'faults' | 'nodes';
}

/** Step series holding each value until the next point. */
function stepLine(name: string, points: Point[], color: string, opts: { dashed?: boolean; width?: number; area?: number; stack?: string; axis?: 1 } = {}): LineSeriesOption {
  return {
    type: 'line', name, data: points, step: 'end', symbol: 'none', color,
    lineStyle: { width: opts.width ?? 2, ...(opts.dashed ? { type: 'dashed' } : {}) },
    ...(opts.area ? { areaStyle: { opacity: opts.area } } : {}),
    ...(opts.stack ? { stack: opts.stack } : {}),
    ...(opts.axis ? { yAxisIndex: opts.axis } : {}),
  };
}

/** Plain line series (rates, percentages). */
function line(name: string, points: Point[], color: string, opts: { dashed?: boolean; width?: number; area?: number; axis?: 1 } = {}): LineSeriesOption {
  return {
    type: 'line', name, data: points, symbol: 'none', color,
    lineStyle: { width: opts.width ?? 1.6, ...(opts.dashed ? { type: 'dashed' } : {}) },
    ...(opts.area ? { areaStyle: { opacity: opts.area } } : {}),
    ...(opts.axis ? { yAxisIndex: opts.axis } : {}),
  };
}

/**
 * Packs items (each occupying [from, to] in seconds) into the fewest rows without overlap, at most
 * `maxRows`: past that, an item goes to the row that frees first (and may overlap there).
 */
function pack<T extends { from: number; to: number }>(items: readonly T[], maxRows: number): Array<T & { row: number }> {
  const rowEnds: number[] = [];
  return [...items].sort((a, b) => a.from - b.from).map((item) => {
    let row = rowEnds.findIndex((end) => end <= item.from);
    if (row < 0 && rowEnds.length < maxRows) row = rowEnds.length;
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = Math.max(item.to, rowEnds[row] ?? 0);
    return { ...item, row };
  });
}

interface LaneItem { from: number; to: number; kind: LaneKind; window: Window }
interface CheckItem { from: number; to: number; n: number; t: number; ok: boolean }

/** The lane strip: windows as labelled bars, checks as numbered marks. Undefined when empty. */
function laneSection(data: ChartData, measure: TextMeasure): Section | undefined {
  const secondsPerPx = timeAxis(data.endS).max / PLOT_WIDTH;
  const groups: Array<{ label: string; kind: LaneKind; windows: Window[] }> = [
    { label: 'faults', kind: 'fault', windows: data.faults },
    { label: 'nodes', kind: 'node', windows: data.nodesNotReady },
    { label: 'load', kind: 'load', windows: data.loadWindows },
  ];
  const categories: string[] = [];
  const bars: Array<{ value: [number, number, number]; window: Window; kind: LaneKind }> = [];
  for (const g of groups) {
    if (g.windows.length === 0) continue;
    // A bar reserves room for its whole label, so labels never run into the next bar of a row.
    const items = pack<LaneItem>(g.windows.map((w) => ({
      from: w.startS, to: Math.max(w.endS, w.startS + (measure(w.label, FONT) + 12) * secondsPerPx), kind: g.kind, window: w,
    })), MAX_LANE_ROWS);
    const base = categories.length;
    const rows = Math.max(...items.map((i) => i.row)) + 1;
    for (let r = 0; r < rows; r++) categories.push(r === 0 ? g.label : '');
    for (const i of items) bars.push({ value: [i.window.startS, i.window.endS, base + i.row], window: i.window, kind: i.kind });
  }
  const checks = pack<CheckItem>(data.conditions.map((c, i) => ({ from: c.t - 9 * secondsPerPx, to: c.t + 9 * secondsPerPx, n: i + 1, t: c.t, ok: c.ok })), 2);
  const checkBase = categories.length;
  const checkRows = checks.length ? Math.max(...checks.map((c) => c.row)) + 1 : 0;
  for (let r = 0; r < checkRows; r++) categories.push(r === 0 ? 'checks' : '');
  if (categories.length === 0) return undefined;

  // A bar per window, its label inside (on a background, over the ticks of merged repeated injections).
  const renderBar: CustomSeriesRenderItem = (params, api) => {
    const bar = bars[params.dataIndex];
    if (!bar) return null;
    const [from, to, row] = bar.value;
    const start = api.coord([from, row]);
    const end = api.coord([to, row]);
    const height = LANE_HEIGHT - 6;
    const x = start[0] ?? 0;
    const mid = start[1] ?? 0;
    const y = mid - height / 2;
    const width = Math.max((end[0] ?? 0) - x, 2);
    const style = LANE_STYLE[bar.kind];
    const room = LEFT + PLOT_WIDTH - x - 12;
    const label = fit(bar.window.label, (t) => measure(t, FONT) <= room);
    const ticks = (bar.window.starts ?? []).map((t) => {
      const tx = api.coord([t, row])[0] ?? 0;
      return { type: 'line' as const, shape: { x1: tx, y1: y, x2: tx, y2: y + height }, style: { stroke: style.stroke, lineWidth: 1.5 } };
    });
    return {
      type: 'group',
      children: [
        { type: 'rect', shape: { x, y, width, height, r: 2 }, style: { fill: style.fill, stroke: style.stroke, lineWidth: 1 } },
        ...ticks,
        {
          type: 'text',
          style: {
            x: x + 4, y: mid, text: room > 12 ? label : '', fill: style.text, font: `${FONT}px sans-serif`, verticalAlign: 'middle',
            ...(ticks.length ? { backgroundColor: style.fill, padding: [0, 3] } : {}),
          },
        },
      ],
    };
  };
  const series: SeriesOption[] = [];
  if (bars.length) {
    series.push({ type: 'custom', name: 'windows', renderItem: renderBar, data: bars.map((b) => b.value), encode: { x: [0, 1], y: 2 }, clip: true });
  }
  for (const ok of [true, false]) {
    const marks = checks.filter((c) => c.ok === ok);
    if (marks.length === 0) continue;
    series.push({
      type: 'scatter', name: ok ? 'condition met' : 'condition failed', color: ok ? COLORS.ok : COLORS.error,
      symbol: ok ? 'circle' : 'rect', symbolSize: 15,
      // Numbered as in the list under the chart (which stops at MAX_NOTES).
      data: marks.map((c) => ({ value: [c.t, checkBase + c.row], label: { formatter: c.n <= MAX_NOTES ? String(c.n) : '' } })),
      label: { show: true, position: 'inside', color: '#fff', fontSize: 9, fontWeight: 'bold' },
    });
  }
  return {
    title: 'What happened: faults, node outages, load, checks (numbered below)',
    legend: [...(checks.some((c) => c.ok) ? [{ name: 'condition met' }] : []), ...(checks.some((c) => !c.ok) ? [{ name: 'condition failed' }] : [])],
    height: categories.length * LANE_HEIGHT,
    leftAxis: { name: '', integer: false, categories },
    series,
  };
}

function replicaSection(data: ChartData): Section | undefined {
  if (data.deployments.length === 0) return undefined;
  const series = data.deployments.flatMap((d, i) => {
    const color = COLORS.palette[i % COLORS.palette.length] ?? COLORS.text;
    return [stepLine(`${d.name} ready`, d.ready, color), stepLine(`${d.name} desired`, d.desired, color, { dashed: true, width: 1.2 })];
  });
  return {
    title: 'Deployments: ready vs desired replicas',
    legend: series.map((s) => ({ name: String(s.name) })),
    height: GRID_HEIGHT,
    leftAxis: { name: 'replicas', integer: true },
    series,
    bands: 'faults',
  };
}

function rolloutSection(data: ChartData): Section | undefined {
  if (data.rollouts.length === 0) return undefined;
  const several = data.rollouts.length > 1;
  const latest = (revisions: readonly string[]): number => Number(revisions[revisions.length - 1] ?? -1);
  const ready: LineSeriesOption[] = [];
  const desired: LineSeriesOption[] = [];
  data.rollouts.forEach((r) => r.replicaSets.forEach((rs, i) => {
    // The ReplicaSet of the highest revision is the Deployment's current one (after a rollback, the old one).
    const current = r.replicaSets.every((other) => latest(other.revisions) <= latest(rs.revisions)) && rs.revisions.length > 0
      || (r.replicaSets.every((other) => other.revisions.length === 0) && i === r.replicaSets.length - 1);
    const color = current ? COLORS.palette[0] ?? COLORS.text : i === 0 ? COLORS.oldReplicaSet : COLORS.palette[(i + 1) % COLORS.palette.length] ?? COLORS.text;
    const what = [rs.revisions.length ? `rev ${rs.revisions.join(', ')}` : rs.name, rs.image ? shortImage(rs.image) : ''].filter(Boolean).join(' ');
    const name = clip(`${several ? `${r.deployment} ` : ''}${what}`, 40);
    ready.push(stepLine(name, rs.ready, color, { area: 0.12 }));
    desired.push(stepLine(`${name} desired`, rs.desired, color, { dashed: true, width: 1 }));
  }));
  return {
    title: `Rollout${several ? 's' : ` of ${data.rollouts[0]?.deployment ?? ''}`}: pods per ReplicaSet, old → new (dashed: desired)`,
    legend: ready.map((s) => ({ name: String(s.name) })),
    height: GRID_HEIGHT,
    leftAxis: { name: 'pods', integer: true },
    series: [...ready, ...desired],
    bands: 'faults',
  };
}

function podsSection(data: ChartData): Section | undefined {
  if (data.podsPerNode.length === 0) return undefined;
  let hue = 0;
  // Stacked: the top edge is all ready pods, each band one node's share (a dead node's band collapses).
  const series = data.podsPerNode.map((s) => s.name === UNSCHEDULED
    ? stepLine('Pending, no node', s.points, COLORS.text, { dashed: true, width: 1.5 })
    : stepLine(s.name, s.points, COLORS.palette[hue++ % COLORS.palette.length] ?? COLORS.text, { width: 1.2, area: 0.35, stack: 'ready pods' }));
  return {
    title: `Ready pods per node, stacked${data.nodesNotReady.length ? ' (grey: node NotReady)' : ''}`,
    legend: series.map((s) => ({ name: String(s.name) })),
    height: GRID_HEIGHT,
    leftAxis: { name: 'ready pods', integer: true },
    series,
    bands: 'nodes',
  };
}

function loadSection(data: ChartData): Section | undefined {
  if (data.load.length === 0) return undefined;
  const several = data.load.length > 1;
  const hasP95 = data.load.some((l) => l.p95Ms.length > 0);
  const series = data.load.flatMap((l, i) => {
    const suffix = several ? ` ${l.target}` : '';
    const errors = l.errors.reduce((sum, p) => sum + p[1], 0);
    const requests = l.requests.reduce((sum, p) => sum + p[1], 0);
    const out: LineSeriesOption[] = [
      line(`requests/s${suffix} (${requests} in all)`, l.requests, i === 0 ? COLORS.requests : COLORS.palette[(i + 1) % COLORS.palette.length] ?? COLORS.text),
      line(`errors/s${suffix} (${errors ? `${errors} in all` : 'none'})`, l.errors, COLORS.error, { area: 0.3, width: 1.5 }),
    ];
    if (l.p95Ms.length) out.push(line(`p95 latency${suffix}`, l.p95Ms, COLORS.latency, { dashed: true, width: 1.2, axis: 1 }));
    return out;
  });
  return {
    title: several ? 'Load' : `Load on ${data.load[0]?.target ?? ''}`,
    legend: series.map((s) => ({ name: String(s.name) })),
    height: GRID_HEIGHT,
    leftAxis: { name: 'req/s', integer: false },
    ...(hasP95 ? { rightAxis: { name: 'p95 ms', min: 0 } } : {}),
    series,
    bands: 'faults',
  };
}

function hpaSections(data: ChartData): Section[] {
  return data.hpas.slice(0, 3).map((h) => {
    const series: LineSeriesOption[] = [
      stepLine(`${h.name} current replicas`, h.current, COLORS.palette[0] ?? COLORS.text),
      stepLine(`${h.name} desired replicas`, h.desired, COLORS.palette[0] ?? COLORS.text, { dashed: true, width: 1.2 }),
    ];
    const bounds = [...(h.min !== undefined ? [{ yAxis: h.min, name: `min ${h.min}` }] : []), ...(h.max !== undefined ? [{ yAxis: h.max, name: `max ${h.max}` }] : [])];
    if (bounds.length) {
      (series[0] as LineSeriesOption).markLine = {
        silent: true, symbol: 'none', lineStyle: { color: '#999', type: 'dotted', width: 1 },
        label: { formatter: '{b}', position: 'insideStartTop', color: '#666', fontSize: 10 },
        data: bounds,
      };
    }
    const hasCpu = h.cpu.length > 0 || h.target.length > 0;
    if (h.cpu.length) series.push({ ...line('CPU % (seen by the HPA)', h.cpu, COLORS.cpu, { axis: 1, width: 1.8 }), symbol: 'circle', symbolSize: 3 });
    if (h.target.length) series.push(stepLine('CPU target %', h.target, COLORS.cpu, { dashed: true, width: 1.2, axis: 1 }));
    const cpuAxis = roundAxis(Math.max(100, ...h.cpu.map((p) => p[1] * 1.05), ...h.target.map((p) => p[1] * 1.05)));
    return {
      title: `HorizontalPodAutoscaler ${h.name}: replicas${hasCpu ? ' and CPU utilisation vs target' : ''}`,
      legend: series.map((s) => ({ name: String(s.name) })),
      height: GRID_HEIGHT,
      leftAxis: { name: 'replicas', integer: true, ...integerAxis(Math.max(h.max ?? 0, ...h.desired.map((p) => p[1]), ...h.current.map((p) => p[1]))) },
      ...(hasCpu ? { rightAxis: { name: 'CPU %', min: 0, ...cpuAxis } } : {}),
      series,
      bands: 'faults' as const,
    };
  });
}

/** Bands shaded behind a grid's series: fault windows (light red) and node outages (grey). */
function bands(data: ChartData, which: NonNullable<Section['bands']>): MarkAreaComponentOption | undefined {
  const areas = which === 'faults'
    ? data.faults.map((w) => [{ xAxis: w.startS, itemStyle: { color: COLORS.faultBand } }, { xAxis: w.endS }])
    : data.nodesNotReady.map((w) => [{ xAxis: w.startS, itemStyle: { color: COLORS.nodeBand } }, { xAxis: w.endS }]);
  if (areas.length === 0) return undefined;
  return { silent: true, label: { show: false }, data: areas as MarkAreaComponentOption['data'] };
}

/** Legend rows needed for `items` in `width` px (legend icons are 22 px plus gaps). */
function legendRows(items: readonly LegendItem[], width: number, measure: TextMeasure): number {
  let rows = 1;
  let x = 0;
  for (const item of items) {
    const w = 22 + 5 + measure(item.name, FONT) + 12;
    if (x > 0 && x + w > width) { rows++; x = 0; }
    x += w;
  }
  return rows;
}

/** Makes series names unique across the chart (the legend finds series by name). */
function uniqueNames(sections: readonly Section[]): void {
  const seen = new Map<string, number>();
  for (const s of sections) {
    for (const series of s.series) {
      const name = String(series.name ?? '');
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      if (n > 1) {
        series.name = `${name} (${n})`;
        const item = s.legend.find((l) => l.name === name);
        if (item) item.name = series.name;
      }
    }
  }
}

/** The conditions as numbered lines under the chart. */
function notes(data: ChartData, measure: TextMeasure): Array<{ text: string; ok: boolean }> {
  const fits = (text: string): boolean => measure(text, FONT) <= CHART_WIDTH - LEFT - 8;
  const lines = data.conditions.slice(0, MAX_NOTES).map((c, i) => ({
    ok: c.ok,
    text: fit(`${i + 1}  ${c.ok ? '✓ met' : '✗ FAILED'}  +${seconds(c.t)}  ${c.text}`, fits),
  }));
  const more = data.conditions.length - lines.length;
  if (more > 0) lines.push({ ok: true, text: `… ${more} more condition${more === 1 ? '' : 's'} in timeline.json` });
  return lines;
}

/** The ECharts option and its height (px) for the data; undefined when no grid has anything. */
export function chartOption(data: ChartData, measure: TextMeasure = estimateTextWidth): { option: EChartsOption; height: number } | undefined {
  const metricSections = [replicaSection(data), rolloutSection(data), podsSection(data), loadSection(data), ...hpaSections(data)]
    .filter((s): s is Section => s !== undefined);
  if (metricSections.length === 0) return undefined;
  const lanes = laneSection(data, measure);
  const time = timeAxis(data.endS);
  const sections = lanes ? [lanes, ...metricSections] : metricSections;
  uniqueNames(sections);

  const option = {
    animation: false,
    backgroundColor: '#fff',
    textStyle: { fontFamily: 'sans-serif', fontSize: FONT, color: COLORS.text },
    title: [] as object[],
    legend: [] as object[],
    grid: [] as object[],
    xAxis: [] as object[],
    yAxis: [] as object[],
    series: [] as SeriesOption[],
    graphic: [] as object[],
  };
  let y = 8;
  sections.forEach((s, gridIndex) => {
    const last = gridIndex === sections.length - 1;
    const legendLeft = LEFT + measure(s.title, 12) * 1.1 + 24;
    const oneLine = CHART_WIDTH - RIGHT - legendLeft > 160;
    const legendWidth = oneLine ? CHART_WIDTH - RIGHT - legendLeft : PLOT_WIDTH;
    const rows = s.legend.length ? legendRows(s.legend, legendWidth, measure) : 1;
    option.title.push({ text: s.title, left: LEFT, top: y, textStyle: { fontSize: 12, fontWeight: 'bold', color: COLORS.text }, padding: 0 });
    const legendTop = oneLine ? y - 2 : y + TITLE_HEIGHT;
    if (s.legend.length) {
      option.legend.push({
        data: s.legend.map((l) => l.name), left: oneLine ? legendLeft : LEFT, top: legendTop, width: legendWidth,
        itemWidth: 22, itemHeight: 8, itemGap: 12, padding: 0, textStyle: { fontSize: FONT, color: COLORS.text }, selectedMode: false,
        // Lines show their colour and dash without the series symbol ECharts adds by default.
        ...(s.leftAxis.categories ? {} : { itemStyle: { opacity: 0 } }),
      });
    }
    const headerHeight = oneLine ? Math.max(TITLE_HEIGHT, rows * LEGEND_ROW + 4) : TITLE_HEIGHT + rows * LEGEND_ROW + 2;
    const top = y + headerHeight + (s.leftAxis.categories ? 0 : 6);
    option.grid.push({ left: LEFT, right: RIGHT, top, height: s.height, outerBoundsMode: 'none' });
    option.xAxis.push({
      type: 'value', gridIndex, min: 0, max: time.max, interval: time.interval,
      axisLabel: { show: last, hideOverlap: true },
      axisTick: { show: true }, axisLine: { show: true, lineStyle: { color: '#888' } },
      splitLine: { show: !s.leftAxis.categories, lineStyle: { color: '#eee' } },
      ...(last ? { name: 'seconds since scenario start', nameLocation: 'middle', nameGap: 26, nameTextStyle: { fontSize: FONT } } : {}),
    });
    const yLeft = option.yAxis.length;
    option.yAxis.push(s.leftAxis.categories
      ? {
          type: 'category', gridIndex, data: s.leftAxis.categories, inverse: true,
          axisTick: { show: false }, axisLine: { show: true, lineStyle: { color: '#888' } },
          axisLabel: { fontSize: FONT, color: COLORS.text, interval: 0 }, splitLine: { show: false },
        }
      : {
          type: 'value', gridIndex, min: 0, ...(s.leftAxis.max !== undefined ? { max: s.leftAxis.max, interval: s.leftAxis.interval } : {}),
          // Headroom, so a line at its maximum does not run along the grid's top border.
          ...(s.leftAxis.integer ? { minInterval: 1 } : {}), splitNumber: 4, boundaryGap: [0, '12%'],
          name: s.leftAxis.name, nameLocation: 'middle', nameGap: 38, nameTextStyle: { fontSize: FONT },
          axisLine: { show: true, lineStyle: { color: '#888' } }, splitLine: { lineStyle: { color: '#eee' } },
        });
    if (s.rightAxis) {
      option.yAxis.push({
        type: 'value', gridIndex, position: 'right', splitNumber: 4, boundaryGap: [0, '12%'], ...(s.rightAxis.min !== undefined ? { min: s.rightAxis.min } : {}),
        ...(s.rightAxis.max !== undefined ? { max: s.rightAxis.max, interval: s.rightAxis.interval } : {}),
        name: s.rightAxis.name, nameLocation: 'middle', nameGap: 44, nameRotate: 270, nameTextStyle: { fontSize: FONT },
        axisLine: { show: true, lineStyle: { color: '#888' } }, splitLine: { show: false },
      });
    }
    const area = s.bands ? bands(data, s.bands) : undefined;
    s.series.forEach((series, i) => {
      const axis = (series as { yAxisIndex?: number }).yAxisIndex ?? 0;
      option.series.push({
        ...series, xAxisIndex: gridIndex, yAxisIndex: yLeft + axis,
        ...(i === 0 && area ? { markArea: area } : {}),
      } as SeriesOption);
    });
    y = top + s.height + (last ? X_AXIS_SPACE : GAP);
  });
  const lines = notes(data, measure);
  lines.forEach((l, i) => {
    option.graphic.push({
      type: 'text', left: LEFT, top: y + i * NOTE_LINE,
      style: { text: l.text, fill: l.ok ? COLORS.text : COLORS.error, font: `${FONT}px sans-serif` },
    });
  });
  const height = Math.ceil(y + lines.length * NOTE_LINE + (lines.length ? 6 : 0));
  return { option: option as EChartsOption, height };
}
