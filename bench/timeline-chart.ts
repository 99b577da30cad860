/**
 * The timeline chart's cost and looks: time to load the charting library (first call), time to render
 * a large timeline (~5 000 entries, 10 minutes of load.second), SVG sizes, and one HTML page per
 * synthetic scenario (bench/chart-timelines.ts) to look at or screenshot:
 *
 *   npm run bench:chart [-- out-dir]     (default reports/chart-samples; no cluster needed)
 *   chromium --headless --screenshot=x.png --window-size=960,1400 reports/chart-samples/<name>.html
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTimelineChart } from '../src/report/timeline-chart.ts';
import { SAMPLES, largeTimeline } from './chart-timelines.ts';

const out = process.argv[2] ?? 'reports/chart-samples';
mkdirSync(out, { recursive: true });
const kb = (s: string): string => `${(Buffer.byteLength(s) / 1024).toFixed(1)} KiB`;

const big = largeTimeline();
const t0 = performance.now();
const first = await renderTimelineChart(big.slice(0, 50));
const t1 = performance.now();
console.log(`first chart (library load + small render): ${(t1 - t0).toFixed(0)} ms, ${kb(first ?? '')}`);

const times: number[] = [];
let svg = '';
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  svg = (await renderTimelineChart(big)) ?? '';
  times.push(performance.now() - s);
}
console.log(`large timeline: ${big.length} entries (${big.filter((e) => e.kind === 'load.second').length} load.second) → ${kb(svg)}; render ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
writeFileSync(join(out, 'large.svg'), svg);

const page = (title: string, body: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="margin:8px;background:#f4f4f4">${body}</body>`;
for (const [name, build] of Object.entries(SAMPLES)) {
  const chart = (await renderTimelineChart(build())) ?? '<p>no chart</p>';
  writeFileSync(join(out, `${name}.svg`), chart);
  writeFileSync(join(out, `${name}.html`), page(name, chart));
  console.log(`${name}: ${kb(chart)}`);
}
writeFileSync(join(out, 'large.html'), page('large', svg));
