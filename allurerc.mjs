// Allure 3 (pure JS, no Java): one self-contained HTML file a grader can open from disk.
// A plain object, not defineConfig() from 'allure': importing that package starts Allure's whole CLI,
// and bin/allure-report.mjs builds the report with Allure's library instead (0.15 s faster).

// Allure's own statuses do not match kubeproof's verdicts (a ConditionError shows as "broken", a tooling
// error whose text contains "assert" as "failed"), so the categories sort by what the runner decided:
// the boundary every step runs in (src/report/boundary.ts) adds the label kubeproof.verdict.
export default {
  name: 'kubeproof',
  output: './reports/allure-report',
  // Trends across runs (the nightly CI keeps this file between nights): one history point per report.
  ...(process.env.KUBEPROOF_ALLURE_HISTORY ? { historyPath: process.env.KUBEPROOF_ALLURE_HISTORY } : {}),
  // First match wins; every failed or broken scenario lands in exactly one of FAIL and ERROR.
  categories: [
    {
      id: 'kubeproof-fail',
      name: 'FAIL: the deployment misbehaved',
      matchers: { labels: { 'kubeproof.verdict': 'FAIL' } },
      groupBy: [{ label: 'feature' }],
      groupByMessage: false,
      expand: true,
    },
    {
      // INCONCLUSIVE scenarios are skipped by the capability gate (steps/hooks.ts) or by a step that found
      // the environment lacking (the boundary); both set kubeproof.reason, which groups them.
      id: 'kubeproof-inconclusive',
      name: 'INCONCLUSIVE: the environment cannot run it',
      matchers: { labels: { 'kubeproof.verdict': 'INCONCLUSIVE' } },
      groupBy: [{ label: 'kubeproof.reason' }],
      groupByMessage: false,
    },
    {
      id: 'kubeproof-error',
      name: 'ERROR: the tooling broke (not a verdict on the deployment)',
      matchers: [
        // Anything else that did not pass, a scenario skipped without a reason included (the run model says ERROR).
        { statuses: ['failed', 'broken', 'unknown', 'skipped'] },
        // allure-cucumberjs reports a scenario with an undefined step as passed with this message.
        { statuses: ['passed'], message: /doesn't have an implementation/ },
      ],
    },
  ],
  plugins: {
    awesome: { options: { singleFile: true, reportLanguage: 'en', reportName: 'kubeproof' } },
  },
};
