/**
 * What one run costs besides its scenarios: runs a one-step scenario through the real CLI and reports
 *
 *   wall      = process start → exit (npm excluded: `node src/cli/main.ts`)
 *   scenario  = testCaseStarted → testCaseFinished (cucumber messages; hooks, namespace, watches included)
 *   fixed     = wall − scenario: start-up (Node, cucumber, support code), preflight, reports
 *   peak RSS  = the largest sum of VmRSS over the CLI and every process it started, sampled every 20 ms
 *
 * Usage: npm run bench:overhead [-- rounds]   (default 3; targets: fixed ≤ 1.0 s, peak RSS ≤ 150 MB)
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 3);
const seconds = (t: { seconds: number; nanos: number }): number => t.seconds + t.nanos / 1e9;

/** Resident memory (kB) of `pid` and all its descendants, from /proc. */
function treeRssKb(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch { /* the process ended while we read it */ }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

const rows: string[] = [];
for (let round = 1; round <= rounds; round++) {
  const ndjson = join(tmpdir(), `kubeproof-bench-overhead-${process.pid}-${round}.ndjson`);
  const started = performance.now();
  const child = spawn(process.execPath, ['src/cli/main.ts', 'bench/features/trivial.feature', '--format', `message:${ndjson}`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
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
  rows.push(`round ${round}: wall ${wall.toFixed(2)} s, scenario ${scenario.toFixed(2)} s, fixed ${(wall - scenario).toFixed(2)} s, peak RSS ${(peakKb / 1024).toFixed(0)} MB`);
  process.stdout.write(`${rows.at(-1)}\n`);
}
