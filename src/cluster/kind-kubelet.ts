/**
 * Stopping and starting the kubelet of a kind node (systemd inside the node container). With the
 * kubelet stopped the node goes NotReady while its containers keep running — unlike a paused node.
 * Docker via util/exec.ts only.
 */
import { run } from '../util/exec.ts';
import { waitNodeReady } from './kind-nodes.ts';
import type { NodeGetter } from './kind-nodes.ts';

/** systemctl for the kubelet of a node container; unit tests pass a fake. */
export interface KubeletControl {
  stop(node: string): Promise<void>;
  /** Starts it; a vanished container counts as done (idempotent undo). */
  start(node: string): Promise<'started' | 'no such container'>;
}

/** The real one: docker exec <node> systemctl stop|start kubelet. */
export const systemctlKubelet: KubeletControl = {
  async stop(node) {
    await run('docker', ['exec', node, 'systemctl', 'stop', 'kubelet'], { timeoutMs: 30_000 });
  },
  async start(node) {
    const r = await run('docker', ['exec', node, 'systemctl', 'start', 'kubelet'], { timeoutMs: 30_000, allowFailure: true });
    if (r.code === 0) return 'started';
    if (/no such container/i.test(r.stderr)) return 'no such container';
    throw new Error(`docker exec ${node} systemctl start kubelet exited with code ${r.code}: ${r.stderr.trim()}`);
  },
};

/** Undo of a kubelet stop: starts it, then waits (bounded) until the node reports Ready again. */
export async function startKubelet(client: NodeGetter, kubelet: KubeletControl, node: string, readyWithinMs?: number): Promise<string> {
  if ((await kubelet.start(node)) === 'no such container') return `node container ${node} no longer exists`;
  return `kubelet on node ${node} started${await waitNodeReady(client, node, readyWithinMs)}`;
}
