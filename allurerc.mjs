// Allure 3 (pure JS, no Java): one self-contained HTML file a grader can open from disk.
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'kubeproof',
  output: './reports/allure-report',
  plugins: {
    awesome: { options: { singleFile: true, reportLanguage: 'en', reportName: 'kubeproof' } },
  },
});
