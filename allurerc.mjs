// Allure 3 (pure JS, no Java): one self-contained HTML file a grader can open from disk.
import { defineConfig } from 'allure';
// Loaded through Allure's TypeScript-aware config loader, so the verdict rules have one source.
import { SYSTEM_FAILURE_ERRORS } from './src/report/verdicts.ts';

// Allure's own statuses do not match kubeproof's verdicts (a ConditionError shows as "broken", a tooling
// error whose text contains "assert" as "failed"), so the categories sort by what the runner decided:
// the error's name starts the message cucumber reports (e.g. "ConditionError: expect(…) failed").
const systemFailure = new RegExp(`^(${SYSTEM_FAILURE_ERRORS.join('|')})\\b`);

export default defineConfig({
  name: 'kubeproof',
  output: './reports/allure-report',
  // First match wins; every failed or broken scenario lands in exactly one of FAIL and ERROR.
  categories: [
    {
      id: 'kubeproof-fail',
      name: 'FAIL: the deployment misbehaved',
      matchers: { statuses: ['failed', 'broken'], message: systemFailure },
      groupBy: [{ label: 'feature' }],
      groupByMessage: false,
      expand: true,
    },
    {
      // INCONCLUSIVE scenarios are skipped by the capability gate (steps/hooks.ts); the gate's
      // kubeproof.reason label, when set, groups them by reason.
      id: 'kubeproof-inconclusive',
      name: 'INCONCLUSIVE: the environment cannot run it',
      matchers: { statuses: ['skipped'] },
      groupBy: [{ label: 'kubeproof.reason' }],
      groupByMessage: false,
    },
    {
      id: 'kubeproof-error',
      name: 'ERROR: the tooling broke (not a verdict on the deployment)',
      matchers: [
        { statuses: ['failed', 'broken', 'unknown'] },
        // allure-cucumberjs reports a scenario with an undefined step as passed with this message.
        { statuses: ['passed'], message: /doesn't have an implementation/ },
      ],
    },
  ],
  plugins: {
    awesome: { options: { singleFile: true, reportLanguage: 'en', reportName: 'kubeproof' } },
  },
});
