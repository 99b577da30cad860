/**
 * The report a teacher hands back: one self-contained HTML file per student. The first screen is the
 * grade — name, score/total, and every scenario with its points, verdict, and the one sentence saying
 * why plus the hint; below it, per scenario, the failure, the steps, the timeline chart and the evidence.
 * Everything shown came through the run's redaction boundary (attachments and messages).
 */
import { esc, page, VERDICT_STYLE } from './html.ts';
import { formatPoints } from './grades.ts';
import type { AttachmentRecord, GradedScenario, StudentGrade } from './grades.ts';

const STEP_ICON: Record<string, string> = { PASSED: '✔', FAILED: '✘', SKIPPED: '–', UNDEFINED: '?', PENDING: '…', AMBIGUOUS: '?' };
/** Evidence bigger than this is cut (the Allure report of the run keeps it whole). */
const MAX_EVIDENCE_CHARS = 60_000;

function pointsCell(s: GradedScenario): string {
  if (s.standing === 'inconclusive') return `– / ${formatPoints(s.points)}<br><small>not counted</small>`;
  if (s.standing === 'tooling-error') return `– / ${formatPoints(s.points)}<br><small>not counted (tooling)</small>`;
  return `${formatPoints(s.earned)} / ${formatPoints(s.points)}`;
}

function badge(s: GradedScenario): string {
  const v = VERDICT_STYLE[s.verdict] ?? { cls: 'error', label: s.verdict };
  const suffix = s.standing === 'submission-error' ? ' (submission)' : s.standing === 'tooling-error' ? ' (tooling)' : '';
  return `<span class="badge ${v.cls}">${esc(v.label + suffix)}</span>`;
}

function decode(a: AttachmentRecord): string {
  return a.encoding === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
}

function evidence(a: AttachmentRecord): string {
  let text = decode(a);
  if (a.mediaType === 'application/json') {
    try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* shown as sent */ }
  }
  const cut = text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)}\n… (${text.length - MAX_EVIDENCE_CHARS} more characters in the run's Allure report)` : text;
  return `<details><summary>${esc(a.name)} <small>(${esc(a.mediaType)}, ${text.length} characters)</small></summary><pre>${esc(cut)}</pre></details>`;
}

function scenarioSection(s: GradedScenario, i: number, names: Record<string, string>): string {
  const chart = s.attachments.find((a) => a.name === 'timeline.svg');
  const svg = chart ? (chart.encoding === 'BASE64' ? chart.body : Buffer.from(chart.body, 'utf8').toString('base64')) : undefined;
  // Evidence of objects that were never deployed (a submission error) is empty noise: leave it out.
  const others = s.attachments.filter((a) => a !== chart && a.mediaType !== 'text/x.kubeproof.scenario+plain'
    && !(s.standing === 'submission-error' && a.name.startsWith('evidence-')) && !['', '[]', '{}'].includes(decode(a).trim()));
  const info = s.attachments.find((a) => a.mediaType === 'text/x.kubeproof.scenario+plain');
  return `
<h2 id="s${i + 1}">${i + 1}. ${esc(s.name)} ${badge(s)}</h2>
<p class="meta">${esc(s.file)}:${s.line} · ${s.standing === 'inconclusive' || s.standing === 'tooling-error' ? `${formatPoints(s.points)} points, not counted` : `${formatPoints(s.earned)} / ${formatPoints(s.points)} points`} · ${(s.durationMs / 1000).toFixed(1)} s${info ? ` · ${esc(decode(info))}` : ''}</p>
${s.message ? `<h3>What went wrong</h3><pre>${esc(s.message)}</pre>` : ''}
<h3>Steps</h3>${Object.keys(names).length ? `<p class="meta">written with the suite's names; for this submission ${Object.entries(names).map(([a, b]) => `"${esc(a)}" is "${esc(b)}"`).join(', ')}</p>` : ''}
<ol class="steps">${s.steps.map((st) => `<li><span class="st ${esc(st.status)}">${STEP_ICON[st.status] ?? '·'}</span>${esc(st.text)} <small class="meta">${(st.durationMs / 1000).toFixed(1)} s</small></li>`).join('')}</ol>
${svg ? `<h3>Timeline</h3><img class="chart" alt="timeline of the scenario: replicas, pods per node, faults and checks over time" src="data:image/svg+xml;base64,${svg}">` : ''}
${others.length ? `<h3>Evidence</h3>${others.map(evidence).join('')}` : ''}`;
}

/** Renders one student's report. */
export function renderStudentReport(grade: StudentGrade, suiteName: string): string {
  const inconclusive = grade.scenarios.filter((s) => s.standing === 'inconclusive');
  const tooling = grade.scenarios.filter((s) => s.standing === 'tooling-error');
  const notCounted = grade.max - grade.total;
  const names = Object.entries(grade.names);
  const rows = grade.scenarios.map((s, i) => `<tr>
  <td class="num">${i + 1}</td>
  <td><a href="#s${i + 1}">${esc(s.name)}</a></td>
  <td class="num">${pointsCell(s)}</td>
  <td>${badge(s)}</td>
  <td>${s.reason ? `<p class="why">${esc(s.reason)}</p>` : s.verdict === 'PASS' ? '<p class="why">passed</p>' : ''}${s.hint ? `<p class="hint">${esc(s.hint)}</p>` : ''}</td>
</tr>`).join('\n');
  const body = `
<h1>${esc(grade.name)}</h1>
<p class="meta">suite ${esc(suiteName)} · submission ${esc(grade.folder)} · graded ${esc(grade.gradedAt.replace('T', ' ').slice(0, 16))} UTC${names.length ? ` · names: ${names.map(([a, b]) => `${esc(a)} → ${esc(b)}`).join(', ')}` : ''}</p>
<p class="score">${formatPoints(grade.score)} / ${formatPoints(grade.total)} <small>points${grade.total ? ` (${Math.round((100 * grade.score) / grade.total)} %)` : ''}</small></p>
${inconclusive.length ? `<p class="note">${inconclusive.length} scenario${inconclusive.length === 1 ? ' was' : 's were'} INCONCLUSIVE: the test cluster could not run ${inconclusive.length === 1 ? 'it' : 'them'}, so ${inconclusive.length === 1 ? 'it does' : 'they do'} not count for or against you.</p>` : ''}
${tooling.length ? `<p class="note err">${tooling.length} scenario${tooling.length === 1 ? '' : 's'} could not be graded because the grading tools failed (not your submission): ${tooling.length === 1 ? 'it does' : 'they do'} not count${notCounted ? `; ${formatPoints(notCounted)} of ${formatPoints(grade.max)} points are left out` : ''}. Your teacher will rerun ${tooling.length === 1 ? 'it' : 'them'}.</p>` : ''}
<table>
<thead><tr><th class="num">#</th><th>Scenario</th><th class="num">Points</th><th>Verdict</th><th>Why, and what to look at</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${grade.scenarios.map((s, i) => scenarioSection(s, i, grade.names)).join('\n')}
`;
  return page(`${grade.name} — ${formatPoints(grade.score)}/${formatPoints(grade.total)} — kubeproof`, body);
}
