/**
 * Runs a command inside a running container, the way `kubectl exec` does but from the kind node's
 * containerd (`ctr tasks exec`, next to the `ctr tasks kill` of container crashes): the process gets the
 * container's own process spec — its user, capabilities, no_new_privs, environment — and its namespaces,
 * so what it sees is what the app sees. The host still talks only to docker. Docker via util/exec.ts only.
 */
import { randomBytes } from 'node:crypto';
import { run } from '../util/exec.ts';

/** Exit code and output of a command run inside a container. */
export interface ContainerExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sh -c script` (arguments as $1…) in container `containerId` on `node`; unit tests pass a fake. */
export type ContainerExec = (node: string, containerId: string, script: string, args: readonly string[], timeoutMs: number) => Promise<ContainerExecResult>;

/** The real one: docker exec <node> ctr -n k8s.io tasks exec --exec-id <unique> <id> sh -c <script> sh <args>. */
export const ctrExec: ContainerExec = async (node, containerId, script, args, timeoutMs) => {
  const execId = `kubeproof-${randomBytes(4).toString('hex')}`;
  const r = await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'exec', '--exec-id', execId, containerId, 'sh', '-c', script, 'sh', ...args], { timeoutMs, allowFailure: true });
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
};

/** The container's image has no `sh` (distroless, scratch): nothing can be run inside it. */
export function isNoShell(result: ContainerExecResult): boolean {
  return result.code !== 0 && /executable file not found|no such file or directory.*\bsh\b|"sh": /i.test(result.stderr);
}
