/**
 * The cleanup journal. Before a fault acts, its undo is appended to a file as data (kind + params),
 * so that this process (After hook, SIGINT/SIGTERM) or a later one (--janitor, after a SIGKILL)
 * can replay it. Files: .kubeproof/journal/<runId>/run.json and one <scope>.jsonl per scenario.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Default journal root, git-ignored. */
export const DEFAULT_JOURNAL_DIR = '.kubeproof/journal';

/** An undo as data. `kind` selects the function in undo-kinds.ts; params must be JSON. */
export interface UndoRecord {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  /** Human description, e.g. "uncordon node kubeproof-worker2". */
  description: string;
  at: string;
}

type Line =
  | ({ op: 'undo' } & UndoRecord)
  | { op: 'done'; id: string; ok: boolean; at: string; error?: string };

/** Metadata of a run, written at its start. */
export interface RunMeta {
  runId: string;
  pid: number;
  host: string;
  context: string;
  startedAt: string;
  seed: number;
}

/** The journal of one scope (one scenario, or the run itself). */
export interface ScopeJournal {
  readonly file: string;
  /** Persists the undo (synchronously, before the caller acts) and returns it. */
  record(kind: string, params: Record<string, unknown>, description: string): UndoRecord;
  /** Marks an undo as executed (or deliberately dropped, e.g. a namespace kept with --keep). */
  complete(id: string, ok: boolean, error?: string): void;
  /** Undos recorded and not completed, in recording order. */
  pending(): UndoRecord[];
}

let counter = 0;

function readLines(file: string): Line[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
    try { return [JSON.parse(l) as Line]; } catch { return []; } // a torn last line after SIGKILL
  });
}

/** Pending undos of one scope file. */
export function pendingIn(file: string): UndoRecord[] {
  const lines = readLines(file);
  // A failed undo stays pending so the janitor retries it.
  const done = new Set(lines.filter((l) => l.op === 'done' && l.ok).map((l) => l.id));
  return lines.filter((l): l is { op: 'undo' } & UndoRecord => l.op === 'undo' && !done.has(l.id)).map(({ op: _op, ...rest }) => rest);
}

/** Opens (creating) the journal of `scope` in run directory `runDir`. */
export function openScope(runDir: string, scope: string): ScopeJournal {
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, `${scope.replace(/[^a-zA-Z0-9._-]/g, '_')}.jsonl`);
  const append = (line: Line): void => appendFileSync(file, `${JSON.stringify(line)}\n`);
  return {
    file,
    record(kind, params, description) {
      const record: UndoRecord = { id: `${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`, kind, params, description, at: new Date().toISOString() };
      append({ op: 'undo', ...record });
      return record;
    },
    complete(id, ok, error) {
      append({ op: 'done', id, ok, at: new Date().toISOString(), ...(error ? { error } : {}) });
    },
    pending: () => pendingIn(file),
  };
}

/** Directory of a run. */
export function runDirOf(journalDir: string, runId: string): string {
  return join(journalDir, runId);
}

/** Writes run.json (called once by the coordinator before any scenario). */
export function registerRun(journalDir: string, meta: Omit<RunMeta, 'pid' | 'host'>): string {
  const dir = runDirOf(journalDir, meta.runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...meta, pid: process.pid, host: hostname() }, null, 2));
  return dir;
}

/** All runs in the journal with their metadata (runs without a readable run.json get undefined). */
export function listRuns(journalDir: string): Array<{ runId: string; dir: string; meta: RunMeta | undefined }> {
  if (!existsSync(journalDir)) return [];
  return readdirSync(journalDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => {
    const dir = join(journalDir, d.name);
    let meta: RunMeta | undefined;
    try { meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunMeta; } catch { meta = undefined; }
    return { runId: d.name, dir, meta };
  });
}

/** Scope files of a run directory. */
export function scopeFiles(runDir: string): string[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir).filter((f) => f.endsWith('.jsonl')).map((f) => join(runDir, f));
}

/** Removes a run directory once nothing is pending in it. Returns whether it was removed. */
export function removeRunIfClean(runDir: string): boolean {
  if (scopeFiles(runDir).some((f) => pendingIn(f).length > 0)) return false;
  rmSync(runDir, { recursive: true, force: true });
  return true;
}

/** Whether a process is alive on this host (EPERM means it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a run is dead: its process is gone from this host. Runs of other hosts are never judged dead. */
export function isRunDead(meta: RunMeta | undefined): boolean {
  if (!meta) return true;
  if (meta.host !== hostname()) return false;
  return !isProcessAlive(meta.pid);
}
