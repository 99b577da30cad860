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
