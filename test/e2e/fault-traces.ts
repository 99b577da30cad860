/**
 * What the fault e2e tests (npm test's and the nightly one) look up on the nodes themselves: every trace a
 * network, stress, freeze or taint fault can leave behind.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dockerPodNetwork } from '../../src/cluster/kind-pod-net.ts';
import { nodeContainerStress } from '../../src/cluster/kind-stress.ts';
import { CHAOS_TAINT_KEY } from '../../src/faults/node-taint.ts';
import { run } from '../../src/util/exec.ts';
import { kube } from './helpers.ts';

export const FAULT_FEATURES = 'test/e2e/features/faults';

/** The kind nodes of the cluster under test (docker containers labelled with its name). */
export async function kindNodes(): Promise<string[]> {
  const r = await run('docker', ['ps', '--filter', 'label=io.x-k8s.kind.cluster=kubeproof', '--format', '{{.Names}}'], { timeoutMs: 20_000 });
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

/** Everything a fault of this family can leave behind, looked up on every node and in the API. */
export async function traces(): Promise<string[]> {
  const found: string[] = [];
  for (const node of await kindNodes()) {
    for (const t of await dockerPodNetwork.traces(node)) found.push(`${node}: ${t}`);
    for (const t of await nodeContainerStress.traces(node)) found.push(`${node}: stress process ${t}`);
    const tasks = await run('docker', ['exec', node, 'ctr', '--namespace=k8s.io', 'tasks', 'ls'], { timeoutMs: 20_000 });
    for (const line of tasks.stdout.split('\n')) if (/\sPAUSED\s*$/.test(line)) found.push(`${node}: frozen task ${line.trim()}`);
  }
  for (const n of await kube().list('Node')) {
    if (((n.spec?.taints ?? []) as Array<{ key: string }>).some((t) => t.key === CHAOS_TAINT_KEY)) found.push(`taint ${CHAOS_TAINT_KEY} on node ${n.metadata?.name}`);
  }
  return found;
}

/** Whether this machine's kernel was built without netem (then latency scenarios must be INCONCLUSIVE). */
export function kernelLacksNetem(): boolean {
  try {
    return !/^CONFIG_NET_SCH_NETEM=[ym]$/m.test(gunzipSync(readFileSync('/proc/config.gz')).toString());
  } catch {
    return false;
  }
}
