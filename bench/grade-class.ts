/**
 * npm run bench:grade [-- --students 10 --parallel 3 --suite grading/demo-shop --only parallel|serial]
 *
 * Time to grade a class: builds N demo-shop submissions (copies of fixtures/demo-shop/manifests; every
 * third one without the api's liveness probe, the fifth with invalid YAML, so the class is not all
 * green), grades them with `--parallel P`, then back to back (`--parallel 1`), and prints both wall
 * times, the shared setup (start to the first scenario) and the ratio the issue asks about:
 * (parallel − setup) / (serial − setup). Needs the cluster (flock /tmp/kubeproof-cluster.lock …).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const students = Number(arg('students', '10'));
const parallel = arg('parallel', '3');
const suite = arg('suite', 'grading/demo-shop');
const only = arg('only', 'both');

function makeClass(): string {
  const root = mkdtempSync(join(tmpdir(), 'kp-bench-class-'));
  const manifests = join(ROOT, 'fixtures', 'demo-shop', 'manifests');
  for (let i = 1; i <= students; i++) {
    const dir = join(root, `student-${String(i).padStart(2, '0')}`);
    cpSync(manifests, dir, { recursive: true });
    if (i % 3 === 0) {
      // No liveness probe on the api: the liveness scenario must FAIL.
      const file = join(dir, '21-deployment-api.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/ {8}livenessProbe:\n(?: {10}.*\n)+/, ''));
    }
    if (i === 5) writeFileSync(join(dir, '99-broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  key: [unclosed\n');
  }
  return root;
}

interface Timed { wallMs: number; setupMs: number; code: number | null; summary: string }

function grade(classDir: string, p: string): Promise<Timed> {
  return new Promise((res) => {
    const t0 = performance.now();
    let setupMs = NaN;
    let out = '';
    const child = spawn(process.execPath, ['src/cli/grade.ts', '--submissions', classDir, '--suite', suite, '--parallel', p], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      out += text;
      if (Number.isNaN(setupMs) && text.includes(' ▶ ')) setupMs = performance.now() - t0;
      process.stdout.write(text);
    });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); process.stderr.write(d); });
    child.on('close', (code) => res({ wallMs: performance.now() - t0, setupMs, code, summary: out.split('\n').filter((l) => /^graded \d+\/\d+ students|^ {2}\S/.test(l)).join('\n') }));
  });
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const classDir = makeClass();
const scenarios = readdirSync(join(ROOT, suite)).filter((f) => f.endsWith('.feature')).map((f) => (readFileSync(join(ROOT, suite, f), 'utf8').match(/^\s*Scenario:/gm) ?? []).length).reduce((a, b) => a + b, 0);
process.stdout.write(`bench:grade — ${students} demo-shop submissions × ${scenarios} scenarios of ${suite} (class in ${classDir})\n`);
const results: Record<string, Timed> = {};
if (only !== 'serial') results[`parallel ${parallel}`] = await grade(classDir, parallel);
if (only !== 'parallel') results['back to back (parallel 1)'] = await grade(classDir, '1');
process.stdout.write('\nbench:grade results\n');
for (const [name, r] of Object.entries(results)) {
  process.stdout.write(`  ${name.padEnd(28)} wall ${s(r.wallMs).padStart(8)}   shared setup ${s(r.setupMs).padStart(7)}   exit ${r.code}\n`);
}
const par = results[`parallel ${parallel}`];
const ser = results['back to back (parallel 1)'];
if (par && ser) {
  const ratio = (par.wallMs - par.setupMs) / (ser.wallMs - ser.setupMs);
  process.stdout.write(`  grading time without the shared setup: parallel ${s(par.wallMs - par.setupMs)} vs back to back ${s(ser.wallMs - ser.setupMs)} → ratio ${ratio.toFixed(2)} (speed-up ×${(1 / ratio).toFixed(2)})\n`);
}
