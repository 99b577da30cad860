/**
 * A small SVG picture of a scenario's timeline, for graders: ready replicas of each Deployment over
 * time (step lines), with fault injections as red markers and met conditions as green ticks.
 * Pure: timeline data in, SVG text out.
 */
import type { TimelineEvent } from '../timeline/events.ts';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 40, right: 120, top: 20, bottom: 30 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'];

function esc(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** Renders the chart; returns undefined when there is nothing to draw (no Deployment seen). */
export function timelineChart(events: readonly TimelineEvent[]): string | undefined {
  const series = new Map<string, Array<{ t: number; ready: number }>>();
  for (const e of events) {
    if (e.kind !== 'k8s.deployment') continue;
    const points = series.get(e.name) ?? [];
    points.push({ t: e.t, ready: e.deleted ? 0 : e.ready });
    series.set(e.name, points);
  }
  if (series.size === 0) return undefined;
  const end = Math.max(1, ...events.map((e) => e.t));
  const maxReady = Math.max(1, ...[...series.values()].flat().map((p) => p.ready));
  const x = (t: number): number => PAD.left + (t / end) * (WIDTH - PAD.left - PAD.right);
  const y = (r: number): number => HEIGHT - PAD.bottom - (r / maxReady) * (HEIGHT - PAD.top - PAD.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<line x1="${PAD.left}" y1="${y(0)}" x2="${WIDTH - PAD.right}" y2="${y(0)}" stroke="#999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${y(0)}" stroke="#999"/>`,
    `<text x="4" y="${y(maxReady) + 4}">${maxReady}</text><text x="4" y="${y(0) + 4}">0</text>`,
    `<text x="${PAD.left}" y="${HEIGHT - 8}">0s</text><text x="${WIDTH - PAD.right - 30}" y="${HEIGHT - 8}">${(end / 1000).toFixed(1)}s</text>`,
  ];
  for (const e of events) {
    if (e.kind === 'fault.injected') {
      parts.push(`<line x1="${x(e.t)}" y1="${PAD.top}" x2="${x(e.t)}" y2="${y(0)}" stroke="#d62728" stroke-dasharray="4 3"><title>${esc(`${e.fault} ${e.target}`)}</title></line>`);
      parts.push(`<text x="${x(e.t) + 3}" y="${PAD.top + 10}" fill="#d62728">${esc(e.fault)}</text>`);
    }
    if (e.kind === 'condition.met') parts.push(`<circle cx="${x(e.t)}" cy="${PAD.top + 4}" r="3" fill="#2ca02c"><title>${esc(`${e.subject}: ${e.expectation}`)}</title></circle>`);
  }
  [...series].forEach(([name, points], i) => {
    const color = COLORS[i % COLORS.length] ?? '#000';
    let d = '';
    points.forEach((p, j) => { d += j === 0 ? `M${x(p.t)},${y(p.ready)}` : `H${x(p.t)}V${y(p.ready)}`; });
    d += `H${x(end)}`;
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${WIDTH - PAD.right + 8}" y="${PAD.top + 14 * (i + 1)}" fill="${color}">${esc(name)} ready</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
