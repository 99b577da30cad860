// Cucumber profiles. `npm run chaos` (src/cli/main.ts) loads this file through cucumber's JS API.
// Report writers get file targets; stdout belongs to our progress formatter (two formatters on one
// stream would silently drop one of them).
import os from 'node:os';

const reports = {
  format: [
    './src/report/progress-formatter.ts',
    ['html', 'reports/cucumber-report.html'],
    ['junit', 'reports/junit.xml'],
    ['message', 'reports/messages.ndjson'],
    ['allure-cucumberjs/reporter', 'reports/allure-formatter.log'],
  ],
  formatOptions: {
    snippetInterface: 'async-await',
    junit: { suiteName: 'kubeproof' },
    // allure-cucumberjs reads its options from formatOptions.
    resultsDir: 'reports/allure-results',
    labels: [
      { pattern: [/@severity:(.*)/], name: 'severity' },
      { pattern: [/@points:(.*)/], name: 'points' },
    ],
    environmentInfo: { node: process.version, os: `${os.platform()} ${os.release()}` },
  },
};

const common = {
  import: ['steps/**/*.ts'],
  // @exclusive scenarios last, so --parallel keeps its workers busy (see the plugin for why).
  plugin: ['./src/cli/exclusive-last-plugin.ts'],
  strict: true,
  ...reports,
};

/** The shipped suite: every feature under features/. */
export default { ...common, paths: ['features/**/*.feature'] };

/** Only the foundation scenarios (pause image; no fixture, metrics or k6 needed). */
export const foundation = { ...common, paths: ['features/foundation/**/*.feature'] };
