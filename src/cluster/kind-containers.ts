/**
 * Killing one container the way a crash would: SIGKILL to its task through the kind node's
 * containerd (`ctr`, present in every kind node; crictl is not in our offline node image). The
 * kubelet then sees the container exit and restarts it in the same pod. Docker via util/exec.ts only.
 */
import { run } from '../util/exec.ts';

/** Kills a container by its containerd id on a kind node; unit tests pass a fake. */
export type ContainerKiller = (node: string, containerId: string) => Promise<void>;

/** The real one: docker exec <node> ctr -n k8s.io tasks kill -s SIGKILL <id>. */
export const ctrKill: ContainerKiller = async (node, containerId) => {
  await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'kill', '--signal', 'SIGKILL', containerId], { timeoutMs: 20_000 });
};

/** Freezing a container's processes (cgroup freezer, through containerd) and thawing them; unit tests pass a fake. */
export interface ContainerFreezer {
  freeze(node: string, containerId: string): Promise<void>;
  /** Thaws; a container that is running again or gone (restarted, pod deleted) counts as done (idempotent undo). */
  thaw(node: string, containerId: string): Promise<'thawed' | 'was not frozen' | 'gone'>;
}

/** The real one: ctr -n k8s.io tasks pause|resume <id> (runc's freezer, what docker pause does for a whole node). */
export const ctrFreezer: ContainerFreezer = {
  async freeze(node, containerId) {
    await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'pause', containerId], { timeoutMs: 20_000 });
  },
  async thaw(node, containerId) {
    const r = await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'resume', containerId], { timeoutMs: 20_000, allowFailure: true });
    if (r.code === 0) return 'thawed';
    if (/no such container/i.test(r.stderr)) return 'gone';
    // ctr's wording differs between versions: ask for the task's state instead of parsing the error.
    const tasks = await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'ls'], { timeoutMs: 20_000 });
    const status = tasks.stdout.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[0] === containerId)?.[2];
    if (!status || status === 'STOPPED') return 'gone';
    if (status === 'RUNNING') return 'was not frozen';
    throw new Error(`ctr tasks resume ${containerId} on ${node} exited with code ${r.code} and the task is ${status}: ${r.stderr.trim()}`);
  },
};
