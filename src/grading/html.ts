/** Small HTML helpers shared by the student report and the class summary (self-contained pages). */

/** Escapes text for HTML content and attribute values. */
export function esc(text: string | number | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Verdict → badge colour class and the word a student reads. */
export const VERDICT_STYLE: Record<string, { cls: string; label: string }> = {
  PASS: { cls: 'pass', label: 'PASS' },
  FAIL: { cls: 'fail', label: 'FAIL' },
  INCONCLUSIVE: { cls: 'inconclusive', label: 'INCONCLUSIVE' },
  ERROR: { cls: 'error', label: 'ERROR' },
};

/** The shared stylesheet: readable on screen and printed, no external fonts. */
export const STYLE = `
:root { --pass:#1a7f37; --fail:#cf222e; --inc:#9a6700; --err:#6e40c9; --muted:#57606a; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:#1f2328; margin:0; background:#f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; background:#fff; min-height:100vh; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 8px; padding-top: 12px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); font-size: 13px; margin: 2px 0 14px; }
.score { font-size: 40px; font-weight: 700; margin: 10px 0 2px; }
.score small { font-size: 18px; color: var(--muted); font-weight: 400; }
.note { border-left: 4px solid var(--inc); background:#fff8c5; padding: 8px 12px; margin: 10px 0; font-size: 14px; }
.note.err { border-color: var(--err); background:#fbefff; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 7px 9px; border-bottom: 1px solid var(--line); }
th { background:#f6f8fa; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.badge { display:inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color:#fff; white-space: nowrap; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.inconclusive { background: var(--inc); } .badge.error { background: var(--err); }
.why { margin: 0; } .hint { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
.hint::before { content: "Hint: "; font-weight: 600; }
pre { background:#f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow-x: auto; font-size: 12.5px; line-height: 1.4; white-space: pre-wrap; word-break: break-word; }
ol.steps { padding-left: 22px; } ol.steps li { margin: 3px 0; }
.st { font-weight: 700; margin-right: 6px; } .st.PASSED { color: var(--pass); } .st.FAILED { color: var(--fail); } .st.SKIPPED { color: var(--muted); }
details { margin: 6px 0; } summary { cursor: pointer; color:#0969da; }
img.chart { max-width: 100%; border: 1px solid var(--line); border-radius: 6px; background:#fff; }
a { color:#0969da; }
.cell-earned { background:#dafbe1; } .cell-lost { background:#ffebe9; } .cell-nc { background:#fff8c5; }
th.sortable { cursor: pointer; } th.sortable::after { content: " ↕"; color: var(--muted); font-weight: 400; }
.wide { overflow-x: auto; }
th.scenario { white-space: normal; min-width: 110px; max-width: 170px; }
td.fails { min-width: 180px; font-size: 13px; }
.bar { display:inline-block; height: 10px; background: var(--fail); border-radius: 2px; vertical-align: middle; margin-right: 6px; }
@media print { body { background:#fff; } main { padding: 0; } details { display:block; } }
`;

/** A full page. */
export function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main>${script ? `<script>${script}</script>` : ''}</body></html>
`;
}
