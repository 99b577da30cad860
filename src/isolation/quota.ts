/**
 * ResourceQuota checks: a pod asking for more than a namespace's quota is rejected at admission, with
 * the quota named in the API server's message; the same pod in another namespace is not affected
 * (quotas, like names, are per namespace). The pods are never meant to run: they are deleted at once.
 */
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { AccessCheckError } from '../rbac/access-review.ts';
import { probeImage } from './probe-pod.ts';

function quotaPod(name: string, cpu: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'main', image: probeImage(), imagePullPolicy: 'IfNotPresent', command: ['sleep', '1'], resources: { requests: { cpu, memory: '16Mi' }, limits: { cpu, memory: '16Mi' } } }],
    },
  };
}

/** Creates a pod requesting `cpu` in `namespace`; returns the API server's rejection message, or undefined if admitted (the pod is then deleted). */
async function tryPod(client: ClusterClient, namespace: string, cpu: string): Promise<string | undefined> {
  const name = `quota-check-${Date.now().toString(36)}`;
  try {
    await client.create({ ...quotaPod(name, cpu), metadata: { name, namespace } });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 403 || status === 422) return (err as Error).message;
    throw err;
  }
  await client.delete('Pod', name, namespace, { gracePeriodSeconds: 0 });
  return undefined;
}

/**
 * Waits (bounded polling: quota status cannot be watched through our store kinds) until the quota
 * controller has computed the quota's status: until then admission does not enforce a fresh quota.
 */
async function quotaInForce(client: ClusterClient, namespace: string, quota: string, timeoutMs: number): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/resourcequotas/${quota}`;
  const deadline = Date.now() + timeoutMs;
  let last = 'not found';
  for (let delay = 100; Date.now() < deadline; delay = Math.min(delay * 2, 1000)) {
    const res = await client.getRaw(path);
    if (res.status === 200) {
      const status = (JSON.parse(res.body) as KubeObject).status;
      if (status?.hard && Object.keys(status.hard).length > 0) return;
      last = 'created, but the quota controller has not computed its status yet';
    }
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
  throw new AccessCheckError(`ResourceQuota ${namespace}/${quota} is not in force after ${timeoutMs / 1000}s (${last}); apply it before this step`);
}

/** Expects a pod requesting `cpu` to be rejected, with quota `quota` named in the rejection. */
export async function expectRejectedByQuota(client: ClusterClient, namespace: string, cpu: string, quota: string): Promise<string> {
  await quotaInForce(client, namespace, quota, 15_000);
  const rejection = await tryPod(client, namespace, cpu);
  const subject = `expect(v1/ResourceQuota ${namespace}/${quota}).toReject(pod requesting ${cpu} CPU) failed`;
  if (rejection === undefined) throw new AccessCheckError(`${subject}\n\nExpected: the pod is rejected by quota "${quota}"\nReceived: the pod was ADMITTED (is the quota applied, and is its hard limit below ${cpu} CPU?)`);
  if (!rejection.includes(`exceeded quota: ${quota}`)) throw new AccessCheckError(`${subject}\n\nExpected: a rejection naming quota "${quota}"\nReceived: ${rejection}`);
  return rejection.replace(/^.*?: (pods ")/, '$1');
}

/** Expects a pod requesting `cpu` to be admitted in `namespace` (the pod is deleted right away). */
export async function expectAdmitted(client: ClusterClient, namespace: string, cpu: string): Promise<string> {
  const rejection = await tryPod(client, namespace, cpu);
  if (rejection !== undefined) throw new AccessCheckError(`expect(v1/Namespace ${namespace}).toAdmit(pod requesting ${cpu} CPU) failed\n\nExpected: admitted (quotas of other namespaces do not apply here)\nReceived: rejected — ${rejection}`);
  return `a pod requesting ${cpu} CPU was admitted in ${namespace}`;
}
