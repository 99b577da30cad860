// Cucumber profiles, read by `npm run chaos` / `npx kubeproof` (src/cli/main.ts, through cucumber's JS API)
// and by plain `npx cucumber-js` alike: the same steps, hooks, plugins and reports either way.
//
// kubeproof's own files are addressed from this file's folder (the package root), so the same config
// works when kubeproof is installed in another project: features, steps/, manifests and reports/ are
// the project's (relative to the working directory), kubeproof's steps and plugins come from here.
// Report writers get file targets; stdout belongs to our progress formatter (two formatters on one
// stream would silently drop one of them).
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A file shipped with kubeproof, as an absolute path. */
const own = (path) => join(import.meta.dirname, path);
/** Node refuses to strip types of .ts files under node_modules: there, our loader does it (bin/strip-types.mjs). */
const installed = import.meta.dirname.split(/[\\/]/).includes('node_modules');

const reports = {
  format: [
    own('src/report/progress-formatter.ts'),
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
  // The project's own steps/, then kubeproof's (the same folder in this repository; cucumber loads each file once).
  import: ['steps/**/*.ts', own('steps/**/*.ts')],
  plugin: [
    // @exclusive scenarios last, so --parallel keeps its workers busy (see the plugin for why).
    pathToFileURL(own('src/cli/exclusive-last-plugin.ts')).href,
    // Plain cucumber-js: selected scenarios for the run's BeforeAll, summary and Allure report at the end.
    pathToFileURL(own('src/cli/cucumber-js-plugin.ts')).href,
  ],
  ...(installed ? { loader: [pathToFileURL(own('bin/strip-types.mjs')).href] } : {}),
  strict: true,
  ...reports,
};

/** The shipped suite: every feature under features/. */
export default { ...common, paths: ['features/**/*.feature'] };

/** Only the foundation scenarios (pause image; no fixture, metrics or k6 needed). */
export const foundation = { ...common, paths: ['features/foundation/**/*.feature'] };

/**
 * No paths of its own: `npx cucumber-js -p only path/to/a.feature` runs just the paths given. (cucumber 13
 * adds command-line paths to a profile's paths, with a deprecation warning; our CLI replaces them.)
 */
export const only = { ...common };
