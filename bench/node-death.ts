/**
 * Node death, end to end: runs a node-death feature through the real CLI and splits the scenario's
 * wall time into what Kubernetes took and what the runner added.
 *
 *   wall        = testCaseStarted → testCaseFinished (cucumber messages; hooks included)
 *   rollout     = manifests applied → first "N ready replicas" met          (Kubernetes: scheduling, start)
 *   recovery    = docker pause → recovery condition met = time to recover    (Kubernetes: detect, evict, replace)
 *   node back   = docker unpause → node Ready again (from the undo's detail) (Kubernetes: kubelet status)
 *   overhead    = wall − (rollout + recovery + node back); everything else: namespace, watches, apply,
 *                 victim choice, docker calls, evidence/timeline attachments, namespace deletion
 *
 * Usage: npm run bench:node-death [-- feature-path [rounds]]
 *        (default: test/e2e/features/node-death/dies.feature, 1 round; targets: wall ≤ 60 s, overhead ≤ 5 %)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Envelope { [key: string]: any }
const ROOT = resolve(import.meta.dirname, '..');
const feature = process.argv[2] ?? 'test/e2e/features/node-death/dies.feature';
const rounds = Number(process.argv[3] ?? 1);
const seconds = (t: { seconds: number; nanos: number }): number => t.seconds + t.nanos / 1e9;

for (let round = 1; round <= rounds; round++) {
  // Our own message file: reports/ is shared with any other run on this machine.
  const ndjson = join(tmpdir(), `kubeproof-bench-node-death-${process.pid}-${round}.ndjson`);
  const cli = spawnSync(process.execPath, ['src/cli/main.ts', feature, '--format', `message:${ndjson}`], { cwd: ROOT, encoding: 'utf8' });
  if (cli.status !== 0) {
    process.stderr.write(`round ${round}: the scenario did not pass (exit ${cli.status}); a benchmark of a failure means nothing\n${cli.stdout}${cli.stderr}`);
    process.exit(1);
  }
  const messages = readFileSync(ndjson, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope);
  const started = messages.find((m) => m.testCaseStarted)?.testCaseStarted;
  const finished = messages.find((m) => m.testCaseFinished)?.testCaseFinished;
  if (!started || !finished) throw new Error(`no test case in ${ndjson}`);
  const wall = seconds(finished.timestamp) - seconds(started.timestamp);
  const timeline = JSON.parse(messages.find((m) => m.attachment?.fileName === 'timeline.json')?.attachment.body ?? '{"events":[]}') as Envelope;
  const events = timeline.events as Envelope[];
  const applied = events.find((e) => e.kind === 'marker' && /^applied \d+ object/.test(e.label));
  const met = events.filter((e) => e.kind === 'condition.met');
  const pause = events.find((e) => e.kind === 'fault.injected' && e.fault === 'node-pause');
  const noticed = events.find((e) => e.kind === 'marker' && /seen NotReady/.test(e.label));
  const reverted = events.find((e) => e.kind === 'fault.reverted' && e.fault === 'node.unpause');
  const first = met[0];
  if (!applied || !pause || !first || !noticed || met.length < 2 || !reverted) throw new Error('the timeline lacks the apply, pause, conditions or undo this benchmark needs');
  const rollout = (first.t - applied.t) / 1000;
  const recovery = timeline.timeToRecoverMs / 1000;
  const nodeBack = Number(/Ready after (\d+(?:\.\d+)?)s/.exec(reverted.detail ?? '')?.[1] ?? 0);
  const kubernetes = rollout + recovery + nodeBack;
  const overhead = wall - kubernetes;
  const f = (n: number): string => `${n.toFixed(1)}s`;
  process.stdout.write([
    `round ${round}: ${feature}`,
    `  scenario wall time   ${f(wall)}   (target ≤ 60s)`,
    `  rollout              ${f(rollout)}`,
    `  node NotReady after  ${f((noticed.t - pause.t) / 1000)} (pause → node and its pods seen NotReady)`,
    `  time to recover      ${f(recovery)} (pause → 3 ready replicas again)`,
    `  node Ready again     ${f(nodeBack)} after unpause`,
    `  runner overhead      ${f(overhead)} = ${((overhead / wall) * 100).toFixed(1)} % of wall (target ≤ 5 %)`,
    '',
  ].join('\n'));
}
