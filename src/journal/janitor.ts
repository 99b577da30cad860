/**
 * --janitor: cleans what dead runs left behind. For every journalled run whose process is gone it
 * replays the pending undos (LIFO per scope), then deletes every namespace kubeproof owns whose run
 * is not alive — including namespaces kept with --keep by finished runs.
 */
import { ANNOTATIONS, LABELS, ownedSelector } from '../cluster/namespaces.ts';
import { isProcessAlive, isRunDead, listRuns, openScope, removeRunIfClean, scopeFiles } from './journal.ts';
import { revertScope } from './revert.ts';
import type { UndoDeps, UndoTable } from './undo.ts';
import { hostname } from 'node:os';
import { basename } from 'node:path';

/** What the janitor did, one line per action. */
export interface JanitorReport {
  actions: string[];
  failures: string[];
  skippedLiveRuns: string[];
}

/** Runs the janitor with the undo table `table` against the cluster of `deps`, journals under `journalDir`. */
export async function runJanitor(table: UndoTable, deps: UndoDeps, journalDir: string): Promise<JanitorReport> {
  const { client } = deps;
  const report: JanitorReport = { actions: [], failures: [], skippedLiveRuns: [] };
  const liveRuns = new Set<string>();
  for (const run of listRuns(journalDir)) {
    if (!isRunDead(run.meta)) {
      liveRuns.add(run.runId);
      report.skippedLiveRuns.push(`${run.runId} (pid ${run.meta?.pid} on ${run.meta?.host} is still running)`);
      continue;
    }
    for (const file of scopeFiles(run.dir)) {
      const scope = openScope(run.dir, basename(file, '.jsonl'));
      for (const result of await revertScope(table, deps, scope)) {
        (result.ok ? report.actions : report.failures).push(`run ${run.runId}: ${result.message}`);
      }
    }
    if (removeRunIfClean(run.dir)) report.actions.push(`run ${run.runId}: journal cleared`);
  }
  for (const ns of await client.list('Namespace', { labelSelector: ownedSelector() })) {
    const name = ns.metadata?.name ?? '';
    const runId = ns.metadata?.labels?.[LABELS.runId] ?? '';
    const pid = Number(ns.metadata?.annotations?.[ANNOTATIONS.pid] ?? NaN);
    const host = ns.metadata?.annotations?.[ANNOTATIONS.host];
    if (ns.metadata?.deletionTimestamp) continue;
    // Every namespace a run creates carries pid and host; one without them was labelled by hand
    // (or by another tool), so the janitor cannot tell whether it is still in use: leave it.
    if (!Number.isFinite(pid) || !host) {
      report.skippedLiveRuns.push(`namespace ${name} (no kubeproof.dev/pid and host annotations: not created by a run)`);
      continue;
    }
    const alive = liveRuns.has(runId) || host !== hostname() || (isProcessAlive(pid) && pid !== process.pid);
    if (alive) continue;
    try {
      await client.delete('Namespace', name);
      report.actions.push(`namespace ${name} (run ${runId}) deleted`);
    } catch (err) {
      report.failures.push(`namespace ${name}: ${(err as Error).message}`);
    }
  }
  return report;
}
