/**
 * NetworkPolicy enforcement canary. kind ≥ 0.24 enforces policies through kube-network-policies;
 * older kind or other CNIs accept policies and ignore them, which would make every @isolation
 * scenario pass for the wrong reason. No app image can be pulled here, so the canary reuses the
 * etcd image every kind node already has: an etcd server pod, and short-lived etcdctl client pods
 * whose exit code says whether the server was reachable — before and after a deny-all ingress policy.
 */
import type { Capabilities } from '../capabilities.ts';
import { namespaceObject } from '../cluster/namespaces.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';

const POD_TIMEOUT_MS = 60_000;

function waitForPod(client: ClusterClient, namespace: string, name: string, done: (p: KubeObject) => boolean, what: string): Promise<KubeObject> {
  const store = client.watch('Pod', namespace);
  return new Promise<KubeObject>((resolve, reject) => {
    const finish = (fn: () => void): void => { clearTimeout(timer); unsubscribe(); void store.stop(); fn(); };
    const check = (): void => { const p = store.get(name); if (p && done(p)) finish(() => resolve(p)); };
    const unsubscribe = store.onChange(check);
    const timer = setTimeout(() => finish(() => reject(new Error(`${what}: pod ${name} did not get there within ${POD_TIMEOUT_MS / 1000}s (phase ${String(store.get(name)?.status?.phase ?? 'absent')})`))), POD_TIMEOUT_MS);
    void store.ready.then(check);
  });
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

/** Finds the etcd image of the cluster (from the control plane's static pod). */
export async function findCanaryImage(client: ClusterClient): Promise<string | undefined> {
  const pods = await client.list('Pod', { namespace: 'kube-system', labelSelector: 'component=etcd' });
  return (pods[0]?.spec?.containers as Array<{ image?: string }> | undefined)?.[0]?.image;
}

/** Runs the canary in its own owned namespace and always deletes it. */
export async function runNetpolCanary(client: ClusterClient, runId: string, onNamespace: (name: string) => void): Promise<Capabilities['netpol']> {
  const image = await findCanaryImage(client);
  if (!image) return { state: 'unknown', detail: 'no etcd pod in kube-system to borrow an image from, so the canary could not run' };
  const namespace = `kp-${runId}-netpol-canary`;
  onNamespace(namespace);
  await client.create(namespaceObject(namespace, runId, 'NetworkPolicy canary'));
  try {
    const create = async (obj: KubeObject): Promise<void> => { await client.create({ ...obj, metadata: { ...obj.metadata, namespace } }); };
    await create(pod('server', image, { app: 'canary-server' }, ['etcd', '--data-dir=/data/etcd', '--listen-client-urls=http://0.0.0.0:2379', '--advertise-client-urls=http://127.0.0.1:2379'], false));
    const server = await waitForPod(client, namespace, 'server', (p) => p.status?.phase === 'Running' && Boolean(p.status?.podIP), 'canary server');
    const probe = async (name: string): Promise<boolean> => {
      await create(pod(name, image, { app: 'canary-client' }, ['etcdctl', `--endpoints=http://${server.status.podIP}:2379`, '--dial-timeout=3s', '--command-timeout=4s', 'endpoint', 'health'], true));
      const done = await waitForPod(client, namespace, name, (p) => ['Succeeded', 'Failed'].includes(p.status?.phase), 'canary client');
      return done.status.phase === 'Succeeded';
    };
    // The server needs a moment to accept connections after Running; give the open probe three tries.
    let open = false;
    for (let i = 0; i < 3 && !open; i++) open = await probe(`client-open-${i}`);
    if (!open) return { state: 'unknown', detail: 'pods could not reach each other even without any policy' };
    await create({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
      metadata: { name: 'deny-all-ingress' },
      spec: { podSelector: { matchLabels: { app: 'canary-server' } }, policyTypes: ['Ingress'] },
    });
    const stillOpen = await probe('client-denied');
    return stillOpen
      ? { state: 'not-enforced', detail: 'a deny-all ingress policy did not block pod-to-pod traffic (the CNI ignores NetworkPolicy; kind ≥ 0.24 enforces it)' }
      : { state: 'enforced', detail: 'a deny-all ingress policy blocked pod-to-pod traffic' };
  } finally {
    await client.delete('Namespace', namespace);
  }
}
