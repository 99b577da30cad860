/**
 * kind nodes are docker containers named like the node. Pausing one freezes its kubelet and every
 * container on it without changing its IP (docker stop would), which is how a node "dies" here.
 * Docker is reached only through util/exec.ts.
 */
import { ProcessError, run } from '../util/exec.ts';
import { isNodeReady } from './predicates.ts';

/** What docker says about a node container. */
export interface NodeContainerInfo {
  /** docker's State.Status: running, paused, exited … ("missing" when there is no such container). */
  status: string;
  /** kind cluster label (io.x-k8s.kind.cluster). */
  cluster: string;
  /** kind role label (io.x-k8s.kind.role): control-plane or worker. */
  role: string;
}

/** The docker operations node faults need; unit tests pass a fake. */
export interface NodeContainers {
  inspect(name: string): Promise<NodeContainerInfo>;
  /** Names of paused containers of kind cluster `cluster`. */
  paused(cluster: string): Promise<string[]>;
  pause(name: string): Promise<void>;
  /** Unpauses; already running or gone counts as done (idempotent undo). */
  unpause(name: string): Promise<'unpaused' | 'was not paused' | 'no such container'>;
}

const DOCKER_TIMEOUT_MS = 20_000;

/** The real docker CLI. */
export const dockerNodeContainers: NodeContainers = {
  async inspect(name) {
    const format = '{{.State.Status}}|{{index .Config.Labels "io.x-k8s.kind.cluster"}}|{{index .Config.Labels "io.x-k8s.kind.role"}}';
    const r = await run('docker', ['inspect', '--type', 'container', '-f', format, name], { timeoutMs: DOCKER_TIMEOUT_MS, allowFailure: true });
    if (r.code !== 0) {
      if (/no such (object|container)/i.test(r.stderr)) return { status: 'missing', cluster: '', role: '' };
      throw new ProcessError(`docker inspect ${name} exited with code ${r.code}: ${r.stderr.trim()}`, r);
    }
    const [status = '', cluster = '', role = ''] = r.stdout.trim().split('|');
    return { status, cluster, role };
  },
  async paused(cluster) {
    const r = await run('docker', ['ps', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`, '--filter', 'status=paused', '--format', '{{.Names}}'], { timeoutMs: DOCKER_TIMEOUT_MS });
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  },
  async pause(name) {
    await pauseRetryingFreeze(
      () => run('docker', ['pause', name], { timeoutMs: DOCKER_TIMEOUT_MS }).then(() => undefined),
      async () => (await dockerNodeContainers.inspect(name)).status,
    );
  },
  async unpause(name) {
    const r = await run('docker', ['unpause', name], { timeoutMs: DOCKER_TIMEOUT_MS, allowFailure: true });
    if (r.code === 0) return 'unpaused';
    if (/is not paused/i.test(r.stderr)) return 'was not paused';
    if (/no such container/i.test(r.stderr)) return 'no such container';
    throw new ProcessError(`docker unpause ${name} exited with code ${r.code}: ${r.stderr.trim()}`, r);
  },
};

/** Ports container `name` publishes on 127.0.0.1 of this host (kind's extraPortMappings); [] when none or no such container. */
export async function dockerPublishedPorts(name: string): Promise<number[]> {
  const r = await run('docker', ['port', name], { timeoutMs: DOCKER_TIMEOUT_MS, allowFailure: true });
  return r.code === 0 ? publishedOn127(r.stdout) : [];
}

/** Container ports published on 127.0.0.1 with the same host port, from `docker port` output ("30080/tcp -> 127.0.0.1:30080"). */
export function publishedOn127(output: string): number[] {
  return output.split('\n').flatMap((l) => {
    const m = /^(\d+)\/tcp -> 127\.0\.0\.1:(\d+)$/.exec(l.trim());
    return m && m[1] === m[2] ? [Number(m[1])] : [];
  });
}

/** Matches runc's cgroup-v1 freezer giving up ("unable to freeze"): the container is thawed again and a retry is safe. */
const FREEZE_GAVE_UP = /unable to freeze/i;

/**
 * `docker pause` of a whole kind node (systemd, kubelet, containerd, every pod) sometimes fails with
 * runc's "unable to freeze" when a process forks while the freezer cgroup is settling; runc thaws the
 * container before reporting it, so trying again is safe. Any other error is final. If docker reports the
 * container paused after a failed call, the pause took effect and counts as done.
 */
export async function pauseRetryingFreeze(
  pauseOnce: () => Promise<void>,
  statusOf: () => Promise<string>,
  { attempts = 5, waitMs = 1_000 }: { attempts?: number; waitMs?: number } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pauseOnce();
      return;
    } catch (err) {
      if (!(err instanceof Error) || !FREEZE_GAVE_UP.test(err.message)) throw err;
      if ((await statusOf()) === 'paused') return;
      if (attempt >= attempts) {
        throw new ProcessError(`${err.message} (tried ${attempts} times; the node container is still running)`, err instanceof ProcessError ? err.result : undefined, { cause: err });
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

/** How long the undo waits for an unpaused node to report Ready again (its kubelet's next status update). */
const READY_AGAIN_MS = 20_000;

/**
 * Undo of a node death: unpauses the container, then waits (bounded) until the node reports Ready,
 * so the next scenario finds a whole cluster. Never throws for "already running".
 */
export async function unpauseNode(client: NodeGetter, docker: NodeContainers, name: string, readyWithinMs = READY_AGAIN_MS): Promise<string> {
  const what = await docker.unpause(name);
  if (what === 'no such container') return `node container ${name} no longer exists`;
  return `node ${name} ${what === 'unpaused' ? 'unpaused' : 'was not paused'}${await waitNodeReady(client, name, readyWithinMs)}`;
}

/** The one call the Ready wait needs (a ClusterClient fits). */
export type NodeGetter = { get: (kind: 'Node', name: string) => Promise<{ status?: any } | undefined> };

/** Polls the node until Ready (bounded); returns ", Ready after Xs" or " but not Ready yet after …". */
export async function waitNodeReady(client: NodeGetter, name: string, readyWithinMs = READY_AGAIN_MS): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < readyWithinMs) {
    const node = await client.get('Node', name).catch(() => undefined);
    if (isNodeReady(node)) return `, Ready after ${((Date.now() - started) / 1000).toFixed(1)}s`;
    // Polling: a one-off undo has no watch of its own (it also runs from --janitor, without a scenario).
    await new Promise((r) => setTimeout(r, 500));
  }
  return ` but not Ready yet after ${readyWithinMs / 1000}s (its kubelet should report soon)`;
}
