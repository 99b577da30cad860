/**
 * The class view: `reports/grades/index.html` (a table sortable by any column, the score distribution
 * drawn by Apache ECharts' SSR renderer, and which scenarios most students failed) and `grades.csv`
 * (student, score, total, points per scenario, failed scenarios) for the teacher's spreadsheet.
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import { esc, page } from './html.ts';
import { formatPoints } from './grades.ts';
import type { GradedScenario, StudentGrade } from './grades.ts';

/** A suite scenario as a column: file, line and name identify it across students. */
interface Column { key: string; name: string; points: number }

const keyOf = (s: Pick<GradedScenario, 'file' | 'line'>): string => `${s.file}:${s.line}`;

function columnsOf(grades: readonly StudentGrade[]): Column[] {
  const cols = new Map<string, Column>();
  for (const g of grades) for (const s of g.scenarios) if (!cols.has(keyOf(s))) cols.set(keyOf(s), { key: keyOf(s), name: s.name, points: s.points });
  return [...cols.values()].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

const failed = (s: GradedScenario): boolean => s.standing === 'lost' || s.standing === 'submission-error';
const percent = (g: StudentGrade): number | undefined => (g.total ? (100 * g.score) / g.total : undefined);

/** One CSV field (RFC 4180 quoting). */
function csvField(v: string | number): string {
  const t = String(v);
  return /[",\n;]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** grades.csv: one row per student; a scenario's cell is the points earned, or why it did not count. */
export function renderGradesCsv(grades: readonly StudentGrade[]): string {
  const cols = columnsOf(grades);
  const header = ['student', 'folder', 'score', 'total', 'max', ...cols.map((c) => `${c.name} (${formatPoints(c.points)})`), 'failed scenarios', 'not counted'];
  const rows = grades.map((g) => {
    const by = new Map(g.scenarios.map((s) => [keyOf(s), s]));
    const cells = cols.map((c) => {
      const s = by.get(c.key);
      if (!s) return 'not run';
      if (s.standing === 'inconclusive') return 'INCONCLUSIVE';
      if (s.standing === 'tooling-error') return 'ERROR (tooling)';
      return formatPoints(s.earned);
    });
    const notCounted = g.scenarios.filter((s) => s.standing === 'inconclusive' || s.standing === 'tooling-error').map((s) => s.name);
    return [g.name, g.folder, formatPoints(g.score), formatPoints(g.total), formatPoints(g.max), ...cells, g.scenarios.filter(failed).map((s) => s.name).join('; '), notCounted.join('; ')];
  });
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Score distribution (students per 10 % band) as SVG, by ECharts' server-side renderer. */
export function renderDistribution(grades: readonly StudentGrade[]): string | undefined {
  const scores = grades.map(percent).filter((p): p is number => p !== undefined);
  if (!scores.length) return undefined;
  const bands = Array.from({ length: 10 }, (_, i) => `${i * 10}–${i === 9 ? 100 : i * 10 + 9}`);
  const counts = bands.map((_, i) => scores.filter((p) => Math.min(9, Math.floor(p / 10)) === i).length);
  const echarts = createRequire(import.meta.url)('echarts/dist/echarts.min') as typeof Echarts;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 240 });
  try {
    chart.setOption({
      animation: false,
      title: { text: 'Score distribution (% of counted points)', left: 'center', top: 4, textStyle: { fontSize: 13, fontWeight: 'normal' } },
      grid: { left: 44, right: 16, top: 52, bottom: 40 },
      xAxis: { type: 'category', data: bands, name: '%', nameLocation: 'middle', nameGap: 26, axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1, name: 'students', nameLocation: 'middle', nameGap: 28 },
      series: [{ type: 'bar', data: counts, itemStyle: { color: '#0969da' }, label: { show: true, position: 'top', formatter: (p: { value: unknown }) => (Number(p.value) ? String(p.value) : '') } }],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const SORT_SCRIPT = `
document.querySelectorAll('table.sortable').forEach((table) => {
  table.querySelectorAll('th').forEach((th, col) => {
    th.classList.add('sortable');
    th.addEventListener('click', () => {
      const body = table.tBodies[0];
      const dir = th.dataset.dir === 'asc' ? 'desc' : 'asc';
      table.querySelectorAll('th').forEach((h) => delete h.dataset.dir);
      th.dataset.dir = dir;
      const value = (row) => { const c = row.cells[col]; return c.dataset.sort ?? c.textContent.trim(); };
      const rows = [...body.rows].sort((a, b) => {
        const x = value(a), y = value(b), nx = parseFloat(x), ny = parseFloat(y);
        const d = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
        return dir === 'asc' ? d : -d;
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
});`;

/** reports/grades/index.html. `reportOf(grade)` is the student report's path relative to it. */
export function renderClassSummary(grades: readonly StudentGrade[], meta: { suite: string; gradedAt: string; notGraded: readonly string[] }, reportOf: (g: StudentGrade) => string): string {
  const cols = columnsOf(grades);
  const scored = grades.map(percent).filter((p): p is number => p !== undefined).sort((a, b) => a - b);
  const mean = scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : undefined;
  const median = scored.length ? (scored[Math.floor((scored.length - 1) / 2)]! + scored[Math.ceil((scored.length - 1) / 2)]!) / 2 : undefined;
  const svg = renderDistribution(grades);
  const short = (name: string): string => (name.length > 60 ? `${name.slice(0, 59)}…` : name);
  const studentRows = grades.map((g) => {
    const by = new Map(g.scenarios.map((s) => [keyOf(s), s]));
    const p = percent(g);
    const cells = cols.map((c) => {
      const s = by.get(c.key);
      if (!s) return '<td class="num cell-nc" data-sort="-1">not run</td>';
      if (s.standing === 'inconclusive' || s.standing === 'tooling-error') {
        return `<td class="num cell-nc" data-sort="-1" title="${esc(s.reason ?? '')}"><small>${s.standing === 'inconclusive' ? 'INCONCLUSIVE' : 'ERROR (tooling)'}<br>not counted</small></td>`;
      }
      return `<td class="num ${s.standing === 'earned' ? 'cell-earned' : 'cell-lost'}" data-sort="${s.earned}" title="${esc(s.reason ?? s.verdict)}">${formatPoints(s.earned)}${s.standing === 'submission-error' ? ' <small>(ERROR)</small>' : ''}</td>`;
    }).join('');
    const fails = g.scenarios.filter(failed).map((s) => s.name);
    return `<tr><td><a href="${esc(reportOf(g))}">${esc(g.name)}</a></td><td class="num" data-sort="${g.score}">${formatPoints(g.score)}</td><td class="num">${formatPoints(g.total)}</td><td class="num" data-sort="${p ?? -1}">${p === undefined ? '–' : `${Math.round(p)} %`}</td>${cells}<td class="fails">${fails.length ? esc(fails.join('; ')) : '—'}</td></tr>`;
  }).join('\n');
  const byScenario = cols.map((c) => {
    const all = grades.flatMap((g) => g.scenarios.filter((s) => keyOf(s) === c.key));
    return { c, failed: all.filter(failed).length, inconclusive: all.filter((s) => s.standing === 'inconclusive').length, tooling: all.filter((s) => s.standing === 'tooling-error').length, ran: all.length };
  }).sort((a, b) => b.failed - a.failed || a.c.key.localeCompare(b.c.key));
  const scenarioRows = byScenario.map(({ c, failed: f, inconclusive, tooling, ran }) => `<tr><td>${esc(c.name)}<br><small class="meta">${esc(c.key)}</small></td><td class="num">${formatPoints(c.points)}</td><td data-sort="${f}"><span class="bar" style="width:${ran ? Math.round((120 * f) / ran) : 0}px"></span>${f} of ${ran}</td><td class="num">${inconclusive}</td><td class="num">${tooling}</td></tr>`).join('\n');
  const body = `
<h1>Grades</h1>
<p class="meta">suite ${esc(meta.suite)} · ${grades.length} student${grades.length === 1 ? '' : 's'} · graded ${esc(meta.gradedAt.replace('T', ' ').slice(0, 16))} UTC${mean === undefined ? '' : ` · mean ${Math.round(mean)} % · median ${Math.round(median ?? 0)} %`} · <a href="grades.csv">grades.csv</a></p>
${meta.notGraded.length ? `<p class="note err">Not graded yet (the run stopped before them; finish with npm run grade -- --resume): ${esc(meta.notGraded.join(', '))}</p>` : ''}
${grades.some((g) => g.scenarios.some((s) => s.standing === 'tooling-error')) ? '<p class="note err">Some scenarios ended in a tooling ERROR (marked "ERROR (tooling)"): they are not counted. Rerun those students after fixing the cause (delete their folder under reports/grades/ and run npm run grade -- --resume).</p>' : ''}
<h2 style="border:0;margin-top:16px">Students</h2>
<div class="wide"><table class="sortable">
<thead><tr><th>Student</th><th class="num">Score</th><th class="num">Total</th><th class="num">%</th>${cols.map((c) => `<th class="num scenario" title="${esc(c.name)} (${esc(c.key)})">${esc(short(c.name))}<br><small>${formatPoints(c.points)} pt</small></th>`).join('')}<th>Failed scenarios</th></tr></thead>
<tbody>
${studentRows}
</tbody></table></div>
${svg ? `<img class="chart" alt="score distribution" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">` : ''}
<h2>Which scenarios students failed most</h2>
<table class="sortable">
<thead><tr><th>Scenario</th><th class="num">Points</th><th>Failed (FAIL or submission ERROR)</th><th class="num">INCONCLUSIVE</th><th class="num">Tooling ERROR</th></tr></thead>
<tbody>
${scenarioRows}
</tbody></table>`;
  return page(`Grades — ${meta.suite}`, body, SORT_SCRIPT);
}
