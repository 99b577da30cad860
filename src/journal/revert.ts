/** Replays the pending undos of a scope, last in first out; errors are collected, never short-circuited. */
import type { ScopeJournal } from './journal.ts';
import { executeUndo } from './undo.ts';
import type { UndoDeps, UndoResult, UndoTable } from './undo.ts';

/** Options for {@link revertScope}. */
export interface RevertOptions {
  timeoutMs?: number;
  /** Undo kinds to leave pending-but-completed (e.g. namespace.delete with --keep). */
  skipKinds?: readonly string[];
}

/** Executes every pending undo of `journal` in reverse order and marks each done. */
export async function revertScope(table: UndoTable, deps: UndoDeps, journal: ScopeJournal, options: RevertOptions = {}): Promise<UndoResult[]> {
  const results: UndoResult[] = [];
  for (const record of journal.pending().reverse()) {
    if (options.skipKinds?.includes(record.kind)) {
      journal.complete(record.id, true, 'kept on purpose');
      results.push({ record, ok: true, message: `${record.description}: skipped (kept)` });
      continue;
    }
    const result = await executeUndo(table, deps, record, options.timeoutMs);
    // Only a successful undo is closed: a failed one stays pending for the janitor.
    if (result.ok) journal.complete(record.id, true);
    results.push(result);
  }
  return results;
}
