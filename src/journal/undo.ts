/**
 * Undos as data. A fault journals one before it acts — a kind and JSON params — so this process (After
 * hook, SIGINT/SIGTERM) or a later one (--janitor, after a SIGKILL) can replay it. Each kind is defined
 * once, next to the fault that needs it (`defineUndo`), and src/registry.ts gathers them into the one
 * table every replay uses. Every undo is idempotent: "already undone" is success.
 */
import type { NodeAccess } from '../cluster/kind-access.ts';
import type { ClusterClient } from '../cluster/types.ts';
import type { ScopeJournal, UndoRecord } from './journal.ts';

/** What an undo may use: the API and host-side node access (no scenario: the janitor has none). */
export interface UndoDeps {
  client: ClusterClient;
  nodes: NodeAccess;
}

/** JSON params of an undo (they cross process boundaries: plain data only). */
export type UndoParams = Record<string, unknown>;

/** One kind of undo: its name, what it does, and a typed way to journal it. */
export interface UndoDefinition<P extends UndoParams> {
  readonly kind: string;
  run(deps: UndoDeps, params: P): Promise<string>;
  /** Persists this undo (synchronously, before the caller acts) in `journal`. */
  record(journal: ScopeJournal, params: P, description: string): UndoRecord;
}

/** Defines an undo kind; `run` returns one line saying what it did. */
export function defineUndo<P extends UndoParams>(kind: string, run: (deps: UndoDeps, params: P) => Promise<string>): UndoDefinition<P> {
  return { kind, run, record: (journal, params, description) => journal.record(kind, params, description) };
}

/** The table replays dispatch on (kind → definition). */
export type UndoTable = ReadonlyMap<string, UndoDefinition<never>>;

/** Builds the table (one definition may be listed by several faults), refusing two different definitions of one kind. */
export function undoTable(definitions: ReadonlyArray<UndoDefinition<never>>): UndoTable {
  const table = new Map<string, UndoDefinition<never>>();
  for (const d of definitions) {
    const known = table.get(d.kind);
    if (known && known !== d) throw new Error(`undo kind "${d.kind}" is defined twice`);
    table.set(d.kind, d);
  }
  return table;
}

/** A param as a non-empty string, or a clear error naming the record's gap. */
export function str(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  if (typeof v !== 'string' || !v) throw new Error(`undo record lacks "${key}"`);
  return v;
}

/** The scenario's own namespace (and extra ones it created): deleted last. */
export const deleteNamespace = defineUndo<{ name: string }>('namespace.delete', async ({ client }, p) => {
  const r = await client.delete('Namespace', str(p, 'name'));
  return r === 'deleted' ? `namespace ${p.name} deleted` : `namespace ${p.name} was already gone`;
});

/** Result of executing one undo. */
export interface UndoResult {
  record: UndoRecord;
  ok: boolean;
  message: string;
}

/** Runs one undo with its own timeout; never throws (errors are part of the result). */
export async function executeUndo(table: UndoTable, deps: UndoDeps, record: UndoRecord, timeoutMs = 30_000): Promise<UndoResult> {
  const definition = table.get(record.kind);
  if (!definition) return { record, ok: false, message: `unknown undo kind "${record.kind}" (written by a newer kubeproof?)` };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const message = await Promise.race([
      definition.run(deps, record.params as never),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs); }),
    ]);
    return { record, ok: true, message };
  } catch (err) {
    return { record, ok: false, message: `${record.description} failed: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
