/**
 * CPU and memory stress inside one container, started from its kind node: the node's own bash (busy
 * loops) and perl (an allocator that fills and keeps N MiB) are placed into the container's cgroups
 * before they start and enter its PID namespace (nsenter --pid). So the container's CPU quota throttles
 * them, its memory limit counts what they allocate (the kernel's OOM killer acts inside the container),
 * metrics-server sees the container's usage rise, and when the container dies they die with it (the
 * kernel kills every process of a PID namespace whose init exits). Nothing is needed in the container's
 * image and nothing is installed on the node. Every process carries a unique marker in its command line
 * and ends by itself (timeout); the undo kills exactly the processes carrying that marker.
 */
import { readFileSync } from 'node:fs';
import { ProcessError, run } from '../util/exec.ts';

/** What to burn: `workers` busy loops (each wants one CPU), or one allocator keeping `mib` MiB. */
export type StressSpec = { kind: 'cpu'; workers: number } | { kind: 'memory'; mib: number };

/** Stress processes on a kind node; unit tests pass a fake. */
export interface ContainerStress {
  /** Starts the stress in container `containerId` on `node` for `seconds`; resolves with the node pids started, or 'gone' when the container has no running task there. */
  start(node: string, containerId: string, spec: StressSpec, seconds: number, marker: string): Promise<number[] | 'gone'>;
  /** Kills (SIGKILL) every process on `node` whose command line carries `marker`; resolves with how many. */
  stop(node: string, marker: string): Promise<number>;
  /** How many processes carrying `marker` still run on `node`. */
  count(node: string, marker: string): Promise<number>;
  /** Every process of any kubeproof stress still on `node` ("<pid> <command line>"). */
  traces(node: string): Promise<string[]>;
}

/** Every stress marker starts with this; the rest is random, so one fault's undo matches only its own processes. */
export const STRESS_MARKER_PREFIX = 'kubeproof-stress-';
const GONE = 42;

/** The node-side script (node-scripts/stress.sh), sent to `bash -c` on every call: nothing is copied onto the node. */
export const STRESS_SCRIPT = readFileSync(new URL('./node-scripts/stress.sh', import.meta.url), 'utf8');

async function script(node: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('docker', ['exec', node, 'bash', '-c', STRESS_SCRIPT, 'kubeproof-stress', ...args], { timeoutMs: 30_000, allowFailure: true });
}

function failed(what: string, node: string, r: { code: number | null; stdout: string; stderr: string }): ProcessError {
  return new ProcessError(`${what} on node ${node} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${r.code}`}`, { ...r, signal: null });
}

/** The real one: docker exec into the kind node. */
export const nodeContainerStress: ContainerStress = {
  async start(node, containerId, spec, seconds, marker) {
    const amount = spec.kind === 'cpu' ? spec.workers : spec.mib;
    const r = await script(node, ['start', containerId, marker, String(Math.ceil(seconds)), spec.kind, String(amount)]);
    if (r.code === GONE) return 'gone';
    if (r.code !== 0) throw failed('starting the stress', node, r);
    return r.stdout.trim().split(/\s+/).filter(Boolean).map(Number);
  },
  async stop(node, marker) {
    const r = await script(node, ['stop', marker]);
    if (r.code !== 0) {
      if (/no such container|is not running/i.test(r.stderr)) return 0;
      throw failed('stopping the stress', node, r);
    }
    return Number(r.stdout.trim()) || 0;
  },
  async count(node, marker) {
    const r = await script(node, ['count', marker]);
    if (r.code !== 0) throw failed('counting stress processes', node, r);
    return Number(r.stdout.trim()) || 0;
  },
  async traces(node) {
    const r = await script(node, ['traces', STRESS_MARKER_PREFIX]);
    if (r.code !== 0) throw failed('listing stress processes', node, r);
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  },
};
