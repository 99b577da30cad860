/**
 * Reachability matrix, warm cluster: runs the 6-row "only api and auth open connections to PostgreSQL"
 * scenario through the real CLI and reports how long the table step took (testStepStarted →
 * testStepFinished in cucumber's messages): probe pods created in parallel, every row probed, pods gone.
 *
 * Usage: npm run bench:reachability [-- rounds]   (target: ≤ 20 s for 6 rows)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Envelope { [key: string]: any }
const ROOT = resolve(import.meta.dirname, '..');
const FEATURE = 'features/isolation/postgres-access.feature';
const SCENARIO = 'only api and auth open connections to PostgreSQL';
const rounds = Number(process.argv[2] ?? 1);
const seconds = (t: { seconds: number; nanos: number }): number => t.seconds + t.nanos / 1e9;

for (let round = 1; round <= rounds; round++) {
  // Our own message file: reports/ is shared with any other run on this machine.
  const ndjson = join(tmpdir(), `kubeproof-bench-matrix-${process.pid}-${round}.ndjson`);
  const cli = spawnSync(process.execPath, ['src/cli/main.ts', FEATURE, '--name', SCENARIO, '--format', `message:${ndjson}`], { cwd: ROOT, encoding: 'utf8' });
  if (cli.status !== 0) {
    process.stderr.write(`round ${round}: the scenario did not pass (exit ${cli.status}); a benchmark of a failure means nothing\n${cli.stdout}${cli.stderr}`);
    process.exit(1);
  }
  const messages = readFileSync(ndjson, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope);
  // The pickle step carrying the 6-row table → its test step → its start and finish.
  const pickleStep = messages.flatMap((m) => m.pickle?.steps ?? []).find((s: Envelope) => (s.argument?.dataTable?.rows?.length ?? 0) > 1);
  const testStep = messages.flatMap((m) => m.testCase?.testSteps ?? []).find((s: Envelope) => s.pickleStepId === pickleStep?.id);
  const startedAt = messages.find((m) => m.testStepStarted?.testStepId === testStep?.id)?.testStepStarted.timestamp;
  const finishedAt = messages.find((m) => m.testStepFinished?.testStepId === testStep?.id)?.testStepFinished.timestamp;
  if (!pickleStep || !startedAt || !finishedAt) throw new Error(`no table step found in ${ndjson}`);
  const rows = pickleStep.argument.dataTable.rows.length - 1;
  process.stdout.write(`round ${round}: ${rows}-row matrix in ${(seconds(finishedAt) - seconds(startedAt)).toFixed(1)}s (target ≤ 20s)\n`);
}
