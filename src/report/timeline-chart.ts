/**
 * The scenario's timeline as a picture for graders (attached as timeline.svg): Apache ECharts'
 * server-side SVG renderer (no DOM, no canvas) draws the grids chart-option.ts lays out from the
 * data chart-data.ts extracts. Timeline entries in, SVG text out.
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import type { TimelineEvent } from '../timeline/events.ts';
import { chartData, hasSeries } from './chart-data.ts';
import type { ChartDataOptions } from './chart-data.ts';
import { CHART_WIDTH, chartOption } from './chart-option.ts';

/** Options of the chart. */
export interface TimelineChartOptions extends ChartDataOptions {}

let library: typeof Echarts | undefined;

/**
 * Loads ECharts on first use, so runs that draw no chart do not pay for it. The package's single-file
 * production build is required rather than `import('echarts')`: the ESM entry is hundreds of modules
 * (about 0.5 s to load on a 2-core machine), the bundle one file (about 0.07 s) with the same API and
 * no development warnings on the console.
 */
function loadEcharts(): typeof Echarts {
  library ??= createRequire(import.meta.url)('echarts/dist/echarts.min') as typeof Echarts;
  return library;
}

/**
 * Renders the chart: one shared time axis (seconds since the scenario started) over stacked grids —
 * faults, node outages, load windows and checks; Deployment replicas; a rollout's ReplicaSets; ready
 * pods per node; load (requests/s, errors/s, p95); HPA replicas and CPU vs target — each only when
 * the timeline has it. Resolves to undefined when there is nothing to draw (no Deployment, pod, HPA
 * or load entry). Text from the timeline is escaped by the renderer; pass already-redacted events.
 */
export async function renderTimelineChart(events: readonly TimelineEvent[], options: TimelineChartOptions = {}): Promise<string | undefined> {
  const data = chartData(events, options);
  if (!hasSeries(data)) return undefined;
  const echarts = loadEcharts();
  const laid = chartOption(data, (text, sizePx) => echarts.format.getTextRect(text, `${sizePx}px sans-serif`).width);
  if (!laid) return undefined;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: laid.height });
  try {
    chart.setOption(laid.option);
    return chart.renderToSVGString();
  } finally {
    // Without dispose, zrender's animation loop keeps the process alive.
    chart.dispose();
  }
}
