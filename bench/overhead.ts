/**
 * What one run costs besides its scenarios: runs a one-step scenario the way `npm run chaos` does (the
 * node command of its package.json script, without npm) and reports
 *
 *   wall      = process start → exit (the Allure report is built by then: the process became its generator)
 *   scenario  = testCaseStarted → testCaseFinished (cucumber messages; hooks, namespace, watches included)
 *   fixed     = wall − scenario: start-up (Node, cucumber, support code), preflight, reports
 *   peak RSS  = the largest sum of VmRSS over the CLI and every process it started, sampled every 20 ms
 *
 * A round whose reports are not all written fails the bench. The first round fills Node's compile cache
 * when the sources changed; it is shown and left out of the summary. Each round starts once the cluster
 * has finished deleting the previous round's namespace: the question is what one run costs on a warm,
 * settled cluster, and back-to-back rounds would each pay for the last one's clean-up.
 *
 * Usage: npm run bench:overhead [-- rounds]   (default 6; targets: fixed ≤ 1.0 s, peak RSS ≤ 150 MB)
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createKubeClient } from '../src/cluster/kube-client.ts';

const ROOT = resolve(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 6);
const REPORTS = ['reports/allure-report/index.html', 'reports/cucumber-report.html', 'reports/junit.xml'];
// `node <flags> bin/kubeproof.mjs` from package.json: what users run, flags included.
const chaos = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.chaos ?? '';
const nodeArgs = chaos.split(/\s+/).slice(1);
if (!chaos.startsWith('node ') || !/\.(mjs|ts)$/.test(nodeArgs.at(-1) ?? '')) throw new Error(`unexpected chaos script: ${chaos}`);
const seconds = (t: { seconds: number; nanos: number }): number => t.seconds + t.nanos / 1e9;

/**
 * Resident memory (kB) of `pid` and all its descendants, from /proc. Walks each process's
 * task/<tid>/children lists instead of scanning /proc: with a kind cluster's few hundred processes on
 * the host, a full scan every 20 ms would itself take a good part of a core from the run it measures.
 */
function treeRssKb(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      total += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      for (const task of readdirSync(`/proc/${p}/task`)) {
        stack.push(...readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
      }
    } catch { /* the process ended while we read it */ }
  }
  return total;
}

const cluster = createKubeClient();
/** Until no namespace of any kubeproof run exists, terminating ones included (at most a minute). */
async function settled(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await cluster.list('Namespace', { labelSelector: 'app.kubernetes.io/managed-by=kubeproof' })).length) {
    if (Date.now() > deadline) throw new Error('kubeproof namespaces still there after 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const fixed: number[] = [];
const peaks: number[] = [];
for (let round = 1; round <= rounds; round++) {
  await settled();
  const ndjson = join(tmpdir(), `kubeproof-bench-overhead-${process.pid}-${round}.ndjson`);
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, 'bench/features/trivial.feature', '--format', `message:${ndjson}`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  let peakKb = 0;
  const sampler = setInterval(() => { if (child.pid) peakKb = Math.max(peakKb, treeRssKb(child.pid)); }, 20);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(sampler);
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) { process.stderr.write(`round ${round}: exit ${code}\n${stderr}`); process.exit(1); }
  const messages = readFileSync(ndjson, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  const start = messages.find((m) => m.testCaseStarted)?.testCaseStarted;
  const end = messages.find((m) => m.testCaseFinished)?.testCaseFinished;
  const scenario = seconds(end.timestamp) - seconds(start.timestamp);
  const stale = REPORTS.filter((f) => { try { return statSync(join(ROOT, f)).mtimeMs < Date.now() - wall * 1000 - 1000; } catch { return true; } });
  if (stale.length) { process.stderr.write(`round ${round}: not written: ${stale.join(', ')}\n`); process.exit(1); }
  process.stdout.write(`round ${round}: wall ${wall.toFixed(2)} s, scenario ${scenario.toFixed(2)} s, fixed ${(wall - scenario).toFixed(2)} s, peak RSS ${(peakKb / 1024).toFixed(0)} MB${round === 1 ? '  (warm-up, not summarised)' : ''}\n`);
  if (round > 1) { fixed.push(wall - scenario); peaks.push(peakKb / 1024); }
}
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
if (fixed.length) {
  process.stdout.write(`fixed cost: median ${median(fixed).toFixed(2)} s (min ${Math.min(...fixed).toFixed(2)}, max ${Math.max(...fixed).toFixed(2)}) over ${fixed.length} rounds; target ≤ 1.00 s\n`);
  process.stdout.write(`peak RSS:   median ${median(peaks).toFixed(0)} MB (max ${Math.max(...peaks).toFixed(0)}); target ≤ 150 MB\n`);
}
