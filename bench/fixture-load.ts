/**
 * The rate demo-shop's api sustains through NodePort 30080 (issue 12: "against demo-shop's NodePort: the
 * rate the fixture sustains, recorded"). Runs bench/features/fixture-capacity.feature — a staged load of
 * 100 → 1500 req/s, 15 s each, a fresh connection per request — through the real CLI on the real cluster,
 * then prints per stage what was sent, what failed and the p95, from the timeline's load.second entries.
 * A stage "holds" when ≥ 99 % of its planned requests were sent and < 1 % failed. Asserts nothing.
 *
 * Usage: npm run bench:fixture-load
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const STAGES = [100, 250, 500, 1000, 1500];
const STAGE_S = 15;
const ndjson = join(tmpdir(), `kubeproof-bench-fixture-load-${process.pid}.ndjson`);

const child = spawn(process.execPath, ['src/cli/main.ts', 'bench/features/fixture-capacity.feature', '--format', `message:${ndjson}`], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
const code = await new Promise<number | null>((r) => child.on('close', r));
process.stdout.write(`\nCLI exit ${code} (the verdict does not matter here)\n`);

const messages = readFileSync(ndjson, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
const timeline = messages.map((m) => m.attachment).find((a) => a?.fileName === 'timeline.json');
if (!timeline) { process.stderr.write('no timeline.json attached: the scenario did not run\n'); process.exit(1); }
const events = (JSON.parse(timeline.body) as { events: Array<Record<string, any>> }).events;
const seconds = events.filter((e) => e.kind === 'load.second') as Array<{ second: number; requests: number; errors: number; p95Ms?: number }>;

process.stdout.write('\ndemo-shop api GET / through 127.0.0.1:30080 (fresh connection per request)\n');
process.stdout.write('stage  planned/s  sent/s   failed    p95 (worst second)  holds\n');
STAGES.forEach((rate, i) => {
  // Skip each stage's first and last second: the stage boundaries fall inside them.
  const inStage = seconds.filter((s) => s.second >= i * STAGE_S + 1 && s.second < (i + 1) * STAGE_S - 1);
  const sent = inStage.reduce((n, s) => n + s.requests, 0);
  const failed = inStage.reduce((n, s) => n + s.errors, 0);
  const perSecond = inStage.length ? sent / inStage.length : 0;
  const p95 = Math.max(0, ...inStage.map((s) => s.p95Ms ?? 0));
  const holds = perSecond >= 0.99 * rate && failed < 0.01 * sent;
  process.stdout.write(`${String(i + 1).padStart(5)}  ${String(rate).padStart(9)}  ${perSecond.toFixed(0).padStart(6)}  ${`${failed} (${sent ? ((100 * failed) / sent).toFixed(1) : '0.0'} %)`.padStart(13)}  ${`${p95.toFixed(1)} ms`.padStart(18)}  ${holds ? 'yes' : 'no'}\n`);
});
