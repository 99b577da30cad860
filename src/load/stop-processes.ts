/**
 * The undo of a load: `load.stop`. Its params are data (pid, start ticks, boot id and name of every
 * load-generator process), so the same function serves the scenario's After hook, SIGINT/SIGTERM and
 * `--janitor` after a SIGKILLed run. It only signals a process that is still the very one recorded —
 * same pid, same start time, same boot, and a load generator's name — so a reused pid is never killed.
 * Idempotent: processes already gone are fine.
 */
import { isSameProcess, signalProcess, waitForExit } from '../util/exec.ts';
import type { ProcessIdentity } from '../util/exec.ts';

/** The journal kind of this undo. */
export const LOAD_STOP_UNDO_KIND = 'load.stop';

/** Only processes with these names are ever signalled by this undo. */
const LOAD_GENERATORS = /^(vegeta|k6)/;

/** The undo params for some load processes (JSON-safe). */
export function loadStopParams(processes: readonly ProcessIdentity[]): Record<string, unknown> {
  return { processes: processes.map((p) => ({ pid: p.pid, startTicks: p.startTicks, bootId: p.bootId, comm: p.comm })) };
}

function identities(params: Record<string, unknown>): ProcessIdentity[] {
  const list = params.processes;
  if (!Array.isArray(list)) throw new Error('undo record lacks "processes"');
  return list.map((p: unknown, i) => {
    const x = p as Partial<ProcessIdentity>;
    if (typeof x.pid !== 'number' || typeof x.startTicks !== 'number' || typeof x.comm !== 'string' || typeof x.bootId !== 'string') {
      throw new Error(`undo record's process ${i + 1} lacks pid, startTicks, bootId or comm`);
    }
    return { pid: x.pid, startTicks: x.startTicks, bootId: x.bootId, comm: x.comm };
  });
}

/**
 * Stops the recorded load processes that still run: SIGTERM (vegeta lets in-flight requests finish),
 * then SIGKILL after `graceMs`. Returns what it did in one line.
 * @throws Error when the params are malformed or a process survives SIGKILL
 */
export async function stopLoadProcesses(params: Record<string, unknown>, options: { graceMs?: number } = {}): Promise<string> {
  const all = identities(params);
  const refused = all.filter((p) => !LOAD_GENERATORS.test(p.comm));
  const alive = all.filter((p) => LOAD_GENERATORS.test(p.comm) && isSameProcess(p));
  const refusedNote = refused.length ? ` (refused to signal ${refused.map((p) => `pid ${p.pid} "${p.comm}"`).join(', ')}: not a load generator)` : '';
  if (!alive.length) return `load processes had already exited (pids ${all.map((p) => p.pid).join(', ')})${refusedNote}`;
  for (const p of alive) signalProcess(p, 'SIGTERM');
  let left = await waitForExit(alive, options.graceMs ?? 2_000);
  const killed = left.length;
  for (const p of left) signalProcess(p, 'SIGKILL');
  left = await waitForExit(left, 2_000);
  if (left.length) throw new Error(`load processes ${left.map((p) => p.pid).join(', ')} survived SIGKILL`);
  const names = alive.map((p) => `${p.comm} pid ${p.pid}`).join(', ');
  return `stopped ${names}${killed ? ` (${killed} needed SIGKILL)` : ''}${refusedNote}`;
}
