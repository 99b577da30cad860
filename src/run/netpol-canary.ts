/**
 * NetworkPolicy enforcement canary. kind ≥ 0.24 enforces policies through kube-network-policies;
 * older kind or other CNIs accept policies and ignore them, which would make every @isolation
 * scenario pass for the wrong reason. No image can be pulled, so the canary uses the probe image the
 * testbed loads into every node (curl + busybox; override with KUBEPROOF_PROBE_IMAGE): a busybox
 * httpd server pod, and short-lived curl client pods whose exit code says whether the server was
 * reachable — before and after a deny-all ingress policy. Blocked means curl's timeout (exit 28),
 * not any failure: a DNS or image problem must not pass for "enforced".
 */
import type { Capabilities } from '../capabilities.ts';
import { namespaceObject } from '../cluster/namespaces.ts';
import { isControlPlane } from '../cluster/predicates.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { waitUntil } from '../conditions/wait.ts';

const POD_TIMEOUT_MS = 60_000;

async function waitForPod(client: ClusterClient, namespace: string, name: string, done: (p: KubeObject) => boolean, what: string): Promise<KubeObject> {
  const store = client.watch('Pod', namespace);
  try {
    const outcome = await waitUntil([store], () => { const p = store.get(name); return p && done(p) ? p : undefined; }, { timeoutMs: POD_TIMEOUT_MS });
    if (outcome.met) return outcome.value;
    throw new Error(`${what}: pod ${name} did not get there within ${POD_TIMEOUT_MS / 1000}s (phase ${String(store.get(name)?.status?.phase ?? 'absent')})`);
  } finally {
    await store.stop();
  }
}

function pod(name: string, image: string, labels: Record<string, string>, command: string[], restartNever: boolean): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels },
    spec: {
      restartPolicy: restartNever ? 'Never' : 'Always',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', command, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

/** The probe image, if every worker node already has it (nodes list their images in status). */
export async function findCanaryImage(client: ClusterClient, image = process.env.KUBEPROOF_PROBE_IMAGE ?? 'kubeproof/probe:v1'): Promise<string | undefined> {
  const wanted = [image, `docker.io/${image}`];
  const workers = (await client.list('Node')).filter((n) => !isControlPlane(n));
  const everywhere = workers.length > 0 && workers.every((n) => ((n.status?.images ?? []) as Array<{ names?: string[] }>).some((i) => i.names?.some((name) => wanted.includes(name))));
  return everywhere ? image : undefined;
}

/** curl's exit code for "operation timed out": what a dropped connection looks like. */
const CURL_TIMEOUT = 28;

/** Runs the canary in its own owned namespace and always deletes it. */
export async function runNetpolCanary(client: ClusterClient, runId: string, onNamespace: (name: string) => void): Promise<Capabilities['netpol']> {
  const image = await findCanaryImage(client);
  if (!image) return { state: 'unknown', detail: `the probe image (${process.env.KUBEPROOF_PROBE_IMAGE ?? 'kubeproof/probe:v1'}) is not on every worker node, so the canary could not run` };
  const namespace = `kp-${runId}-netpol-canary`;
  onNamespace(namespace);
  await client.create(namespaceObject(namespace, runId, 'NetworkPolicy canary'));
  try {
    const create = async (obj: KubeObject): Promise<void> => { await client.create({ ...obj, metadata: { ...obj.metadata, namespace } }); };
    await create(pod('server', image, { app: 'canary-server' }, ['sh', '-c', 'echo ok > /data/index.html && exec busybox httpd -f -p 8080 -h /data'], false));
    const server = await waitForPod(client, namespace, 'server', (p) => p.status?.phase === 'Running' && Boolean(p.status?.podIP), 'canary server');
    /** Exit code of a curl pod against the server. */
    const probe = async (name: string): Promise<number> => {
      await create(pod(name, image, { app: 'canary-client' }, ['curl', '-sS', '-m', '3', '-o', '/dev/null', `http://${server.status.podIP}:8080/`], true));
      const done = await waitForPod(client, namespace, name, (p) => ['Succeeded', 'Failed'].includes(p.status?.phase), 'canary client');
      return Number(done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? -1);
    };
    // The server needs a moment to accept connections after Running; give the open probe three tries.
    let open = -1;
    for (let i = 0; i < 3 && open !== 0; i++) open = await probe(`client-open-${i}`);
    if (open !== 0) return { state: 'unknown', detail: `pods could not reach each other even without any policy (curl exit ${open})` };
    await create({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
      metadata: { name: 'deny-all-ingress' },
      spec: { podSelector: { matchLabels: { app: 'canary-server' } }, policyTypes: ['Ingress'] },
    });
    // Enforcement follows the policy after the CNI agent syncs it (seconds): keep probing for a while.
    const deadline = Date.now() + 30_000;
    let denied = await probe('client-denied-0');
    for (let i = 1; denied === 0 && Date.now() < deadline; i++) denied = await probe(`client-denied-${i}`);
    if (denied === 0) return { state: 'not-enforced', detail: 'a deny-all ingress policy did not block pod-to-pod traffic within 30 s (the CNI ignores NetworkPolicy; kind ≥ 0.24 enforces it)' };
    if (denied === CURL_TIMEOUT) return { state: 'enforced', detail: 'a deny-all ingress policy blocked pod-to-pod traffic' };
    return { state: 'unknown', detail: `under a deny-all policy curl failed with exit ${denied}, not with a timeout (28), so the result proves nothing` };
  } finally {
    await client.delete('Namespace', namespace);
  }
}
